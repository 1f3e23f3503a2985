/// How a layer's weight is turned into integer codes (docs/contract.md §16):
/// round-to-nearest, or one of the calibration-aware methods that look at
/// the activations the layer sees.
public enum WeightMethod: Hashable, Sendable, CustomStringConvertible {
    case rtn
    case gptq(GPTQOptions)
    case awq(AWQOptions)
    /// α: how much of the activations' range is moved into the weights.
    case smoothQuant(alpha: Double)

    /// Every spelling, in the order `--method` lists them.
    public static let spellings = ["rtn", "gptq", "gptq-actorder", "awq", "awq-clip", "smoothquant"]

    /// Parses `rtn`, `gptq`, `gptq-actorder`, `awq`, `awq-clip`, `smoothquant` (default options).
    public init(parsing text: String) throws(MethodError) {
        switch text.lowercased() {
        case "rtn": self = .rtn
        case "gptq": self = .gptq(GPTQOptions())
        case "gptq-actorder": self = .gptq(GPTQOptions(actOrder: true))
        case "awq": self = .awq(AWQOptions())
        case "awq-clip": self = .awq(AWQOptions(clipSearch: true))
        case "smoothquant": self = .smoothQuant(alpha: 0.5)
        default: throw .unknownMethod(text)
        }
    }

    /// The spelling `init(parsing:)` reads back (options beyond it are not spelled).
    public var name: String {
        switch self {
        case .rtn: return "rtn"
        case .gptq(let o): return o.actOrder ? "gptq-actorder" : "gptq"
        case .awq(let o): return o.clipSearch ? "awq-clip" : "awq"
        case .smoothQuant: return "smoothquant"
        }
    }

    public var description: String { name }
}
