/// A value of the Python literal subset an npy header is written in.
enum PythonLiteral: CustomStringConvertible {
    case none
    case bool(Bool)
    case int(Int)
    /// A number that is not an integer, kept as written.
    case float(String)
    case string(String)
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(key: String, value: PythonLiteral)])

    var kind: String {
        switch self {
        case .none: return "None"
        case .bool: return "a bool"
        case .int: return "an integer"
        case .float: return "a float"
        case .string: return "a string"
        case .tuple: return "a tuple"
        case .list: return "a list"
        case .dict: return "a dict"
        }
    }

    /// The repr, shortened and made printable for a one-line message.
    var brief: String { DisplayText.brief(description) }

    /// Python's repr.
    var description: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let n): return String(n)
        case .float(let text): return text
        case .string(let s): return "'" + s + "'"
        case .tuple(let items): return "(" + items.map(\.description).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .dict(let items): return "{" + items.map { "'\($0.key)': \($0.value)" }.joined(separator: ", ") + "}"
        }
    }

    struct Failure: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// A recursive-descent parser over the header's characters.
    struct Parser {
        let text: [Unicode.Scalar]
        let allowLongSuffix: Bool
        var index = 0
        var depth = 0

        init(_ text: [Unicode.Scalar], allowLongSuffix: Bool) {
            self.text = text
            self.allowLongSuffix = allowLongSuffix
        }

        /// One literal, surrounded only by whitespace.
        mutating func parseDocument() throws(Failure) -> PythonLiteral {
            let value = try parseValue()
            skipWhitespace()
            guard index == text.count else { throw Failure("unexpected \(describe(index)) after the dict") }
            return value
        }

        private mutating func parseValue() throws(Failure) -> PythonLiteral {
            skipWhitespace()
            guard index < text.count else { throw Failure("the header ends where a value should be") }
            switch text[index] {
            case "{", "(", "[":
                depth += 1
                defer { depth -= 1 }
                guard depth <= NPYHeader.maxDepth else { throw Failure("nested more than \(NPYHeader.maxDepth) deep") }
                switch text[index] {
                case "{": return try parseDict()
                case "(": return try parseTuple()
                default: return .list(try parseItems(closing: "]").items)
                }
            case "'", "\"": return .string(try parseString())
            case "-", "+", "0"..."9": return try parseNumber()
            default:
                let word = readWord()
                switch word {
                case "True": return .bool(true)
                case "False": return .bool(false)
                case "None": return .none
                default: throw Failure("unexpected \(word.isEmpty ? describe(index) : "'\(DisplayText.brief(word))'")")
                }
            }
        }

        private mutating func parseDict() throws(Failure) -> PythonLiteral {
            index += 1  // {
            var items: [(key: String, value: PythonLiteral)] = []
            var seen = Set<String>()
            while true {
                skipWhitespace()
                if consume("}") { return .dict(items) }
                guard index < text.count, text[index] == "'" || text[index] == "\"" else {
                    throw Failure("expected a string key or '}' but found \(describe(index))")
                }
                let key = try parseString()
                skipWhitespace()
                guard consume(":") else {
                    throw Failure("expected ':' after '\(DisplayText.brief(key))' but found \(describe(index))")
                }
                let value = try parseValue()
                guard seen.insert(key).inserted else { throw Failure("key '\(DisplayText.brief(key))' appears twice") }
                items.append((key, value))
                skipWhitespace()
                if consume(",") { continue }
                guard consume("}") else { throw Failure("expected ',' or '}' but found \(describe(index))") }
                return .dict(items)
            }
        }

        /// `()`, `(x,)`, `(x, y)`, `(x, y,)`; `(x)` is just x, as in Python.
        private mutating func parseTuple() throws(Failure) -> PythonLiteral {
            let (items, trailingComma) = try parseItems(closing: ")")
            if items.count == 1 && !trailingComma { return items[0] }
            return .tuple(items)
        }

        /// Comma-separated values up to `closing`, after the opening bracket.
        private mutating func parseItems(closing: Unicode.Scalar) throws(Failure) -> (items: [PythonLiteral], trailingComma: Bool) {
            index += 1
            var items: [PythonLiteral] = []
            var trailingComma = false
            while true {
                skipWhitespace()
                if consume(closing) { return (items, trailingComma) }
                items.append(try parseValue())
                skipWhitespace()
                trailingComma = consume(",")
                if trailingComma { continue }
                guard consume(closing) else { throw Failure("expected ',' or '\(closing)' but found \(describe(index))") }
                return (items, false)
            }
        }

        private mutating func parseString() throws(Failure) -> String {
            let quote = text[index]
            index += 1
            var out = String.UnicodeScalarView()
            while index < text.count {
                let c = text[index]
                index += 1
                if c == quote { return String(out) }
                if c == "\n" { throw Failure("a string runs past the end of the line") }
                guard c == "\\" else { out.append(c); continue }
                guard index < text.count else { break }
                let escaped = text[index]
                index += 1
                switch escaped {
                case "\\", "'", "\"": out.append(escaped)
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "0": out.append("\0")
                default: throw Failure("unsupported escape \\\(escaped) in a string")
                }
            }
            throw Failure("a string is not closed")
        }

        private mutating func parseNumber() throws(Failure) -> PythonLiteral {
            let start = index
            var negative = false
            if text[index] == "-" || text[index] == "+" {
                negative = text[index] == "-"
                index += 1
                skipWhitespace()
            }
            var value = 0
            var digits = 0
            var overflow = false
            while index < text.count, let digit = Self.digit(text[index]) {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(digit)
                overflow = overflow || o1 || o2
                value = sum
                digits += 1
                index += 1
            }
            if index < text.count, ".eE".unicodeScalars.contains(text[index]) {
                while index < text.count, "0123456789.eE+-_".unicodeScalars.contains(text[index]) { index += 1 }
                return .float(spelling(from: start))
            }
            guard digits > 0 else { throw Failure("'\(spelling(from: start))' is not a number") }
            if allowLongSuffix, index < text.count, text[index] == "L" || text[index] == "l" { index += 1 }
            guard !overflow else { throw Failure("the integer \(spelling(from: start)) does not fit in 64 bits") }
            return .int(negative ? -value : value)
        }

        private static func digit(_ c: Unicode.Scalar) -> Int? {
            guard c.value >= 0x30, c.value <= 0x39 else { return nil }
            return Int(c.value - 0x30)
        }

        private mutating func readWord() -> String {
            let start = index
            while index < text.count, text[index].properties.isAlphabetic || text[index] == "_" { index += 1 }
            return spelling(from: start)
        }

        private func spelling(from start: Int) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: text[start..<index].prefix(40))
            return String(view)
        }

        private mutating func consume(_ c: Unicode.Scalar) -> Bool {
            guard index < text.count, text[index] == c else { return false }
            index += 1
            return true
        }

        private mutating func skipWhitespace() {
            while index < text.count {
                switch text[index] {
                case " ", "\t", "\n", "\r", "\u{0C}": index += 1
                default: return
                }
            }
        }

        private func describe(_ i: Int) -> String {
            guard i < text.count else { return "the end of the header" }
            let c = text[i]
            return (0x20..<0x7F).contains(c.value) ? "'\(c)' at \(i)" : "U+\(String(c.value, radix: 16, uppercase: true)) at \(i)"
        }
    }
}
