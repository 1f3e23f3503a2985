import Foundation
import QuantEngine
import Testing

/// `quantscope blocks` (docs/contract.md §7): for every GGUF block type its
/// values equal what `export` writes and what gguf-py dequantizes
/// (tools/make_stored_gguf_fixtures.py), offsets equal gguf-py's reader,
/// and plain tensors or a block past the end get one clear line.
@Suite struct BlocksCommandTests {
    static let file = SharedFixtures.root.appendingPathComponent("stored/blocks.gguf").path
    static let types = ["q2_k", "q3_k", "q4_k", "q5_k", "q6_k", "q4_0", "q4_1", "q5_0", "q5_1", "q8_0", "iq4_nl", "iq4_xs", "mxfp4"]

    static func manifest(_ tensor: String) throws -> [String: Any] {
        let all = try #require(try JSONSerialization.jsonObject(with: try SharedFixtures.data("stored/blocks.json")) as? [String: Any])
        return try #require((all["tensors"] as? [String: Any])?[tensor] as? [String: Any])
    }

    @Test("blocks --json values equal export and gguf-py, offsets equal gguf-py's reader", arguments: types)
    func valuesEqualExport(_ tensor: String) throws {
        let r = try CLI.run(["blocks", Self.file, "--tensor", tensor, "--count", "all", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLI.json(r)
        let m = try Self.manifest(tensor)
        #expect(json["tensor"] as? String == tensor)
        #expect(json["format"] as? String == m["type"] as? String)
        #expect(json["block_elements"] as? Int == m["block_size"] as? Int)
        #expect(json["block_bytes"] as? Int == m["type_size"] as? Int)
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        #expect(blocks.count == m["blocks"] as? Int)
        let typeSize = try #require(m["type_size"] as? Int), dataOffset = try #require(m["data_offset"] as? Int)
        var values = [Float]()
        for (i, block) in blocks.enumerated() {
            #expect(block["index"] as? Int == i)
            #expect(block["offset"] as? Int == dataOffset + i * typeSize)
            #expect(block["params"] is [String: Any])
            let codes = try #require(block["codes"] as? [Int])
            let v = try #require(block["values"] as? [Double])
            #expect(codes.count == v.count)
            values += v.map { Float($0) }
        }
        let scratch = try Scratch()
        let out = scratch.path("export.safetensors")
        let e = try CLI.run(["export", Self.file, "--tensor", tensor, "--out", out])
        #expect(e.status == 0, "\(e.stderr)")
        let exported = try Checkpoint.open(out).load(named: tensor).values
        let reference = try SharedFixtures.f32("stored/\(tensor).dequant.f32")
        // JSON numbers compare by value: Foundation's parser reads "-0.0" as 0.
        #expect(values.count == exported.count)
        #expect(zip(values, exported).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(exported.map(\.bitPattern) == reference.map(\.bitPattern))
    }

    @Test("text output lays the block out like ggml's C struct")
    func textLayout() throws {
        let r = try CLI.run(["blocks", Self.file, "--tensor", "q4_k", "--first", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let offset = try #require(try Self.manifest("q4_k")["data_offset"] as? Int) + 2 * 144
        #expect(r.stdout.contains("struct block_q4_K {"))
        #expect(r.stdout.contains("ggml_half dmin;"))
        #expect(r.stdout.contains("uint8_t scales[12];"))
        #expect(r.stdout.contains("block 2 at file offset 0x" + String(offset, radix: 16)))
        #expect(r.stdout.contains("sub-block 7"))
        #expect(r.stdout.contains("w = (d·scale)·q − dmin·min"))
    }

    @Test("a plain tensor, a block past the end and a bad count are refused in one line")
    func refusals() throws {
        let plain = try CLI.run(["blocks", SharedFixtures.root.appendingPathComponent("readers/all_types.gguf").path, "--tensor", "f32"])
        #expect(plain.status == 1)
        #expect(plain.stderrLines.count == 1 && plain.stderr.contains("not in quantized blocks"), "\(plain.stderr)")
        let past = try CLI.run(["blocks", Self.file, "--tensor", "q4_0", "--first", "24"])
        #expect(past.status == 2 && past.stderr.contains("past the last block"), "\(past.stderr)")
        let count = try CLI.run(["blocks", Self.file, "--tensor", "q4_0", "--count", "0"])
        #expect(count.status == 2 && count.stderrLines.count == 1, "\(count.stderr)")
    }
}
