import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope stats`: quantize one tensor and report the error (docs/contract.md §6, §7).
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Quantize a tensor and report the error: MSE, SQNR, max error, cosine, scales."
    )

    @OptionGroup var options: QuantizeOptions

    @Flag(name: .long, help: "Print one JSON object (docs/contract.md §7) instead of a table.")
    var json = false

    func run() throws {
        let (scheme, granularity) = try options.parsed()
        _ = try options.parsedCalibration()
        let (_, info, tensor) = try options.load()
        let ((clip, calibration), calibrationTime) = try Clock.measure { try options.chooseClip(tensor, scheme: scheme, granularity: granularity) }
        let (q, elapsed) = try Clock.measure { try Quantizer.quantize(tensor, scheme: scheme, granularity: granularity, clip: clip) }
        if json {
            var object = StatsReport.json(info: info, quantized: q, elapsed: elapsed)
            if let calibration, case .object(var fields) = object {
                fields.append(.init("calibration", CalibrationReport.json(calibration, milliseconds: calibrationTime)))
                object = .object(fields)
            }
            print(object.serialized())
        } else {
            var table = StatsReport.table(info: info, tensor: tensor, quantized: q, elapsed: elapsed)
            if let calibration { table += "\n" + CalibrationReport.rows(calibration, milliseconds: calibrationTime) }
            print(table)
        }
    }
}

/// The two renderings of a stats result.
enum StatsReport {
    static func json(info: TensorInfo, quantized q: QuantizedTensor, elapsed: Double) -> JSONValue {
        let m = q.metrics
        return .object([
            .init("tensor", .string(info.name)),
            .init("shape", .array(info.shape.map { .integer(Int64($0)) })),
            .init("dtype", .string(info.dtype)),
            .init("scheme", .string(q.scheme.description)),
            .init("granularity", .string(q.granularity.description)),
            .init("groups", .integer(Int64(q.scales.count))),
            .init("elements", .integer(Int64(m.elements))),
            .init("nonfinite", .integer(Int64(m.nonfinite))),
            .init("nonfinite_output", .integer(Int64(m.nonfiniteOutput))),
            .init("mse", MetricsText.json(m.mse, m)),
            .init("rmse", MetricsText.json(m.rmse, m)),
            .init("mae", MetricsText.json(m.mae, m)),
            .init("max_abs_err", MetricsText.json(m.maxAbsError, m)),
            .init("sqnr_db", MetricsText.json(m.sqnrDecibels, m)),
            .init("cosine", .optional(m.cosine)),
            .init("scales", .array(q.scales.map(JSONValue.float))),
            .init("zero_points", .array((q.zeroPoints ?? [Int32](repeating: 0, count: q.scales.count)).map { .integer(Int64($0)) })),
            .init("zero_points_outside_codes", .integer(Int64(q.zeroPointsOutsideCodes))),
            .init("elapsed_ms", .number((elapsed * 1000).rounded() / 1000)),
        ])
    }

    static func table(info: TensorInfo, tensor: Tensor, quantized q: QuantizedTensor, elapsed: Double) -> String {
        let m = q.metrics
        let summary = tensor.values.withUnsafeBufferPointer { TensorSummary($0) }
        var rows: [(String, String)] = [
            ("tensor", DisplayText.brief(info.name)),
            ("shape", "\(info.shape)  \(DisplayText.brief(info.dtype))  \(Numbers.grouped(m.elements)) elements, \(m.nonfinite) non-finite"),
            ("values", summary.hasFiniteValues
                ? "min \(Numbers.short(summary.min))  max \(Numbers.short(summary.max))  mean \(Numbers.short(summary.mean))  std \(Numbers.short(summary.std))"
                : "min —  max —  mean —  std —  (no finite values)"),
            ("scheme", "\(q.scheme) \(q.granularity)  (\(Numbers.grouped(q.scales.count)) groups\(q.clip < 1 ? ", clip \(q.clip)" : ""))"),
            ("mse", m.isFinite ? MetricsText.figure(m.mse, m) : MetricsText.notFinite(m, what: "dequantized value")),
            ("rmse", MetricsText.figure(m.rmse, m)),
            ("mae", MetricsText.figure(m.mae, m)),
            ("max |error|", MetricsText.figure(m.maxAbsError, m)),
            ("SQNR", MetricsText.sqnr(m, what: "dequantized value", exact: "exact")),
            ("cosine", MetricsText.cosine(m)),
            ("RMSE / S", m.finite == 0 ? "—" : q.rmseOverScale.map { String(format: "%.4f  (uniform rounding: 1/√12 = 0.2887)", $0) } ?? "not finite"),
        ]
        let scales = q.scales.prefix(4).map { Numbers.short(Double($0)) }.joined(separator: ", ") + (q.scales.count > 4 ? ", …" : "")
        rows.append(("scales", scales))
        if let zeros = q.zeroPoints, zeros.contains(where: { $0 != 0 }) {
            rows.append(("zero-points", zeros.prefix(8).map(String.init).joined(separator: ", ") + (zeros.count > 8 ? ", …" : "")))
        }
        if case .integer(let s) = q.scheme, q.zeroPointsOutsideCodes > 0 {
            // docs/contract.md §10: the seed's exact range can put Z outside the codes.
            rows.append(("", "Z outside the codes \(s.qmin)…\(s.qmax) in \(Numbers.grouped(q.zeroPointsOutsideCodes)) of "
                + "\(Numbers.grouped(q.scales.count)) groups: x̂ = S·(q − Z) is right in float, but Z does not fit int\(s.bits)"))
        }
        rows.append(("elapsed", String(format: "%.2f ms (quantize + dequantize + metrics)", elapsed)))
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n")
    }
}

/// Number spellings for tables: a fixed number of significant digits.
enum Numbers {
    static func short(_ value: Double, digits: Int = 5) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e6 { return String(format: "%.\(digits)g", value) }
        return String(format: "%.\(digits - 1)e", value)
    }

    static func short(_ value: Float, digits: Int = 5) -> String { short(Double(value), digits: digits) }

    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }
}
