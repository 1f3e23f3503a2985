/// Why a weight method could not run on a layer problem (docs/contract.md §16).
/// Each case prints as one line naming the problem.
public enum MethodError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A method name `WeightMethod(parsing:)` does not know.
    case unknownMethod(String)
    /// A method this build does not implement yet.
    case notBuiltYet(String)
    /// The methods quantize to integer schemes only (docs/contract.md §1).
    case unsupportedScheme(String)
    /// The methods take `tensor`, `channel` (axis 0) and `group:G`.
    case unsupportedGranularity(String)
    /// Shapes that do not fit: W must be [out, in], X [tokens, in].
    case shapeMismatch(String)
    /// A NaN or ±Inf in the weight or the activations.
    case nonFinite(String)
    /// The damped Hessian is not positive definite (a pivot ≤ 0 in its Cholesky).
    case notPositiveDefinite(column: Int)
    /// The arithmetic left Float32's range (a weight or activations near its limits).
    case overflow(String)
    case cancelled

    public var description: String {
        switch self {
        case .unknownMethod(let s):
            return "unknown method '\(s)' (rtn, gptq, gptq-actorder, awq, awq-clip, smoothquant)"
        case .notBuiltYet(let s): return "method \(s) is not built yet"
        case .unsupportedScheme(let s): return "method needs an integer scheme (intB, intB-asym, uintB …), not \(s)"
        case .unsupportedGranularity(let s): return "method needs granularity tensor, channel or group:G, not \(s)"
        case .shapeMismatch(let s): return "shape mismatch: \(s)"
        case .nonFinite(let s): return "\(s) holds NaN or Inf"
        case .notPositiveDefinite(let c): return "the damped Hessian is not positive definite (column \(c)); raise the damping"
        case .overflow(let s): return "\(s) overflowed Float32; rescale the weight or the activations"
        case .cancelled: return "cancelled"
        }
    }
}
