import Foundation
import QuantEngine
import Testing

/// Names and metadata from a file never drive the terminal: human output
/// shows escapes, error lines stay short, JSON keeps every character.
@Suite struct TerminalTextTests {
    static let evilName = "w\u{1B}[2J\u{1B}]0;pwned\u{07}\nfake line\r\u{202E}\u{9B}31m"
    static let hugeName = String(repeating: "n", count: 1 << 20)

    static func evilFile(_ scratch: Scratch) throws -> String {
        let path = scratch.path("evil.safetensors")
        try SafetensorsWriter.write([
            .float32(evilName, shape: [2, 4], (0..<8).map(Float.init)),
            .float32(hugeName, shape: [2], [1, 2]),
        ], metadata: [("note\u{1B}[1m", "bold\u{1B}[0m\nsecond line")], to: path)
        return path
    }

    /// No byte of `text` is a control character other than the newlines that end lines.
    static func expectNoControls(_ text: String, _ context: String) {
        let bad = text.unicodeScalars.filter { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E) }
        #expect(bad.isEmpty, "\(context): raw control characters \(bad.map { String($0.value, radix: 16) })")
    }

    @Test func inspectShowsEscapesAndCapsLongNames() throws {
        let scratch = try Scratch()
        let r = try CLI.run(["inspect", try Self.evilFile(scratch)])
        #expect(r.status == 0, "\(r.stderr)")
        Self.expectNoControls(r.stdout, "inspect")
        #expect(r.stdout.contains("w\\x1b[2J\\x1b]0;pwned\\x07\\nfake line\\r\\u{202E}\\x9b31m"), "\(r.stdout.prefix(2000))")
        #expect(r.stdout.contains("note\\x1b[1m = bold\\x1b[0m\\nsecond line"))
        #expect(r.stdout.contains("…[1048576 characters]…"))
        #expect(r.stdout.utf8.count < 10_000, "a 1 MB name is not printed whole: \(r.stdout.utf8.count) bytes")
    }

    @Test func jsonKeepsEveryCharacterEscapedAsJSON() throws {
        let scratch = try Scratch()
        let r = try CLI.run(["inspect", try Self.evilFile(scratch), "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        Self.expectNoControls(r.stdout, "inspect --json")
        let json = try CLI.json(r)
        let names = (json["tensors"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == [Self.evilName, Self.hugeName])
        #expect((json["metadata"] as? [String: String])?["note\u{1B}[1m"] == "bold\u{1B}[0m\nsecond line")
    }

    @Test func errorLinesAreOneShortLine() throws {
        let scratch = try Scratch()
        let path = try Self.evilFile(scratch)
        // 100,000 characters: a single argument may not exceed 128 KiB.
        for (tensor, needle) in [(String(repeating: "n", count: 100_000), "…[100000 characters]…"), ("fake line", "did you mean 'w\\x1b[2J")] {
            let r = try CLI.run(["stats", path, "--tensor", tensor, "--scheme", "int8"])
            BadInputTests.expectOneLine(r, status: 1, mentioning: needle, "missing tensor")
            Self.expectNoControls(r.stderr, "stderr")
            #expect(r.stderr.utf8.count < 1_000, "\(r.stderr.utf8.count) bytes")
        }
        let r = try CLI.run(["stats", path, "--tensor", Self.evilName, "--scheme", "int8"])
        #expect(r.status == 0, "\(r.stderr)")
        Self.expectNoControls(r.stdout, "stats table")
        let u = try CLI.run(["stats", path, "--tensor", "w", "--scheme", "int8\u{1B}[31m"])
        BadInputTests.expectOneLine(u, status: 2, mentioning: "int8\\x1b[31m", "typed escape")
    }
}
