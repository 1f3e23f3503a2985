/// A JSON document with object keys kept in order: what safetensors headers
/// are parsed into and what `--json` output is built from.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// An integer literal that fits in Int64.
    case integer(Int64)
    /// Any other number. Writing a non-finite one gives the strings "inf", "-inf", "nan".
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One key and its value, in document order.
    public struct Member: Equatable, Sendable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value for `key` in an object (the first, if repeated).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// A Float32 written with the digits that give back its exact value as a Double.
    public static func float(_ value: Float) -> JSONValue { .number(Double(value)) }

    /// An optional Double, null when absent.
    public static func optional(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: [Member]? { if case .object(let o) = self { return o } else { return nil } }

    /// The value as an Int when it is an integer literal (or an integral number).
    public var intValue: Int? {
        switch self {
        case .integer(let i): return Int(exactly: i)
        case .number(let d) where d == d.rounded() && abs(d) < 9.0e15: return Int(d)
        default: return nil
        }
    }
}

extension JSONValue {
    /// The JSON text: objects one member per line when `pretty`; arrays of
    /// scalars always on one line, so long `scales` arrays stay readable.
    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: pretty ? 0 : nil)
        return out
    }

    private func write(into out: inout String, indent: Int?) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .number(let d): out += JSONValue.format(d)
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            let nested = items.contains { if case .array = $0 { return true }; if case .object = $0 { return true }; return false }
            guard let indent, nested, !items.isEmpty else {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += indent == nil ? "," : ", " }
                    item.write(into: &out, indent: indent == nil ? nil : 0)
                }
                out += "]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                item.write(into: &out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let members):
            guard let indent, !members.isEmpty else {
                out += "{"
                for (i, m) in members.enumerated() {
                    if i > 0 { out += "," }
                    JSONValue.quote(m.key, into: &out)
                    out += ":"
                    m.value.write(into: &out, indent: nil)
                }
                out += "}"
                return
            }
            out += "{\n"
            for (i, m) in members.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                JSONValue.quote(m.key, into: &out)
                out += ": "
                m.value.write(into: &out, indent: indent + 1)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    /// Shortest round-trip digits; non-finite values as the strings docs/contract.md §6 uses.
    static func format(_ d: Double) -> String {
        if d.isNaN { return "\"nan\"" }
        if d.isInfinite { return d > 0 ? "\"inf\"" : "\"-inf\"" }
        if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) + (d == 0 && d.sign == .minus ? ".0" : "") }
        return "\(d)"
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // C0 must be escaped; DEL, C1, the line separators and invisible format
                // characters (bidi overrides) may be, and are, so that printing the
                // JSON to a terminal cannot drive it or hide text. Values are unchanged.
                if DisplayText.needsEscape(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
