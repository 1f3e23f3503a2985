/// How the clipping range is chosen (docs/contract.md §12): the clip
/// fraction that `Quantizer.quantize(clip:)` then applies to every group's range.
///
/// - `minmax`: keep the whole range (clip 1), the observers' default.
/// - `percentile(P)`: clip at the P-th percentile of |x| over the finite
///   elements (numpy's default linear interpolation), so the largest
///   (100 − P) % saturate.
/// - `mse`: the clip with the smallest quantization MSE at the scheme and
///   granularity in use, found by `Calibrator`'s coarse-to-fine search.
public enum Calibration: Hashable, Sendable, CustomStringConvertible {
    case minmax
    case percentile(Double)
    case mse

    /// Parses `minmax`, `percentile:P` (0 < P ≤ 100, e.g. `percentile:99.9`) or `mse`.
    /// - Throws: `QuantizationError.unknownCalibration` naming the spellings.
    public init(parsing text: String) throws(QuantizationError) {
        let key = text.lowercased()
        switch key {
        case "minmax", "min-max": self = .minmax
        case "mse": self = .mse
        default:
            guard key.hasPrefix("percentile:"), let p = Double(key.dropFirst("percentile:".count)),
                  p.isFinite, p > 0, p <= 100 else { throw .unknownCalibration(text) }
            self = .percentile(p)
        }
    }

    /// The CLI spelling: `minmax`, `percentile:99.9`, `mse`.
    public var description: String {
        switch self {
        case .minmax: return "minmax"
        case .mse: return "mse"
        case .percentile(let p): return "percentile:\(Calibration.spell(p))"
        }
    }

    /// Short form for the top bar: `minmax`, `p99.9`, `mse`.
    public var brief: String {
        if case .percentile(let p) = self { return "p\(Calibration.spell(p))" }
        return description
    }

    /// The explorer's `K` stops after "none" (nil).
    public static let cycle: [Calibration] = [.minmax, .percentile(99.9), .percentile(99.99), .mse]

    /// The stop after `current` in none → minmax → p99.9 → p99.99 → mse → none.
    public static func next(after current: Calibration?) -> Calibration? {
        guard let current else { return cycle.first }
        guard let i = cycle.firstIndex(of: current), i + 1 < cycle.count else { return nil }
        return cycle[i + 1]
    }

    /// Whether calibration applies to `scheme`: everything that takes a clip
    /// (int, float, MX, nf4, fp4); GGUF blocks fit their own scales and do not.
    public static func applies(to scheme: Scheme) -> Bool {
        if case .gguf = scheme { return false }
        return true
    }

    /// 99.9 rather than 99.900000000000006; whole numbers without a dot.
    static func spell(_ p: Double) -> String {
        p == p.rounded() ? String(Int(p)) : "\(p)"
    }
}
