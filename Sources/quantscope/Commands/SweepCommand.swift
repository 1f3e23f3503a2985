import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope sweep`: one layer through every scheme and granularity
/// quantscope knows, error against bits per weight, the Pareto front marked
/// (docs/contract.md §7).
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "One tensor through every scheme and granularity: error against bits per weight, the Pareto front marked."
    )

    @Argument(help: "The checkpoint file.")
    var file: String

    @Option(name: .long, help: "The tensor's name (optional when the file holds one tensor).")
    var tensor: String?

    @Flag(name: .long, help: "Print one JSON object (docs/contract.md §7).")
    var json = false

    func run() throws {
        let checkpoint = try Checkpoint.openInput(file)
        let info = try TensorChoice.choose(in: checkpoint, file: file, tensor: tensor)
        let settings = SchemeSweep.settings(rank: info.shape.count)
        let bar = ProgressBar(label: "sweeping \(settings.count) settings")
        let (results, skipped) = try ModelScan.run(checkpoint, tensors: [info], settings: settings, progress: bar.update)
        bar.finish()
        let points = results.sorted { ($0.cost.bitsPerWeight, $0.metrics.mse) < ($1.cost.bitsPerWeight, $1.metrics.mse) }
        let front = ParetoFront.mark(points)
        if json {
            print(JSONValue.object([
                .init("tensor", .string(info.name)),
                .init("shape", .array(info.shape.map { .integer(Int64($0)) })),
                .init("stored", .string(info.dtype)),
                .init("points", .array(zip(points, front).map { r, onFront in
                    let m = r.metrics
                    return .object([
                        .init("scheme", .string(r.scheme.description)),
                        .init("granularity", .string(r.granularity.description)),
                        .init("bits_per_weight", .number(r.cost.bitsPerWeight)),
                        .init("bytes", .integer(Int64(r.cost.bytes))),
                    ] + MetricsText.members(m, ["mse", "rmse", "max_abs_err", "sqnr_db", "cosine"]) + [.init("pareto", .bool(onFront))])
                })),
                .init("skipped", .array(skipped.map { .object([.init("scheme", .string($0.setting)), .init("reason", .string($0.reason))]) })),
            ]).serialized())
            return
        }
        var lines = ["\(DisplayText.brief(info.name)) \(info.shape) \(DisplayText.brief(info.dtype)): \(points.count) settings by bits per weight; ★ = Pareto front (no setting is both cheaper and more accurate)", ""]
        lines.append("   " + "setting".padding(toLength: 26, withPad: " ", startingAt: 0) + "bits/w".leftPadded(8) + "SQNR dB".leftPadded(10) + "RMSE".leftPadded(12))
        for (r, onFront) in zip(points, front) {
            let m = r.metrics
            let sqnr = m.isFinite ? (m.sqnrDecibels.isFinite ? String(format: "%.2f", m.sqnrDecibels) : "inf") : "n/f"
            lines.append((onFront ? " ★ " : "   ") + "\(r.scheme) \(r.granularity)".padding(toLength: 26, withPad: " ", startingAt: 0)
                + String(format: "%.3f", r.cost.bitsPerWeight).leftPadded(8) + sqnr.leftPadded(10) + MetricsText.figure(m.rmse, m).leftPadded(12))
        }
        for s in skipped { lines.append("   skipped \(s.setting): \(DisplayText.brief(s.reason))") }
        print(lines.joined(separator: "\n"))
    }
}

extension String {
    /// Right-aligned in `width` columns.
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
