import Foundation
import QuantEngine
import Testing

/// Pre-quantized checkpoints through the command line (docs/contract.md §7,
/// §8): `inspect` lists the logical weight with its `quantization` object,
/// `export`/`stats`/`blocks` take the logical name, `blocks` values equal
/// `export` for every format, and lying side tensors get one clear line.
@Suite struct PrequantCommandTests {
    static func folder(_ name: String) -> String { SharedFixtures.root.appendingPathComponent("prequant/\(name)").path }

    static func model(_ name: String) -> String {
        let single = folder(name) + "/model.safetensors"
        return FileManager.default.fileExists(atPath: single) ? single : folder(name)
    }

    static var cases: [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: SharedFixtures.root.appendingPathComponent("prequant").path)) ?? []
        return entries.filter { FileManager.default.fileExists(atPath: folder($0) + "/case.json") }.sorted()
    }

    static func firstLogical(_ name: String) throws -> (name: String, shape: [Int]) {
        let d = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder(name) + "/case.json"))) as? [String: Any])
        let logical = try #require((d["logical"] as? [[String: Any]])?.first)
        return (try #require(logical["name"] as? String), try #require(logical["shape"] as? [Int]))
    }

    @Test func inspectListsTheLogicalWeightWithItsQuantization() throws {
        let r = try CLI.run(["inspect", Self.model("gptq-int4-g32-sym"), "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let tensors = try #require(try CLI.json(r)["tensors"] as? [[String: Any]])
        let weight = try #require(tensors.first { $0["name"] as? String == "model.layers.0.mlp.up_proj.weight" })
        #expect(weight["dtype"] as? String == "gptq-int4")
        #expect((weight["quantization"] as? [String: Any])?["format"] as? String == "gptq int4 g32 sym")
        #expect(weight["shape"] as? [Int] == [160, 96])
        let q = try #require(weight["quantization"] as? [String: Any])
        #expect(q["method"] as? String == "gptq")
        #expect(q["bits"] as? Int == 4 && q["group_size"] as? Int == 32 && q["symmetric"] as? Bool == true)
        #expect((q["tensors"] as? [String])?.contains("model.layers.0.mlp.up_proj.qweight") == true)
        let qweight = try #require(tensors.first { $0["name"] as? String == "model.layers.0.mlp.up_proj.qweight" })
        #expect(qweight["dtype"] as? String == "I32" && qweight["part_of"] as? String == "model.layers.0.mlp.up_proj.weight")
        let text = try CLI.run(["inspect", Self.model("gptq-int4-g32-sym")])
        #expect(text.stdout.contains("gptq-int4") && text.stdout.contains("part of model.layers.0.mlp.up_proj.weight"))
    }

    @Test("blocks --json values equal export, for every format", arguments: cases)
    func blocksEqualExport(_ name: String) throws {
        let (weight, shape) = try Self.firstLogical(name)
        let scratch = try Scratch()
        let out = scratch.path("w.safetensors")
        let e = try CLI.run(["export", Self.model(name), "--tensor", weight, "--out", out])
        #expect(e.status == 0, "\(e.stderr)")
        let exported = try Checkpoint.open(out).load(named: weight)
        #expect(exported.shape == shape)
        let b = try CLI.run(["blocks", Self.model(name), "--tensor", weight, "--count", "all", "--json"])
        #expect(b.status == 0, "\(b.stderr)")
        let json = try CLI.json(b)
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        #expect(json["block_bytes"] is NSNull)
        var seen = 0
        for block in blocks {
            let values = try #require(block["values"] as? [Double])
            let elements: [Int]
            if let run = block["elements"] as? [String: Any], let first = run["first"] as? Int, let count = run["count"] as? Int {
                elements = Array(first..<(first + count))
            } else {
                elements = try #require(block["elements"] as? [Int])
            }
            #expect(values.count == elements.count)
            for (v, i) in zip(values, elements) where Float(v) != exported.values[i] {
                Issue.record("\(name) element \(i): blocks \(v), export \(exported.values[i])")
                return
            }
            seen += elements.count
        }
        #expect(seen == exported.count)
    }

    @Test func statsAndQuantizeTakeTheLogicalName() throws {
        let model = Self.model("bnb-nf4")
        let r = try CLI.run(["stats", model, "--tensor", "model.layers.0.mlp.down_proj.weight", "--scheme", "nf4", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CLI.json(r)["shape"] as? [Int] == [64, 192])
        let scratch = try Scratch()
        let q = try CLI.run(["quantize", model, "--tensor", "model.layers.0.mlp.down_proj.weight", "--scheme", "int4", "--granularity", "group:32",
                             "--out", scratch.path("q.safetensors")])
        #expect(q.status == 0, "\(q.stderr)")
    }

    @Test func aShardedFolderWithItsConfigOpens() throws {
        let r = try CLI.run(["inspect", Self.folder("gptq-folder"), "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let tensors = try #require(try CLI.json(r)["tensors"] as? [[String: Any]])
        let logical = tensors.filter { $0["quantization"] != nil }
        #expect(logical.count == 2)
        #expect(Set(logical.compactMap { $0["file"] as? String }).count == 2, "the two weights live in different shards")
    }

    /// A GPTQ-named file whose side tensors do not fit each other.
    @Test func lyingSideTensorsGetOneLine() throws {
        let scratch = try Scratch()
        let cases: [(String, [SafetensorsWriter.Entry], String)] = [
            ("qzeros.safetensors", [.int32("m.qweight", shape: [4, 16], [Int32](repeating: 0, count: 64)),
                                    .int32("m.qzeros", shape: [3, 2], [Int32](repeating: 0, count: 6)),
                                    .float32("m.scales", shape: [1, 16], [Float](repeating: 1, count: 16))], "m.qzeros"),
            ("gidx.safetensors", [.int32("m.qweight", shape: [4, 16], [Int32](repeating: 0, count: 64)),
                                  .int32("m.qzeros", shape: [1, 2], [Int32](repeating: 0, count: 2)),
                                  .float32("m.scales", shape: [1, 16], [Float](repeating: 1, count: 16)),
                                  .int32("m.g_idx", shape: [32], [Int32](repeating: 5, count: 32))], "names group 5"),
            ("bnb.safetensors", [.uint8("m.weight", shape: [8, 1], [UInt8](repeating: 0x12, count: 8)),
                                 .float32("m.weight.absmax", shape: [1], [1]),
                                 .float32("m.weight.quant_map", shape: [16], [Float](repeating: 0, count: 16)),
                                 .uint8("m.weight.quant_state.bitsandbytes__nf4", shape: [5], Array("{oops".utf8))], "quant_state"),
            ("scale.safetensors", [.uint8("m.weight", shape: [4, 4], [UInt8](repeating: 1, count: 16), signed: true),
                                   .float32("m.weight_scale", shape: [3, 1], [1, 1, 1])], "m.weight_scale"),
        ]
        for (file, entries, needle) in cases {
            let path = scratch.path(file)
            try SafetensorsWriter.write(entries, to: path)
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            for arguments in [["inspect", path], ["blocks", path, "--tensor", "m.weight"]] {
                let r = try CLI.run(arguments)
                #expect(r.status == 1, "\(file) \(arguments[0]): \(r.status) \(r.stderr)")
                #expect(r.stderrLines.count == 1 && r.stderr.contains(file) && r.stderr.contains(needle), "\(file): \(r.stderr)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the input was written to")
        }
    }
}
