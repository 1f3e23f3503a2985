import Foundation

/// A reader for the block-style YAML subset an llm-compressor recipe uses:
/// nested mappings by indentation, `key: scalar`, and flow sequences
/// `[a, 'b', ...]` of scalars. Single-quoted scalars keep backslashes and
/// double `''` for a quote (YAML 1.2 §7.3.2); plain `true`/`false`/integers
/// become Bool/Int, as PyYAML's safe_load reads them. Anything else throws.
enum MiniYAML {
    struct Unsupported: Error, CustomStringConvertible { let description: String }

    static func parse(_ text: String) throws -> [String: Any] {
        var lines = text.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }[...]
        return try mapping(&lines, indent: 0)
    }

    private static func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }

    private static func mapping(_ lines: inout ArraySlice<String>, indent: Int) throws -> [String: Any] {
        var out = [String: Any]()
        while let line = lines.first, indentation(line) >= indent {
            guard indentation(line) == indent else { throw Unsupported(description: "unexpected indent: \(line)") }
            lines.removeFirst()
            let body = line.dropFirst(indent)
            guard let colon = body.firstIndex(of: ":") else { throw Unsupported(description: "no key: \(line)") }
            let key = String(body[..<colon]), rest = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard out[key] == nil else { throw Unsupported(description: "duplicate key \(key)") }
            if rest.isEmpty {
                guard let next = lines.first, indentation(next) > indent else { throw Unsupported(description: "empty value for \(key)") }
                out[key] = try mapping(&lines, indent: indentation(next))
            } else {
                out[key] = try value(rest)
            }
        }
        return out
    }

    private static func value(_ text: String) throws -> Any {
        guard text.hasPrefix("[") else { return try scalar(text[...]) }
        guard text.hasSuffix("]") else { throw Unsupported(description: "unclosed sequence: \(text)") }
        var items = [Any](), rest = text.dropFirst().dropLast()[...]
        while true {
            rest = rest.drop { $0 == " " }
            if rest.isEmpty { break }
            var item: Substring
            if rest.first == "'" {
                var end = rest.index(after: rest.startIndex)
                while true {
                    guard let q = rest[end...].firstIndex(of: "'") else { throw Unsupported(description: "unclosed quote: \(text)") }
                    let after = rest.index(after: q)
                    if after < rest.endIndex && rest[after] == "'" { end = rest.index(after: after); continue }
                    end = after
                    break
                }
                item = rest[..<end]
                rest = rest[end...]
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                item = rest[..<end]
                rest = rest[end...]
            }
            items.append(try scalar(item))
            rest = rest.drop { $0 == " " }
            if rest.first == "," { rest = rest.dropFirst() } else if !rest.isEmpty { throw Unsupported(description: "bad sequence: \(text)") }
        }
        return items
    }

    private static func scalar(_ text: Substring) throws -> Any {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("'") {
            guard t.count >= 2, t.hasSuffix("'") else { throw Unsupported(description: "bad quoted scalar \(t)") }
            return String(t.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        }
        if t == "true" { return true }
        if t == "false" { return false }
        if let n = Int(t) { return n }
        guard !t.contains(where: { "\"{}[]#&*!|>%@`".contains($0) }) else { throw Unsupported(description: "unsupported scalar \(t)") }
        return t
    }
}
