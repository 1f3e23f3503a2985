import Foundation
import QuantEngine

/// How `stats`, `quantize` and `matmul` spell error metrics, text and JSON,
/// so that a result with ±Inf/NaN in it never prints as a number
/// (docs/contract.md §6): the text says "not finite" with the count, the
/// JSON has null figures and `nonfinite_output`.
enum MetricsText {
    /// "not finite (12 of 512 dequantized values are ±inf/NaN)"; `what`
    /// names one approximation ("dequantized value", "output").
    static func notFinite(_ m: ErrorMetrics, what: String) -> String {
        let n = m.nonfiniteOutput
        return "not finite (\(Numbers.grouped(n)) of \(Numbers.grouped(m.finite)) \(what)\(n == 1 ? " is" : "s are") ±inf/NaN)"
    }

    /// A figure in the short spelling, "not finite", or "—" when no element
    /// was finite to measure.
    static func figure(_ value: Double, _ m: ErrorMetrics) -> String {
        guard m.isFinite else { return "not finite" }
        return m.finite == 0 && m.nonfinite > 0 ? "—" : Numbers.short(value)
    }

    /// The SQNR line. +∞ is an exact result; when non-finite inputs were left
    /// out it says so, since "exact" then covers only the finite ones.
    static func sqnr(_ m: ErrorMetrics, what: String, exact: String, against: String = "") -> String {
        guard m.isFinite else { return notFinite(m, what: what) }
        if m.finite == 0 && m.nonfinite > 0 { return "— (no finite values; \(Numbers.grouped(m.nonfinite)) non-finite)" }
        guard m.sqnrDecibels.isInfinite else { return String(format: "%.2f dB", m.sqnrDecibels) + against }
        guard m.nonfinite > 0 else { return "inf dB (\(exact))" }
        return "inf dB (\(exact) on the \(Numbers.grouped(m.finite)) finite values; \(Numbers.grouped(m.nonfinite)) non-finite left out)"
    }

    /// The cosine line: a number, "undefined" for a zero norm, or "not finite".
    static func cosine(_ m: ErrorMetrics) -> String {
        guard m.isFinite else { return "not finite" }
        if m.finite == 0 && m.nonfinite > 0 { return "—" }
        return m.cosine.map { String(format: "%.8f", $0) } ?? "undefined (one side is all zeros)"
    }

    /// The named metrics (`mse`, `rmse`, `mae`, `max_abs_err`, `sqnr_db`,
    /// `cosine`) as JSON members in the order given, as `stats` spells them.
    static func members(_ m: ErrorMetrics, _ keys: [String]) -> [JSONValue.Member] {
        keys.map { key in
            switch key {
            case "mse": .init(key, json(m.mse, m))
            case "rmse": .init(key, json(m.rmse, m))
            case "mae": .init(key, json(m.mae, m))
            case "max_abs_err": .init(key, json(m.maxAbsError, m))
            case "sqnr_db": .init(key, json(m.sqnrDecibels, m))
            default: .init(key, .optional(m.cosine))
            }
        }
    }

    /// A metric for JSON: null when the error is not finite.
    static func json(_ value: Double, _ m: ErrorMetrics) -> JSONValue { m.isFinite ? .number(value) : .null }
}
