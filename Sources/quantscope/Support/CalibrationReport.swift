import QuantEngine

/// How `stats` and `quantize` report a `--calibration` (docs/contract.md §7, §12).
enum CalibrationReport {
    /// `{method, clip, threshold, max_abs, mse, evaluations, elapsed_ms}`; mse is null when not finite or nothing is finite.
    static func json(_ r: CalibrationResult, milliseconds: Double) -> JSONValue {
        .object([
            .init("method", .string(r.method.description)),
            .init("clip", .float(r.clip)),
            .init("threshold", .number(r.threshold)),
            .init("max_abs", .number(r.maxAbs)),
            .init("mse", .optional(r.mse)),
            .init("evaluations", .integer(Int64(r.curve.points.count))),
            .init("elapsed_ms", .number((milliseconds * 1000).rounded() / 1000)),
        ])
    }

    /// The table rows `stats` appends.
    static func rows(_ r: CalibrationResult, milliseconds: Double) -> String {
        var lines = ["calibration  " + line(r).dropFirst("calibration ".count)]
        if !r.marks.isEmpty {
            let marks = r.marks.map { m in "\(m.method.brief) clip \(Numbers.short(m.clip, digits: 4)) → MSE \(m.mse.map { Numbers.short($0) } ?? "—")" }
            lines.append("             " + marks.joined(separator: " · "))
        }
        lines.append("             \(r.curve.points.count) clips measured in \(String(format: "%.0f", milliseconds)) ms")
        return lines.joined(separator: "\n")
    }

    /// One line: the method, the chosen clip and threshold.
    static func line(_ r: CalibrationResult) -> String {
        guard r.maxAbs > 0 || r.mse != nil else {
            return "calibration \(r.method): no finite value to calibrate on; clip 1"
        }
        return "calibration \(r.method): clip \(Numbers.short(r.clip, digits: 4)), threshold \(Numbers.short(r.threshold)) of max |x| \(Numbers.short(r.maxAbs))"
            + ", MSE \(r.mse.map { Numbers.short($0) } ?? "not finite")"
    }
}
