import Foundation
import QuantEngine

/// What `quantscope scan` prints (docs/contract.md §7): rows sorted by
/// sensitivity (worst SQNR first), and per scheme the model's size and its
/// mean and worst SQNR. The metrics are `stats`'s, spelled the same way.
struct ScanReport {
    let checkpoint: Checkpoint
    let tensors: [TensorInfo]
    let schemes: [Scheme]
    let results: [ScanResult]
    let skipped: [(tensor: String, setting: String, reason: String)]

    /// Worst SQNR first; a result whose error is not finite counts as the worst.
    var sorted: [ScanResult] {
        results.sorted { a, b in
            let x = a.metrics.isFinite ? a.metrics.sqnrDecibels : -.infinity
            let y = b.metrics.isFinite ? b.metrics.sqnrDecibels : -.infinity
            return x != y ? x < y : (a.tensor, a.scheme.description) < (b.tensor, b.scheme.description)
        }
    }

    struct Summary {
        var scheme: Scheme
        var granularity: String
        var tensors: Int
        var bytes: Int
        var modelBytes: Int
        var bitsPerWeight: Double
        var meanSQNR: Double?
        var worst: ScanResult?
    }

    /// Per scheme: the scanned tensors' bytes under it, the whole model's (the
    /// rest as stored), and the mean and worst SQNR over finite results.
    var summaries: [Summary] {
        let scanned = Set(tensors.map(\.name))
        let owners = checkpoint.sideTensorOwners
        let rest = checkpoint.tensors.filter { !scanned.contains($0.name) && owners[$0.name] == nil }.reduce(0) { $0 + $1.byteCount }
        return schemes.map { scheme in
            let rows = results.filter { $0.scheme == scheme }
            let bytes = rows.reduce(0) { $0 + $1.cost.bytes }
            let elements = rows.reduce(0) { $0 + $1.cost.elements }
            let finite = rows.filter { $0.metrics.isFinite && $0.metrics.sqnrDecibels.isFinite }
            let mean = finite.isEmpty ? nil : finite.reduce(0) { $0 + $1.metrics.sqnrDecibels } / Double(finite.count)
            let worst = rows.min { a, b in
                (a.metrics.isFinite ? a.metrics.sqnrDecibels : -.infinity) < (b.metrics.isFinite ? b.metrics.sqnrDecibels : -.infinity)
            }
            let granularities = Set(rows.map { $0.granularity.description })
            return Summary(scheme: scheme, granularity: granularities.count == 1 ? granularities.first! : "mixed", tensors: rows.count,
                           bytes: bytes, modelBytes: bytes + rest,
                           bitsPerWeight: elements == 0 ? 0 : Double(bytes * 8) / Double(elements), meanSQNR: mean, worst: worst)
        }
    }

    func json() -> JSONValue {
        let rows: [JSONValue] = sorted.map { r in
            let m = r.metrics
            return .object([
                .init("tensor", .string(r.tensor)),
                .init("shape", .array(r.shape.map { .integer(Int64($0)) })),
                .init("stored", .string(r.stored)),
                .init("stored_bits_per_weight", .number(r.storedBitsPerWeight)),
                .init("scheme", .string(r.scheme.description)),
                .init("granularity", .string(r.granularity.description)),
                .init("bits_per_weight", .number(r.cost.bitsPerWeight)),
                .init("bytes", .integer(Int64(r.cost.bytes))),
            ] + MetricsText.members(m, ["mse", "rmse", "max_abs_err", "sqnr_db", "cosine"]))
        }
        let summary: [JSONValue] = summaries.map { s in
            .object([
                .init("scheme", .string(s.scheme.description)),
                .init("granularity", .string(s.granularity)),
                .init("tensors", .integer(Int64(s.tensors))),
                .init("bytes", .integer(Int64(s.bytes))),
                .init("model_bytes", .integer(Int64(s.modelBytes))),
                .init("bits_per_weight", .number(s.bitsPerWeight)),
                .init("mean_sqnr_db", .optional(s.meanSQNR)),
                .init("worst_sqnr_db", s.worst.map { MetricsText.json($0.metrics.sqnrDecibels, $0.metrics) } ?? .null),
                .init("worst_tensor", s.worst.map { .string($0.tensor) } ?? .null),
            ])
        }
        return .object([
            .init("file", .string(checkpoint.path)),
            .init("schemes", .array(schemes.map { .string($0.description) })),
            .init("tensors", .array(rows)),
            .init("summary", .array(summary)),
            .init("skipped", .array(skipped.map { .object([.init("tensor", .string($0.tensor)), .init("scheme", .string($0.setting)),
                                                            .init("reason", .string($0.reason))]) })),
        ])
    }

    func csv() -> String {
        var out = "tensor,shape,stored,scheme,granularity,bits_per_weight,bytes,mse,rmse,max_abs_err,sqnr_db,cosine\n"
        func quoted(_ s: String) -> String { s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        func number(_ v: Double, _ m: ErrorMetrics) -> String { m.isFinite ? "\(v)" : "" }
        for r in sorted {
            let m = r.metrics
            out += [quoted(r.tensor), r.shape.map(String.init).joined(separator: "x"), quoted(r.stored), r.scheme.description,
                    quoted(r.granularity.description), String(format: "%.4f", r.cost.bitsPerWeight), "\(r.cost.bytes)",
                    number(m.mse, m), number(m.rmse, m), number(m.maxAbsError, m), number(m.sqnrDecibels, m),
                    m.cosine.map { "\($0)" } ?? ""].joined(separator: ",") + "\n"
        }
        return out
    }

    func table() -> String {
        let rows = sorted
        let nameWidth = min(60, max(6, rows.map { DisplayText.brief($0.tensor).count }.max() ?? 6))
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
        func lpad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
        var lines = ["\(DisplayText.brief(checkpoint.path)): \(tensors.count) weights × \(schemes.count) schemes, most sensitive first", ""]
        lines.append(pad("tensor", nameWidth) + "  " + pad("stored", 10) + "  " + pad("scheme", 22) + lpad("bits/w", 7) + lpad("SQNR dB", 9) + lpad("RMSE", 11) + lpad("max err", 11))
        for r in rows {
            let m = r.metrics
            let sqnr = m.isFinite ? (m.sqnrDecibels.isFinite ? String(format: "%.2f", m.sqnrDecibels) : "inf") : "n/f"
            lines.append(pad(DisplayText.brief(r.tensor), nameWidth) + "  " + pad(DisplayText.brief(r.stored), 10) + "  "
                + pad("\(r.scheme) \(r.granularity)", 22) + lpad(String(format: "%.3f", r.cost.bitsPerWeight), 7) + lpad(sqnr, 9)
                + lpad(MetricsText.figure(m.rmse, m), 11) + lpad(MetricsText.figure(m.maxAbsError, m), 11))
        }
        lines += ["", "per scheme"]
        for s in summaries {
            let mean = s.meanSQNR.map { String(format: "%.2f dB", $0) } ?? "—"
            let worst = s.worst.map { w in (w.metrics.isFinite ? String(format: "%.2f dB", w.metrics.sqnrDecibels) : "not finite") + " (\(DisplayText.brief(w.tensor)))" } ?? "—"
            lines.append("  \(s.scheme) \(s.granularity): \(Numbers.grouped(s.bytes)) bytes for the weights (\(String(format: "%.3f", s.bitsPerWeight)) bits/weight), model \(Numbers.grouped(s.modelBytes)) bytes; SQNR mean \(mean), worst \(worst)")
        }
        for s in skipped { lines.append("  skipped \(DisplayText.brief(s.tensor)) under \(s.setting): \(DisplayText.brief(s.reason))") }
        return lines.joined(separator: "\n")
    }
}
