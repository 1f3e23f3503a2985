import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope scan`: every weight of a checkpoint under one or more
/// schemes, most sensitive first, with a per-scheme summary (docs/contract.md §7).
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Quantize every weight (rank ≥ 2) under each scheme: error, bits per weight, bytes; worst SQNR first."
    )

    @Argument(help: "The checkpoint file (or a sharded or pre-quantized model's folder).")
    var file: String

    @Option(name: .long, help: "A scheme to scan (repeatable; default: int8 and int4).")
    var scheme: [String] = []

    @Option(name: .long, help: "The granularity for every scheme (default: each scheme's own).")
    var granularity: String?

    @Option(name: .long, help: "Only tensors whose name matches this regular expression.")
    var filter: String?

    @Option(name: .long, help: "Keep this fraction of each group's range, in (0, 1].")
    var clip: Float = 1

    @Flag(name: .long, help: "Print one JSON object (docs/contract.md §7).")
    var json = false

    @Flag(name: .long, help: "Print CSV: one row per tensor and scheme.")
    var csv = false

    func validate() throws {
        guard clip > 0 && clip <= 1 else { throw UsageError("--clip must be in (0, 1], got \(clip)") }
        guard !(json && csv) else { throw UsageError("--json and --csv each choose the output; give one") }
    }

    func run() throws {
        let granularity = try granularity.map { text throws(QuantizationError) in try Granularity(parsing: text) }
        let schemes = try (scheme.isEmpty ? ["int8", "int4"] : scheme).map { text throws(QuantizationError) in try Scheme(parsing: text) }
        let regex: NSRegularExpression?
        do { regex = try filter.map { try NSRegularExpression(pattern: $0) } } catch {
            throw UsageError("--filter is not a regular expression: \(DisplayText.brief(filter ?? ""))")
        }
        let checkpoint = try Checkpoint.openInput(file)
        let tensors = ModelScan.weights(of: checkpoint, filter: regex)
        guard !tensors.isEmpty else {
            throw UsageError("\(file) has no weight of rank ≥ 2 to scan" + (filter.map { " matching '\(DisplayText.brief($0))'" } ?? ""))
        }
        let bar = ProgressBar(label: "scanning \(tensors.count) tensors × \(schemes.count) schemes")
        let settings = schemes.map { ModelScan.Setting(scheme: $0, granularity: granularity) }
        let (results, skipped) = try ModelScan.run(checkpoint, tensors: tensors, settings: settings, clip: clip, progress: bar.update)
        bar.finish()
        let report = ScanReport(checkpoint: checkpoint, tensors: tensors, schemes: schemes, results: results, skipped: skipped)
        if json { print(report.json().serialized()) } else if csv { print(report.csv(), terminator: "") } else { print(report.table()) }
    }
}
