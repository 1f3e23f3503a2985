/// The explorer's views, each on a number key.
public enum ViewKind: Int, CaseIterable, Sendable {
    case histogram = 1, mapping, error, packing, bits, matmul, model, sweep, methods

    /// The views of the open tensor's analysis (Model and Sweep read the
    /// whole-model results instead, Methods its own run on the weight).
    public static let tensorViews: [ViewKind] = [.histogram, .mapping, .error, .packing, .bits, .matmul]

    public var title: String {
        switch self {
        case .histogram: return "Histogram"
        case .mapping: return "Mapping"
        case .error: return "Error"
        case .packing: return "Packing"
        case .bits: return "Float bits"
        case .matmul: return "Matmul"
        case .model: return "Model"
        case .sweep: return "Sweep"
        case .methods: return "Methods"
        }
    }

    /// A shorter title for the tabs row of a narrow view area.
    public var shortTitle: String {
        switch self {
        case .histogram: return "Hist"
        case .mapping: return "Map"
        case .error: return "Error"
        case .packing: return "Pack"
        case .bits: return "Bits"
        case .matmul: return "Matmul"
        case .model: return "Model"
        case .sweep: return "Sweep"
        case .methods: return "Meth"
        }
    }

    /// The view shown beside this one on a wide terminal.
    public var companion: ViewKind {
        switch self {
        case .histogram: return .mapping
        case .mapping: return .histogram
        case .error: return .histogram
        case .packing: return .mapping
        case .bits: return .mapping
        case .matmul: return .error
        case .model: return .sweep
        case .sweep: return .model
        case .methods: return .matmul
        }
    }
}

/// Which pane arrow keys act on.
public enum Focus: Sendable, Equatable {
    case browser
    case view
}
