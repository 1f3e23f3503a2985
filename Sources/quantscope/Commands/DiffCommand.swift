import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope diff`: an original checkpoint against a quantized one of the
/// same model, tensor by tensor (docs/contract.md §7).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare an original checkpoint with a quantized one: stored type, bits per weight and error per tensor."
    )

    @Argument(help: "The original (unquantized) checkpoint.")
    var original: String

    @Argument(help: "The quantized checkpoint (GGUF, pre-quantized safetensors, …).")
    var quantized: String

    @Flag(name: .long, help: "Print one JSON object (docs/contract.md §7).")
    var json = false

    func run() throws {
        let a = try Checkpoint.openInput(original), b = try Checkpoint.openInput(quantized)
        let (pairs, unmatchedOriginal, unmatchedQuantized) = CheckpointDiff.match(original: a, quantized: b)
        let bar = ProgressBar(label: "comparing \(pairs.count) tensors")
        var results = [CheckpointDiff.Result]()
        for (i, pair) in pairs.enumerated() {
            results.append(try CheckpointDiff.compare(pair, original: a, quantized: b))
            bar.update(Double(i + 1) / Double(max(1, pairs.count)))
        }
        bar.finish()
        let unmatched = unmatchedOriginal.map { ($0, "original") } + unmatchedQuantized.map { ($0, "quantized") }
        if json {
            print(JSONValue.object([
                .init("original", .string(a.path)),
                .init("quantized", .string(b.path)),
                .init("tensors", .array(results.map { r in
                    let m = r.metrics
                    return .object([
                        .init("tensor", .string(r.pair.quantized.name)),
                        .init("counterpart", .string(r.pair.original.name)),
                        .init("shape", .array(r.pair.quantized.shape.map { .integer(Int64($0)) })),
                        .init("stored", .string(r.stored)),
                        .init("bits_per_weight", .number(r.bitsPerWeight)),
                    ] + MetricsText.members(m, ["mse", "sqnr_db", "cosine", "max_abs_err"]) + [
                        .init("permuted_heads", r.pair.permutedHeads.map { .integer(Int64($0)) } ?? .null),
                    ])
                })),
                .init("unmatched", .array(unmatched.map { .object([.init("tensor", .string($0.0)), .init("side", .string($0.1))]) })),
            ]).serialized())
            return
        }
        let width = min(50, max(8, results.map { DisplayText.brief($0.pair.quantized.name).count }.max() ?? 8))
        var lines = ["\(DisplayText.brief(a.path)) → \(DisplayText.brief(b.path)): \(results.count) tensors matched, \(unmatched.count) unmatched", ""]
        lines.append("tensor".padding(toLength: width, withPad: " ", startingAt: 0) + "  " + "stored".padding(toLength: 12, withPad: " ", startingAt: 0)
            + "bits/w".leftPadded(8) + "SQNR dB".leftPadded(10) + "max err".leftPadded(12) + "  original")
        for r in results {
            let m = r.metrics
            let sqnr = m.isFinite ? (m.sqnrDecibels.isFinite ? String(format: "%.2f", m.sqnrDecibels) : "inf") : "n/f"
            lines.append(DisplayText.brief(r.pair.quantized.name).padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + DisplayText.brief(r.stored).padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: "%.3f", r.bitsPerWeight).leftPadded(8)
                + sqnr.leftPadded(10) + MetricsText.figure(m.maxAbsError, m).leftPadded(12) + "  " + DisplayText.brief(r.pair.original.name)
                + (r.pair.permutedHeads.map { " (Q/K rows permuted, \($0) heads)" } ?? ""))
        }
        for (name, side) in unmatched { lines.append("unmatched (\(side)): \(DisplayText.brief(name))") }
        print(lines.joined(separator: "\n"))
    }
}
