import Foundation
import Testing

/// GGUF through the CLI: types we cannot decode yet are listed and refused
/// plainly; the bundled GGUF sample inspects, exports and quantizes.
@Suite struct GGUFCommandTests {
    /// A minimal GGUF v3 file: one tensor of `typeID` with `ne`, zero-filled data.
    static func gguf(typeID: UInt32, ne: [UInt64], dataBytes: Int) -> Data {
        var d = Data("GGUF".utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        u32(3); u64(1); u64(0)
        u64(1); d.append(contentsOf: Array("w".utf8))
        u32(UInt32(ne.count)); ne.forEach(u64); u32(typeID); u64(0)
        while d.count % 32 != 0 { d.append(0) }
        d.append(Data(count: dataBytes))
        return d
    }

    @Test func undecodableTypesAreListedAndRefusedPlainly() throws {
        let scratch = try Scratch()
        let path = scratch.path("iq2.gguf")
        try Self.gguf(typeID: 16, ne: [256, 2], dataBytes: 2 * 66).write(to: URL(fileURLWithPath: path))  // IQ2_XXS
        let inspect = try CLI.run(["inspect", path])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("IQ2_XXS"))
        #expect(inspect.stdout.contains("decoding not supported yet"))
        let stats = try CLI.run(["stats", path, "--tensor", "w", "--scheme", "int8"])
        #expect(stats.status == 1)
        #expect(stats.stderr.contains("decoding IQ2_XXS is not supported yet"), "\(stats.stderr)")
        #expect(stats.stderrLines.count == 1)
    }

    static var sample: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples/minilm-l6-layer0.gguf").path
    }

    @Test func sampleGGUFInspectsWithNeAndBitsPerWeight() throws {
        let r = try CLI.run(["inspect", Self.sample, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLI.json(r)
        #expect(json["format"] as? String == "gguf")
        let tensors = try #require(json["tensors"] as? [[String: Any]])
        let q4k = try #require(tensors.first { $0["dtype"] as? String == "Q4_K" })
        let shape = try #require(q4k["shape"] as? [Int]), ne = try #require(q4k["ne"] as? [Int])
        #expect(shape == ne.reversed())
        #expect(q4k["bytes"] as? Int == shape.reduce(1, *) / 256 * 144)
        let totals = try #require(json["totals"] as? [String: Any])
        let byDType = try #require(totals["by_dtype"] as? [String: [String: Any]])
        #expect(byDType["Q4_K"]?["bits_per_weight"] as? Double == 4.5)
        #expect(byDType["Q8_0"]?["bits_per_weight"] as? Double == 8.5)
    }

    @Test func exportDecodesBlocksToF32() throws {
        let scratch = try Scratch()
        let out = scratch.path("q6k.safetensors")
        let r = try CLI.run(["export", Self.sample, "--tensor", "blk.5.ffn_down.weight", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let again = try CLI.run(["inspect", out, "--json"])
        let tensors = try #require(try CLI.json(again)["tensors"] as? [[String: Any]])
        #expect(tensors.first?["dtype"] as? String == "F32")
        #expect(tensors.first?["shape"] as? [Int] == [384, 1536])
    }
}
