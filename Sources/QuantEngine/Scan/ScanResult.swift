/// One tensor under one scheme in a whole-model scan (docs/contract.md §7, `scan`).
public struct ScanResult: Sendable {
    public var tensor: String
    public var shape: [Int]
    /// The file's dtype (`F32`, `Q4_K`, `gptq-int4`…).
    public var stored: String
    /// What the file spends per weight (parameters included).
    public var storedBitsPerWeight: Double
    public var scheme: Scheme
    public var granularity: Granularity
    public var cost: StorageCost
    public var metrics: ErrorMetrics

    public init(tensor: String, shape: [Int], stored: String, storedBitsPerWeight: Double, scheme: Scheme,
                granularity: Granularity, cost: StorageCost, metrics: ErrorMetrics) {
        self.tensor = tensor
        self.shape = shape
        self.stored = stored
        self.storedBitsPerWeight = storedBitsPerWeight
        self.scheme = scheme
        self.granularity = granularity
        self.cost = cost
        self.metrics = metrics
    }
}
