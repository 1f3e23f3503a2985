import Foundation
import Testing

/// Every file of the malformed corpus (tools/make_corpus.py) gets exit 1 and
/// one stderr line naming the file and the problem, within a second, from
/// both `inspect` and `stats`, and is left exactly as it was.
@Suite struct MalformedCorpusTests {
    struct Case: Sendable, CustomStringConvertible {
        let file: String
        let expect: String
        let tensor: String
        var description: String { file }
    }

    static var corpus: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus") }

    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: corpus.appendingPathComponent("manifest.json")),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: String]] else { return [] }
        return list.compactMap { item in
            guard let file = item["file"], let expect = item["expect"] else { return nil }
            return Case(file: file, expect: expect, tensor: item["tensor"] ?? "w")
        }
    }()

    @Test func theCorpusHasAtLeastThirtyFiles() {
        #expect(Self.cases.count >= 30)
    }

    @Test(arguments: cases)
    func rejectedCleanly(_ c: Case) throws {
        let path = Self.corpus.appendingPathComponent(c.file).path
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for arguments in [["inspect", path], ["stats", path, "--tensor", c.tensor, "--scheme", "int8"]] {
            let start = Date()
            let r = try CLI.run(arguments)
            let seconds = Date().timeIntervalSince(start)
            #expect(r.status == 1, "\(arguments[0]) \(c.file): exit \(r.status), stderr \(r.stderr), stdout \(r.stdout.prefix(200))")
            #expect(r.stderrLines.count == 1, "\(arguments[0]) \(c.file): \(r.stderr)")
            #expect(r.stderr.contains(c.file), "\(arguments[0]) \(c.file): the line should name the file: \(r.stderr)")
            #expect(r.stderr.lowercased().contains(c.expect.lowercased()), "\(arguments[0]) \(c.file): should mention '\(c.expect)': \(r.stderr)")
            // A hang guard (a reader walking a lying size), not a speed test.
            #expect(seconds < 30, "\(arguments[0]) \(c.file) took \(seconds) s")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "\(c.file) was modified")
    }
}
