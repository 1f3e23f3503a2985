import QuantEngine

/// One lesson of the tour (docs/contract.md §15): a title and one or two
/// scenes, each a short text and the explorer preset that shows it.
public struct TourLesson: Sendable {
    public var title: String
    public var scenes: [TourScene]
}

/// What one step of a lesson says and sets up. Settings are written as
/// `quantscope stats` takes them, so a class can repeat any screen from the
/// command line.
public struct TourScene: Sendable {
    /// Which tensor the scene opens.
    public enum TensorChoice: Sendable, Equatable {
        /// The first weight (rank ≥ 2) of the first file: the user's own model.
        case firstWeight
        /// A tensor of a bundled sample file (matched by file name), or the
        /// first weight when that file is not open.
        case sample(file: String, tensor: String)
    }

    /// What the view area shows instead of a view.
    public enum Panel: Sendable, Equatable {
        /// The open model's size in each storage format.
        case footprint
        /// PTQ against QAT on a small MLP trained live (docs/contract.md §13).
        case qat
    }

    /// Where the element cursor starts.
    public enum Cursor: Sendable, Equatable {
        case first
        case maxAbs
    }

    /// Paragraphs, wrapped to the panel: at most 8 lines at 80 columns (tested).
    public var text: [String]
    /// The keys worth pressing here, with what they show.
    public var tryKeys: String
    public var tensor: TensorChoice
    /// A's setting, and B's when the scene compares two.
    public var scheme: String
    public var granularity: String?
    public var compareScheme: String? = nil
    public var compareGranularity: String? = nil
    /// B's clip fraction (docs/contract.md §1), for the calibration lesson.
    public var compareClip: Float = 1
    /// A's calibration (docs/contract.md §12), for the calibration lesson.
    public var calibration: Calibration? = nil
    public var view: ViewKind
    public var panel: Panel? = nil
    public var bitsFormat: FloatFormat? = nil
    public var cursor: Cursor = .first
    public var logScale = false
}
