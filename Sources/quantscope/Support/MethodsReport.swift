import Foundation
import QuantEngine

/// The two renderings of `quantscope methods` (docs/contract.md §7).
struct MethodsReport {
    struct Row {
        let method: String
        let weight: ErrorMetrics
        let output: ErrorMetrics
        let milliseconds: Double
        /// Why the method has no figures (nil when it ran).
        let skipped: String?
    }

    let tensor: String
    let shape: [Int]
    let scheme: String
    let granularity: String
    let activations: MethodActivations
    let rows: [Row]

    /// {tensor, scheme, granularity, activations, calibration_tokens,
    /// test_tokens, methods: [{method, weight_sqnr_db, weight_mse,
    /// output_sqnr_db, output_mse, cosine, ms}]}; methods not built are left out.
    var json: JSONValue {
        func r4(_ v: Double) -> Double { (v * 10_000).rounded() / 10_000 }
        let methods: [JSONValue] = rows.filter { $0.skipped == nil }.map { row in
            .object([
                .init("method", .string(row.method)),
                .init("weight_sqnr_db", MetricsText.json(row.weight.sqnrDecibels, row.weight)),
                .init("weight_mse", MetricsText.json(row.weight.mse, row.weight)),
                .init("output_sqnr_db", MetricsText.json(row.output.sqnrDecibels, row.output)),
                .init("output_mse", MetricsText.json(row.output.mse, row.output)),
                .init("cosine", .optional(row.output.cosine)),
                .init("ms", .number(r4(row.milliseconds))),
            ])
        }
        return .object([
            .init("tensor", .string(tensor)),
            .init("shape", .array(shape.map { .integer(Int64($0)) })),
            .init("scheme", .string(scheme)),
            .init("granularity", .string(granularity)),
            .init("activations", .string(activations.label)),
            .init("calibration_tokens", .integer(Int64(activations.calibrationTokens))),
            .init("test_tokens", .integer(Int64(activations.heldOutTokens))),
            .init("methods", .array(methods)),
        ])
    }

    var table: String {
        let a = activations
        var lines = [
            "weight       \(DisplayText.brief(tensor))  \(shape)",
            "scheme       \(scheme) \(granularity)",
            "activations  \(a.calibrationTokens) calibration + \(a.heldOutTokens) held-out tokens × \(a.features): \(DisplayText.brief(a.label, limit: 2 * DisplayText.defaultLimit))",
            "output       Y = X·Wᵀ on the held-out tokens, against float32",
            "",
            pad("method", 15) + pad("weight SQNR", 13, right: true) + pad("output SQNR", 13, right: true)
                + pad("vs rtn", 9, right: true) + pad("output MSE", 13, right: true) + pad("cosine", 10, right: true) + pad("ms", 11, right: true),
        ]
        let rtn = rows.first { $0.method == "rtn" && $0.skipped == nil }?.output
        for row in rows {
            if let skipped = row.skipped {
                lines.append(pad(row.method, 15) + skipped)
                continue
            }
            var gain = "—"
            if let rtn, rtn.isFinite, row.output.isFinite, rtn.sqnrDecibels.isFinite, row.output.sqnrDecibels.isFinite {
                gain = String(format: "%+.2f", row.output.sqnrDecibels - rtn.sqnrDecibels)
            }
            lines.append(pad(row.method, 15) + pad(db(row.weight), 13, right: true) + pad(db(row.output), 13, right: true)
                         + pad(gain, 9, right: true) + pad(MetricsText.figure(row.output.mse, row.output), 13, right: true)
                         + pad(row.output.cosine.map { String(format: "%.6f", $0) } ?? "—", 10, right: true)
                         + pad(String(format: "%.1f", row.milliseconds), 11, right: true))
        }
        lines.append("SQNR in dB (higher is better); vs rtn: output SQNR gained over round-to-nearest")
        return lines.joined(separator: "\n")
    }

    private func db(_ m: ErrorMetrics) -> String {
        guard m.isFinite else { return "not finite" }
        return m.sqnrDecibels.isInfinite ? "exact" : String(format: "%.2f", m.sqnrDecibels)
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let count = text.count
        guard count < width else { return right ? " " + text : text + " " }
        let space = String(repeating: " ", count: width - count)
        return right ? space + text : text + space
    }
}
