import Foundation

/// How llama.cpp reads a `--tensor-type-file` and picks a tensor's type,
/// written again from its source (llama.cpp 0c1e570, as vendored in
/// llama-cpp-python 0.3.36), independently of quantscope's writer:
/// - tools/quantize/quantize.cpp `parse_tensor_type_file` (l. 349–365): the
///   file is read with `file >> arg`, i.e. tokens separated by C `isspace`;
/// - `parse_tensor_type` (l. 317–347): split at the first `=` (`strchr`),
///   the name part must be non-empty and is lowercased (`tolower`), the type
///   part must be non-empty and is looked up by `parse_ggml_type` (l. 305–315):
///   `striequals` against every `ggml_type_name`;
/// - src/llama-quant.cpp `llama_tensor_get_type` (l. 717–773, the search at l. 751): the patterns are
///   `std::regex` (ECMAScript), tried in order with `std::regex_search`; the
///   first hit wins; only for tensors `tensor_allows_quantization` lets through
///   (l. 287–340: names ending in `weight`, not `_norm.weight`, rank ≥ 2).
/// NSRegularExpression stands in for std::regex: they agree on the escapes,
/// anchors and classes these files use.
enum LlamaTensorTypeMirror {
    /// ggml_type_name for the types a file may name (ggml/src/ggml.c type_traits).
    static let ggmlNames = ["f32", "f16", "q4_0", "q4_1", "q5_0", "q5_1", "q8_0", "q8_1", "q2_K", "q3_K", "q4_K", "q5_K", "q6_K",
                            "q8_K", "iq2_xxs", "iq2_xs", "iq3_xxs", "iq1_s", "iq4_nl", "iq3_s", "iq2_s", "iq4_xs", "i8", "i16",
                            "i32", "i64", "f64", "iq1_m", "bf16", "tq1_0", "tq2_0", "mxfp4"]

    struct Malformed: Error, CustomStringConvertible { let description: String }

    /// The (pattern, type) rules of a file, the type spelled upper-case as gguf-py names it.
    static func parse(_ text: String) throws -> [(regex: NSRegularExpression, type: String)] {
        let tokens = text.split(whereSeparator: { " \t\n\u{0B}\u{0C}\r".contains($0) })
        return try tokens.map { token in
            guard let eq = token.firstIndex(of: "=") else { throw Malformed(description: "malformed tensor type '\(token)'") }
            let name = token[..<eq], type = token[token.index(after: eq)...]
            guard !name.isEmpty else { throw Malformed(description: "missing tensor name") }
            guard !type.isEmpty else { throw Malformed(description: "missing quantization type") }
            guard let known = ggmlNames.first(where: { $0.caseInsensitiveCompare(String(type)) == .orderedSame }) else {
                throw Malformed(description: "invalid ggml_type '\(type)'")
            }
            let lowered = String(name.unicodeScalars.map { $0.isASCII ? Character(String($0).lowercased()) : Character($0) })
            return (try NSRegularExpression(pattern: lowered), known.uppercased())
        }
    }

    /// Whether llama-quantize quantizes a tensor of this name at all (rank ≥ 2 assumed).
    static func quantizable(_ name: String) -> Bool { name.hasSuffix("weight") && !name.contains("_norm.weight") }

    /// The type the first matching rule gives `name`, or nil when none matches.
    static func type(of name: String, _ rules: [(regex: NSRegularExpression, type: String)]) -> String? {
        rules.first { $0.regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil }?.type
    }
}
