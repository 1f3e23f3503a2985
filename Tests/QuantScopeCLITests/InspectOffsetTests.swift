import Foundation
import Testing

/// `inspect` reports each tensor's absolute byte offset in its file
/// (docs/contract.md §7), against the offsets the format's own library
/// reported when it wrote the fixture: gguf-py's `ReaderTensor.data_offset`,
/// 8 + header length + begin from safetensors' header, and where numpy's npy
/// header reader stops (tools/make_reader_fixtures.py, make_npy_fixtures.py).
/// The npz members are covered by `NPZInspectTests`.
@Suite struct InspectOffsetTests {
    struct Expected: Sendable, CustomStringConvertible {
        /// Relative to the engine tests' Fixtures folder.
        let path: String
        let tensors: [String]
        let offsets: [Int]
        var description: String { path }
    }

    static let cases: [Expected] = {
        var cases: [Expected] = []
        guard let readers = try? JSONSerialization.jsonObject(with: SharedFixtures.data("readers/manifest.json")) as? [String: Any] else {
            return []
        }
        func add(_ path: String, _ tensors: [[String: Any]]) {
            cases.append(Expected(path: path, tensors: tensors.compactMap { $0["name"] as? String },
                                  offsets: tensors.compactMap { $0["offset"] as? Int }))
        }
        for file in (readers["gguf"] as? [[String: Any]]) ?? [] {
            if let name = file["file"] as? String, let tensors = file["tensors"] as? [[String: Any]] { add("readers/" + name, tensors) }
        }
        for file in (readers["safetensors"] as? [[String: Any]]) ?? [] {
            if let name = file["file"] as? String, let tensors = file["tensors"] as? [[String: Any]] { add("readers/" + name, tensors) }
        }
        for kind in ["gguf", "safetensors"] {
            if let sample = (readers["samples"] as? [String: Any])?[kind] as? [String: Any],
               let file = sample["file"] as? String, let tensors = sample["tensors"] as? [[String: Any]] {
                add("../../../Sources/quantscope/Samples/" + file, tensors)
            }
        }
        // A sharded model's offsets are in each tensor's own shard.
        if let sharded = readers["sharded"] as? [String: Any], let index = sharded["index"] as? String,
           let tensors = sharded["tensors"] as? [[String: Any]] {
            add("readers/" + index, tensors)
        }
        if let npy = try? JSONSerialization.jsonObject(with: SharedFixtures.data("npy/manifest.json")) as? [String: Any] {
            for file in (npy["files"] as? [[String: Any]]) ?? [] where file["format"] as? String == "npy" {
                if let name = file["file"] as? String, let tensors = file["tensors"] as? [[String: Any]] { add("npy/" + name, tensors) }
            }
        }
        return cases
    }()

    @Test func everyFormatIsCovered() {
        let paths = Self.cases.map(\.path)
        #expect(paths.contains("readers/all_types.gguf") && paths.contains("readers/aligned64.gguf"))
        #expect(paths.contains("readers/all_dtypes.safetensors"))
        #expect(paths.contains { $0.hasSuffix("minilm-l6-layer0.gguf") } && paths.contains { $0.hasSuffix("minilm-l6-layer0.safetensors") })
        #expect(paths.contains { $0.hasSuffix(".index.json") })
        #expect(paths.filter { $0.hasSuffix(".npy") }.count >= 20)
        #expect(Self.cases.allSatisfy { !$0.offsets.isEmpty && $0.offsets.count == $0.tensors.count })
    }

    @Test(arguments: cases)
    func jsonOffsetsAreAbsolute(_ expected: Expected) throws {
        let path = SharedFixtures.root.appendingPathComponent(expected.path).standardizedFileURL.path
        let r = try CLI.run(["inspect", path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let tensors = try #require(try CLI.json(r)["tensors"] as? [[String: Any]])
        let byName = Dictionary(tensors.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(tensors.count == expected.tensors.count)
        for (name, offset) in zip(expected.tensors, expected.offsets) {
            let tensor = try #require(byName[name], "\(expected.path): no tensor '\(name)'")
            #expect(tensor["offset"] as? Int == offset, "\(expected.path) \(name): offset \(tensor["offset"] ?? "none"), the library says \(offset)")
            #expect(tensor["compressed"] == nil)
        }
    }

    /// The text table's offset column says the same.
    @Test func tableOffsetsAreAbsolute() throws {
        let expected = try #require(Self.cases.first { $0.path == "readers/all_types.gguf" })
        let r = try CLI.run(["inspect", SharedFixtures.root.appendingPathComponent(expected.path).path])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        for (name, offset) in zip(expected.tensors, expected.offsets) {
            let row = try #require(rows.first { $0.first.map(String.init) == name }, "no row for \(name)")
            #expect(row.count > 4 && Int(row[3]) == offset, "\(name): \(row.joined(separator: " "))")
        }
    }
}
