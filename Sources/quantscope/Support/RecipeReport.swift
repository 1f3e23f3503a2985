import Foundation
import QuantEngine

/// What `quantscope recipe` prints (docs/contract.md §7): the recipe file's
/// text, a JSON object with the plan, and a summary for people on stderr.
struct RecipeReport {
    let file: String
    let budget: Double
    let format: RecipeFormat
    let plan: RecipePlanner.Plan
    /// Tensor name → the name the recipe uses for it.
    let targets: [String: String]
    /// Weights not in the plan, and why.
    let left: [(tensor: String, target: String?, reason: String)]

    static let rule = "greedy on error per bit over each tensor's lower convex hull of (bits, squared error)"

    func setting(_ r: ScanResult) -> ModelScan.Setting { ModelScan.Setting(scheme: r.scheme, granularity: r.granularity) }

    func recipeText() -> String {
        switch format {
        case .llama:
            return LlamaTensorTypeFile.text(plan.choices.compactMap { c in
                guard case .gguf(let block) = c.result.scheme else { return nil }
                return (targets[c.result.tensor] ?? c.result.tensor, block)
            })
        case .compressedTensors:
            var groups = [(setting: ModelScan.Setting, modules: [String])]()
            for c in plan.choices {
                let target = targets[c.result.tensor] ?? c.result.tensor
                if let i = groups.firstIndex(where: { $0.setting.scheme == c.result.scheme && $0.setting.granularity == c.result.granularity }) {
                    groups[i].modules.append(target)
                } else {
                    groups.append((setting(c.result), [target]))
                }
            }
            return CompressedTensorsRecipe.text(groups: groups, ignore: left.compactMap(\.target))
        }
    }

    /// The type name or `QuantizationArgs` summary the recipe writes for a choice.
    func written(_ r: ScanResult) -> String {
        if case .gguf(let block) = r.scheme { return LlamaTensorTypeFile.typeName(block) }
        return CompressedTensorsRecipe.weights(setting(r)).map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    func json(recipe: String) -> JSONValue {
        .object([
            .init("file", .string(file)),
            .init("budget", .number(budget)),
            .init("format", .string(format.rawValue)),
            .init("rule", .string(Self.rule)),
            .init("bits_per_weight", .number(plan.bitsPerWeight)),
            .init("total_bits", .integer(Int64(plan.totalBits))),
            .init("elements", .integer(Int64(plan.elements))),
            .init("total_sse", .number(plan.totalSSE)),
            .init("tensors", .array(plan.choices.map { c in
                let r = c.result
                return .object([
                    .init("tensor", .string(r.tensor)),
                    .init("target", .string(targets[r.tensor] ?? r.tensor)),
                    .init("scheme", .string(r.scheme.description)),
                    .init("granularity", .string(r.granularity.description)),
                    .init("written", .string(written(r))),
                    .init("bits_per_weight", .number(r.cost.bitsPerWeight)),
                    .init("bytes", .integer(Int64(r.cost.bytes))),
                    .init("elements", .integer(Int64(r.cost.elements))),
                    .init("sse", .number(c.sse)),
                ] + MetricsText.members(r.metrics, ["mse", "sqnr_db"]))
            })),
            .init("left_out", .array(left.map { l in
                .object([.init("tensor", .string(l.tensor)), .init("target", l.target.map { .string($0) } ?? .null), .init("reason", .string(l.reason))])
            })),
            .init("recipe", .string(recipe)),
        ])
    }

    /// For people: what was chosen, how it spends the budget, and how to use the file.
    func summary(out: String?) -> String {
        var lines = ["\(DisplayText.brief(file)): \(plan.choices.count) tensors planned to \(String(format: "%.4f", plan.bitsPerWeight)) bits/weight "
                     + "(budget \(budget)), total squared error \(String(format: "%.6g", plan.totalSSE)); rule: \(Self.rule)"]
        var counts = [String: Int]()
        for c in plan.choices { counts["\(c.result.scheme) \(c.result.granularity)", default: 0] += 1 }
        lines.append("  " + counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
        for l in left { lines.append("  not planned: \(DisplayText.brief(l.tensor)): \(l.reason)") }
        let path = out.map { DisplayText.brief($0) } ?? "FILE"
        switch format {
        case .llama:
            // Overrides apply only when the default type is quantized; the commonest choice serves.
            let base = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }.map { $0.key.split(separator: " ")[0].uppercased() } ?? "Q8_0"
            // llama-quantize refuses to re-quantize a quantized input without this flag.
            let requantize = plan.choices.contains { !["F32", "F16", "BF16"].contains($0.result.stored) } ? "--allow-requantize " : ""
            lines.append("  use: llama-quantize \(requantize)--tensor-type-file \(path) MODEL-F16.gguf OUT.gguf \(base)")
            let rules = recipeText().split(separator: "\n")
            if rules.count <= 12 {
                let args = rules.map { "--tensor-type '\($0)'" }.joined(separator: " ")
                lines.append("  or:  llama-quantize \(requantize)\(args) MODEL-F16.gguf OUT.gguf \(base)")
            } else {
                lines.append("  or:  each of the \(rules.count) lines as a --tensor-type argument")
            }
        case .compressedTensors:
            lines.append("  use: oneshot(model=..., recipe=\"\(path)\") (llm-compressor), or QuantizationModifier's config_groups and ignore as written")
        }
        if let out { lines.append("wrote \(DisplayText.brief(out))") }
        return lines.joined(separator: "\n")
    }
}
