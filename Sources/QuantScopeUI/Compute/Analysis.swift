import QuantEngine

/// Everything the views show about one quantization of the open tensor,
/// computed off the UI thread.
public struct Analysis: Sendable {
    /// One granularity's result in the Error view's side-by-side table.
    public struct Comparison: Sendable {
        public var label: String
        public var metrics: ErrorMetrics
        /// Nil when the error is not finite (docs/contract.md §6).
        public var rmseOverScale: Double?
        /// Mean squared error of each row (output channel).
        public var rowError: [Double]
    }

    public var spelling: String
    public var quantized: QuantizedTensor
    public var milliseconds: Double
    /// How often each code occurs (by its low byte).
    public var codeUsage: [Int]
    public var usedCodes: Int
    public var possibleCodes: Int
    public var clippedBelow: Int
    public var clippedAbove: Int
    /// The element with the largest |x − x̂| (`w` jumps to it).
    public var worstIndex: Int?
    /// x̂ − x over finite elements (docs/contract.md §6), symmetric around 0 (second pass).
    public var errorHistogram: Histogram?
    /// Mean squared error of each row under this quantization (second pass; empty until then).
    public var rowError: [Double] = []
    /// The same scheme at other granularities (second pass, when the Error view shows).
    public var comparisons: [Comparison]?
    /// Every group's summary when groups are too large to summarise in a
    /// frame (per-tensor, wide channels); empty otherwise.
    public var groupSummaries: [GroupSummary] = []
    /// A stored GGUF tensor re-quantized at its own type: how many of the
    /// fresh blocks equal the file's, byte for byte (the Error view's `stored:` page).
    public var storedMatch: (identical: Int, blocks: Int)?
    /// The calibration that chose the clip (`K`, docs/contract.md §12), and
    /// why there is none when one was asked for (GGUF schemes take no clip).
    public var calibration: CalibrationResult?
    public var calibrationRefusal: String?

    /// The summary of group `g`: looked up when precomputed, otherwise read
    /// from the group's (at most `GroupSummary.onDemandLimit`) elements.
    public func summary(ofGroup g: Int, original x: [Float]) -> GroupSummary {
        if groupSummaries.indices.contains(g) { return groupSummaries[g] }
        return GroupSummary.summarize(quantized, group: g, original: x)
    }

    /// Fills in what the second pass computed.
    public mutating func add(_ details: Details) {
        errorHistogram = details.errorHistogram
        rowError = details.rowError
        comparisons = details.comparisons
    }

    /// What the Error view adds on top of the first pass.
    public struct Details: Sendable {
        public var errorHistogram: Histogram
        public var rowError: [Double]
        public var comparisons: [Comparison]
    }
}

/// What to compute, captured when the settings change.
public struct AnalysisRequest: Sendable {
    public var tensor: LoadedTensor
    public var settings: QuantSettings

    public init(tensor: LoadedTensor, settings: QuantSettings) {
        self.tensor = tensor
        self.settings = settings
    }

    public var scheme: Scheme { settings.scheme }
    public var granularity: Granularity { settings.granularity(rank: tensor.shape.count) }
}
