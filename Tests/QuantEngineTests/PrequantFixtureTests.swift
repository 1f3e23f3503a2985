import Foundation
import Testing
@testable import QuantEngine

/// Pre-quantized checkpoints written by the real libraries (GPTQ, AWQ,
/// compressed-tensors, bitsandbytes, FBGEMM and FineGrained FP8; see
/// tools/make_prequant_fixtures.py), decoded by quantscope and compared with
/// each library's own dequantization (docs/contract.md §8).
@Suite("Pre-quantized checkpoints")
struct PrequantFixtureTests {
    /// Every case folder (each holds a case.json).
    static var cases: [String] {
        let folder = Fixtures.url("prequant")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return entries.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/case.json").path) }.sorted()
    }

    static func description(_ name: String) throws -> [String: Any] {
        try #require(try Fixtures.json("prequant/\(name)/case.json") as? [String: Any])
    }

    /// The model file, or the folder when the case is a sharded model.
    static func modelPath(_ name: String) -> String {
        let folder = Fixtures.url("prequant/\(name)")
        let single = folder.appendingPathComponent("model.safetensors").path
        return FileManager.default.fileExists(atPath: single) ? single : folder.path
    }

    static func logicals(_ d: [String: Any]) throws -> [[String: Any]] {
        try #require(d["logical"] as? [[String: Any]])
    }

    @Test("the fixture cases are present")
    func present() { #expect(Self.cases.count >= 15, "\(Self.cases)") }

    @Test("each logical weight is listed with its true shape, and its side tensors stay listed", arguments: cases)
    func listed(_ name: String) throws {
        let d = try Self.description(name)
        let checkpoint = try Checkpoint.open(Self.modelPath(name))
        for logical in try Self.logicals(d) {
            let weight = try #require(logical["name"] as? String)
            let info = try checkpoint.info(named: weight)
            #expect(info.shape == logical.ints("shape"), "\(weight)")
            guard case .prequantized = info.storage else { Issue.record("\(weight) is \(info.storage), not pre-quantized"); continue }
            let stored = try #require(try checkpoint.storedQuantization(for: info))
            #expect(stored.shape == info.shape)
            let names = Set(checkpoint.tensors.map(\.name))
            for side in stored.sideTensors where side != weight {
                #expect(names.contains(side), "\(side) is no longer listed")
            }
            if let expected = logical["side_tensors"] as? [String] {
                #expect(Set(stored.sideTensors).isSubset(of: Set(expected).union([weight])), "\(stored.sideTensors) vs \(expected)")
            }
            #expect(stored.bitsPerWeight > 0 && stored.bitsPerWeight < 33)
        }
        // Every other tensor is as the file stores it.
        let logicalNames = Set(try Self.logicals(d).compactMap { $0["name"] as? String })
        for info in checkpoint.tensors where !logicalNames.contains(info.name) {
            #expect(try checkpoint.storedQuantization(for: info) == nil, "\(info.name) was taken for a quantized weight")
        }
    }

    /// Rounds to the library's output dtype, as its dequantization does last.
    static func rounded(_ v: Float, _ kind: String) -> Float {
        switch kind {
        case "bfloat16", "bf16":
            guard v.isFinite else { return v }
            let bits = v.bitPattern
            let rounded = (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) & 0xFFFF_0000
            return Float(bitPattern: rounded)
        case "float16", "fp16": return Float(Float16(v))
        default: return v
        }
    }

    @Test("decoded values equal the library's own dequantization", arguments: cases)
    func decodesLikeTheLibrary(_ name: String) throws {
        let d = try Self.description(name)
        let checkpoint = try Checkpoint.open(Self.modelPath(name))
        let reference = try Checkpoint.open(Fixtures.url("prequant/\(name)/reference.safetensors").path)
        let tolerance = d["tolerance"] as? [String: Any] ?? [:]
        let kind = tolerance["kind"] as? String ?? "exact"
        let roundTo = tolerance["rounded_to"] as? String ?? (kind.hasPrefix("rounded:") ? String(kind.dropFirst(8)) : "")
        let relative = JSONNumber.double(tolerance["value"]) ?? 0
        for logical in try Self.logicals(d) {
            let weight = try #require(logical["name"] as? String)
            let ours = try checkpoint.load(named: weight)
            let theirs = try reference.load(named: weight)
            #expect(ours.shape == theirs.shape)
            var mismatches = Mismatches("\(name) \(weight) (\(kind)\(roundTo.isEmpty ? "" : " to \(roundTo)"))")
            for (i, (a, b)) in zip(ours.values, theirs.values).enumerated() {
                let mine = Self.rounded(a, roundTo)
                let ok: Bool
                if mine == b || (mine.isNaN && b.isNaN) {
                    ok = true
                } else if kind == "relative" {
                    ok = abs(Double(a) - Double(b)) <= relative * max(abs(Double(b)), 1e-30)
                } else {
                    ok = false
                }
                mismatches.check(ok, "element \(i) (row \(i / max(1, ours.shape.last ?? 1))): ours \(Show.float(a)), library \(Show.float(b))")
            }
            mismatches.expectNone()
        }
    }

    @Test("blocks tile the tensor, and each block's values are the decoded ones", arguments: cases)
    func blocksTile(_ name: String) throws {
        let d = try Self.description(name)
        let checkpoint = try Checkpoint.open(Self.modelPath(name))
        for logical in try Self.logicals(d) {
            let weight = try #require(logical["name"] as? String)
            let stored = try #require(try checkpoint.storedQuantization(for: try checkpoint.info(named: weight)))
            let decoded = try stored.decode()
            var seen = [Bool](repeating: false, count: decoded.count)
            var mismatches = Mismatches("\(name) \(weight)")
            for b in 0..<stored.blockCount {
                let block = try stored.block(b)
                mismatches.check(block.codes.count == block.elements.count && block.values.count == block.elements.count, "block \(b): sizes")
                for (k, e) in block.elements.enumerated() {
                    mismatches.check(!seen[e], "element \(e) is in two blocks")
                    seen[e] = true
                    mismatches.check(stored.blockIndex(ofElement: e) == b, "element \(e): blockIndex says \(stored.blockIndex(ofElement: e)), block \(b) holds it")
                    let v = block.values[k]
                    mismatches.check(v.bitPattern == decoded.values[e].bitPattern || (v.isNaN && decoded.values[e].isNaN), "block \(b) element \(e) differs from decode()")
                    if let grid = block.levels.first, v.isFinite { mismatches.check(grid.contains(v), "block \(b) element \(e): \(v) is not on the block's grid") }
                }
                if let bits = stored.codeBits, bits < 8 {
                    mismatches.check(block.codes.allSatisfy { $0 >= 0 && $0 < 1 << bits }, "block \(b): a code outside 0..<\(1 << bits)")
                }
                mismatches.check(!block.raw.isEmpty && block.raw.allSatisfy { !$0.bytes.isEmpty }, "block \(b): no raw bytes")
                mismatches.check(!stored.worked(block, at: 0).isEmpty, "block \(b): no worked formula")
            }
            mismatches.check(seen.allSatisfy { $0 }, "some elements are in no block")
            mismatches.expectNone()
        }
    }
}
