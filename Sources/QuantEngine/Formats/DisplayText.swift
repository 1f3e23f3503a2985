/// Text that came from a file (tensor names, metadata, dtype spellings,
/// paths) made safe to print to a terminal: the one place that decides how
/// hostile strings look in human output (docs/contract.md §7).
///
/// - Control characters become visible escapes — `\n`, `\r`, `\t`, and
///   `\xHH` for the rest of C0, DEL and C1 (so ESC is `\x1b`) — and
///   invisible format characters (bidi overrides, zero-width ones) and the
///   Unicode line and paragraph separators become `\u{HHHH}`. A backslash is
///   left alone, so sanitizing twice changes nothing.
/// - `brief` also caps the length, eliding the middle and noting the whole
///   length, so that a 1 MB name makes a short error line.
///
/// JSON output does not use this: JSON's own escaping keeps every byte.
public enum DisplayText {
    /// The default cap on a file-provided string in a message or a table.
    public static let defaultLimit = 200

    /// `text` with every control and invisible format character escaped.
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.append(scalar)
                continue
            }
            let escape: String
            switch scalar {
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            default:
                let hex = String(scalar.value, radix: 16)
                escape = scalar.value < 0x100
                    ? "\\x" + (hex.count < 2 ? "0" : "") + hex
                    : "\\u{" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex.uppercased() + "}"
            }
            out.append(contentsOf: escape.unicodeScalars)
        }
        return String(out)
    }

    /// `text` sanitized and, when longer than `limit` characters, cut in
    /// the middle: `first…[1048576 characters]…last`.
    public static func brief(_ text: String, limit: Int = defaultLimit) -> String {
        let clean = sanitized(text)
        let count = clean.count
        guard count > limit else { return clean }
        let keep = max(limit - 24, 2)
        let head = keep - keep / 3, tail = keep / 3
        return String(clean.prefix(head)) + "…[\(count) characters]…" + String(clean.suffix(tail))
    }

    /// Whether `scalar` would change the terminal's state or hide itself.
    @inline(__always)
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v <= 0x9F) { return true }
        if v < 0xA0 { return false }
        switch scalar.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}
