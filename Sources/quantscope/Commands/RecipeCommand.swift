import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope recipe`: the per-tensor settings that fit a bits-per-weight
/// budget with the least total squared error, written as a file that
/// llama.cpp's `llama-quantize` or llm-compressor takes as it is
/// (docs/contract.md §7).
struct RecipeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recipe",
        abstract: "Per-tensor schemes that fit a bits/weight budget with the least error, as a llama-quantize or llm-compressor recipe.",
        discussion: """
        Rule: greedy on error per bit over each tensor's lower convex hull of (bits, squared error); not an exact search.
        --format llama writes the file `llama-quantize --tensor-type-file` reads; compressed-tensors writes an llm-compressor recipe (YAML).
        """
    )

    @Argument(help: "The checkpoint file (or a sharded model's folder).")
    var file: String

    @Option(name: .long, help: "Bits per weight the planned tensors may spend on average, parameters included.")
    var budget: Double

    @Option(name: .long, help: "llama or compressed-tensors.")
    var format: String

    @Option(name: .long, help: ArgumentHelp("Candidates, comma-separated, each SCHEME or SCHEME@GRANULARITY (default: the format's own list).",
                                            valueName: "list"))
    var schemes: String?

    @Option(name: .long, help: "Only plan tensors whose name matches this regular expression.")
    var filter: String?

    @Option(name: .long, help: "Write the recipe to this file (atomically; never over the input).")
    var out: String?

    @Flag(name: .long, help: "Print one JSON object (docs/contract.md §7).")
    var json = false

    func validate() throws {
        guard budget.isFinite && budget > 0 else { throw UsageError("--budget must be a positive number of bits per weight, got \(budget)") }
        guard RecipeFormat(rawValue: format) != nil else {
            throw UsageError("--format must be llama or compressed-tensors, got '\(DisplayText.brief(format))'")
        }
    }

    func run() throws {
        let format = RecipeFormat(rawValue: format)!
        let settings = try candidates(format)
        let regex: NSRegularExpression?
        do { regex = try filter.map { try NSRegularExpression(pattern: $0) } } catch {
            throw UsageError("--filter is not a regular expression: \(DisplayText.brief(filter ?? ""))")
        }
        let checkpoint = try Checkpoint.openInput(file)
        var planned = [TensorInfo](), targets = [String: String](), left = [(tensor: String, target: String?, reason: String)]()
        for info in ModelScan.weights(of: checkpoint, filter: regex) {
            guard let target = format.target(for: info.name, checkpointFormat: checkpoint.format, architecture: checkpoint.architecture) else {
                left.append((info.name, nil, format == .llama ? "no GGUF name for it" : "not a module's .weight"))
                continue
            }
            if filter == nil && format.leavesOutByDefault(target: target) {
                left.append((info.name, target, "left alone by default (--filter to plan it)"))
                continue
            }
            planned.append(info)
            targets[info.name] = target
        }
        guard !planned.isEmpty else {
            throw UsageError("\(file) has no weight to plan" + (filter.map { " matching '\(DisplayText.brief($0))'" } ?? ""))
        }
        let bar = ProgressBar(label: "scanning \(planned.count) tensors × \(settings.count) settings")
        let (results, _) = try ModelScan.run(checkpoint, tensors: planned, settings: settings, progress: bar.update)
        bar.finish()
        let plan: RecipePlanner.Plan
        do { plan = try RecipePlanner.plan(results, budget: budget) } catch .budgetTooLow(_, let minimum) {
            throw UsageError("--budget \(budget) is below what these candidates can reach: \(String(format: "%.4f", minimum)) bits/weight "
                             + "at the least (every tensor at its cheapest)")
        } catch {
            throw UsageError("no candidate quantizes any tensor of \(file) with a finite error")
        }
        for name in plan.unplanned { left.append((name, targets[name], "no candidate fits it")) }
        let report = RecipeReport(file: file, budget: budget, format: format, plan: plan, targets: targets, left: left)
        let recipe = report.recipeText()
        if let out { try TextFileWriter.write(recipe, to: out, protecting: checkpoint.inputPaths) }
        if json {
            print(report.json(recipe: recipe).serialized())
        } else {
            if out == nil { print(recipe, terminator: "") }
            FileHandle.standardError.write(Data((report.summary(out: out) + "\n").utf8))
        }
    }

    /// `--schemes` parsed (each `SCHEME[@GRANULARITY]`), or the format's defaults.
    /// - Throws: a usage error for an unknown scheme or granularity, or one the format cannot write.
    func candidates(_ format: RecipeFormat) throws -> [ModelScan.Setting] {
        guard let schemes else { return format.defaultSettings }
        var settings = [ModelScan.Setting]()
        for item in schemes.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard !item.isEmpty else { throw UsageError("--schemes has an empty entry: '\(DisplayText.brief(schemes))'") }
            let parts = item.split(separator: "@", maxSplits: 1).map(String.init)
            let scheme = try Scheme(parsing: parts[0])
            let granularity = try parts.count > 1 ? Granularity(parsing: parts[1]) : nil
            if let granularity, !SchemeCatalog.rule(for: scheme).allows(granularity) {
                throw UsageError("\(scheme) cannot take \(granularity); it takes \(SchemeCatalog.rule(for: scheme).spelling)")
            }
            let setting = ModelScan.Setting(scheme: scheme, granularity: granularity)
            if let why = format.refusal(setting) {
                throw UsageError("--format \(format.rawValue) cannot express \(DisplayText.brief(item)): \(why)")
            }
            settings.append(setting)
        }
        return settings
    }
}
