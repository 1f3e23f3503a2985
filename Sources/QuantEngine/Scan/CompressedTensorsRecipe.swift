/// A plan written as an llm-compressor recipe (docs/contract.md §7, `recipe`):
/// one `QuantizationModifier` whose `config_groups` hold one group per
/// distinct setting, each with compressed-tensors `QuantizationArgs` for the
/// weights and the modules it covers as `targets`, and the modules the plan
/// leaves alone in `ignore`.
///
/// compressed-tensors matches a target against a module's name by
/// `re.match` when it starts with `re:` and by equality otherwise
/// (compressed_tensors/utils/match.py, `match_name`), so each target is
/// `re:^NAME$` with NAME's regex characters escaped, and `ignore` holds the
/// plain names. Strings are YAML single-quoted (backslashes stay as they are).
public enum CompressedTensorsRecipe {
    /// `settings` in the order their groups are numbered, each with its modules.
    public static func text(groups: [(setting: ModelScan.Setting, modules: [String])], ignore: [String]) -> String {
        var lines = ["quant_stage:", "  quant_modifiers:", "    QuantizationModifier:"]
        lines.append("      ignore: [" + ignore.map(quoted).joined(separator: ", ") + "]")
        lines.append("      config_groups:")
        for (index, group) in groups.enumerated() {
            lines.append("        group_\(index):")
            lines.append("          targets: [" + group.modules.map { quoted("re:" + pattern(for: $0)) }.joined(separator: ", ") + "]")
            lines.append("          weights:")
            lines += weights(group.setting).map { "            \($0.key): \($0.value)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `QuantizationArgs` fields for a setting `RecipeFormat.compressedTensors` accepts.
    public static func weights(_ setting: ModelScan.Setting) -> [(key: String, value: String)] {
        var fields = [(key: String, value: String)]()
        switch setting.scheme {
        case .integer(let s):
            fields += [("num_bits", "\(s.bits)"), ("type", "int"), ("symmetric", s.mode == .symmetric ? "true" : "false")]
        default:
            fields += [("num_bits", "\(setting.scheme.codeBits)"), ("type", "float"), ("symmetric", "true")]
        }
        switch setting.granularity ?? setting.scheme.defaultGranularity {
        case .tensor: fields.append(("strategy", "tensor"))
        case .channel: fields.append(("strategy", "channel"))
        case .group(let size): fields += [("strategy", "group"), ("group_size", "\(size)")]
        case .block(let r, let c): fields += [("strategy", "block"), ("block_structure", "[\(r), \(c)]")]
        }
        fields.append(("dynamic", "false"))
        return fields
    }

    /// `^NAME$` with Python `re`'s special characters escaped.
    public static func pattern(for name: String) -> String {
        let special = Set("\\.^$|?*+()[]{}")
        return "^" + name.map { special.contains($0) ? "\\\($0)" : String($0) }.joined() + "$"
    }

    /// A YAML single-quoted scalar.
    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}
