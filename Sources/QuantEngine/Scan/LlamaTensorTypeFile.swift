/// A plan written as the file llama.cpp's `llama-quantize --tensor-type-file`
/// reads (docs/contract.md §7, `recipe`).
///
/// What llama.cpp does with it (tools/quantize/quantize.cpp,
/// `parse_tensor_type_file` and `parse_tensor_type`; src/llama-quant.cpp,
/// `llama_tensor_get_type`): the file is read as whitespace-separated tokens
/// (`file >> arg`, so there are no comments: `#` would be a malformed token);
/// each token splits at its first `=`; the part before is lowercased and
/// compiled as a `std::regex` (ECMAScript); the part after is matched against
/// ggml's type names case-insensitively; a tensor takes the type of the first
/// pattern that `std::regex_search` finds in its name, and only when the
/// default type given on the command line is itself quantized.
///
/// So every line here is `^NAME$=type`, one per tensor, with NAME escaped so
/// that lowercasing cannot change what it matches: `.` and the other regex
/// characters get a backslash; `=`, whitespace, upper-case letters and bytes
/// outside ASCII are written as `\xHH`.
public enum LlamaTensorTypeFile {
    /// The file's text: one `pattern=type` line per (GGUF name, GGUF block type).
    public static func text(_ lines: [(target: String, type: GGUFBlockScheme)]) -> String {
        lines.map { "\(pattern(for: $0.target))=\(typeName($0.type))\n" }.joined()
    }

    /// The anchored, escaped pattern that matches exactly `name` after llama.cpp lowercases it.
    public static func pattern(for name: String) -> String {
        var out = "^"
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                out.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "|"), UInt8(ascii: "?"), UInt8(ascii: "*"),
                 UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
                 UInt8(ascii: "}"), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                out += "\\" + String(Character(Unicode.Scalar(byte)))
            default:
                let hex = String(byte, radix: 16)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out + "$"
    }

    /// ggml's own spelling of the type (`ggml_type_name`): `q8_0`, `q4_K`.
    public static func typeName(_ type: GGUFBlockScheme) -> String {
        let name = type.ggmlType.name.lowercased()
        return name.hasSuffix("_k") ? String(name.dropLast()) + "K" : name
    }
}
