/// A strict JSON parser for headers read from untrusted files.
///
/// Unlike Foundation's, it keeps object keys in document order and reports
/// duplicate keys (safetensors must reject duplicate tensor names), limits
/// nesting depth, and never traps on malformed input.
public struct JSONParser {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case syntax(offset: Int, expected: String)
        case duplicateKey(String)
        case tooDeep

        public var description: String {
            switch self {
            case .syntax(let offset, let expected): return "JSON syntax error at byte \(offset): expected \(expected)"
            case .duplicateKey(let key): return "duplicate key '\(key)'"
            case .tooDeep: return "JSON nested too deeply"
            }
        }
    }

    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private let maxDepth = 64
    /// When true, a repeated key in any object is an error.
    private let rejectDuplicates: Bool

    /// Parses one JSON value that fills `bytes` (whitespace around it allowed).
    public static func parse(_ bytes: UnsafeRawBufferPointer, rejectDuplicateKeys: Bool = true) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes, rejectDuplicates: rejectDuplicateKeys)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw .syntax(offset: parser.position, expected: "end of document") }
        return value
    }

    /// Parses a UTF-8 string (convenience for tests and small documents).
    public static func parse(_ text: String, rejectDuplicateKeys: Bool = true) throws(Failure) -> JSONValue {
        let utf8 = Array(text.utf8)
        do {
            return try utf8.withUnsafeBytes { raw in try JSONParser.parse(raw, rejectDuplicateKeys: rejectDuplicateKeys) }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .syntax(offset: 0, expected: "a value")
        }
    }

    private init(bytes: UnsafeRawBufferPointer, rejectDuplicates: Bool) {
        self.bytes = bytes
        self.rejectDuplicates = rejectDuplicates
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ name: String) throws(Failure) {
        guard current == byte else { throw .syntax(offset: position, expected: name) }
        position += 1
    }

    private mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
        guard depth < maxDepth else { throw .tooDeep }
        guard let c = current else { throw .syntax(offset: position, expected: "a value") }
        switch c {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw .syntax(offset: position, expected: "a value")
        }
    }

    private mutating func literal(_ word: String) throws(Failure) {
        for byte in word.utf8 {
            guard current == byte else { throw .syntax(offset: position, expected: word) }
            position += 1
        }
    }

    private mutating func parseObject(depth: Int) throws(Failure) -> JSONValue {
        position += 1
        var members: [JSONValue.Member] = []
        var seen = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw .syntax(offset: position, expected: "a string key") }
            let key = try parseString()
            if rejectDuplicates && !seen.insert(key).inserted { throw .duplicateKey(key) }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':'")
            skipWhitespace()
            members.append(JSONValue.Member(key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return .object(members)
        }
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']'")
            return .array(items)
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var run = position
        func flushRun(_ end: Int) throws(Failure) {
            guard end > run else { return }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[run..<end])
            guard let text = String(validating: slice, as: UTF8.self) else {
                throw .syntax(offset: run, expected: "valid UTF-8")
            }
            scalars.append(contentsOf: text.unicodeScalars)
        }
        while true {
            guard let c = current else { throw .syntax(offset: position, expected: "closing '\"'") }
            if c == UInt8(ascii: "\"") {
                try flushRun(position)
                position += 1
                return String(scalars)
            }
            if c < 0x20 { throw .syntax(offset: position, expected: "no control characters in strings") }
            if c != UInt8(ascii: "\\") { position += 1; continue }
            try flushRun(position)
            position += 1
            guard let e = current else { throw .syntax(offset: position, expected: "an escape") }
            position += 1
            switch e {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code), current == UInt8(ascii: "\\"),
                   position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") {
                    position += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw .syntax(offset: position, expected: "a low surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw .syntax(offset: position, expected: "a valid \\u escape") }
                scalars.append(scalar)
            default:
                throw .syntax(offset: position - 1, expected: "a valid escape")
            }
            run = position
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = current else { throw .syntax(offset: position, expected: "four hex digits") }
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw .syntax(offset: position, expected: "a hex digit")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private mutating func parseNumber() throws(Failure) -> JSONValue {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw .syntax(offset: position, expected: "a digit")
        }
        func digits() { while let c = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { position += 1 } }
        if first == UInt8(ascii: "0") { position += 1 } else { digits() }
        var integral = true
        if current == UInt8(ascii: ".") {
            integral = false
            position += 1
            guard let c = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) else { throw .syntax(offset: position, expected: "a digit") }
            digits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let c = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) else { throw .syntax(offset: position, expected: "a digit") }
            digits()
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if integral, let value = Int64(text) { return .integer(value) }
        guard let value = Double(text) else { throw .syntax(offset: start, expected: "a number") }
        return .number(value)
    }
}
