import Foundation
import Testing
@testable import QuantEngine

/// GGUF blocks as stored (docs/contract.md §8): every block type's `d`,
/// `dmin`, sub-block scales and mins, codes and values, against gguf-py's
/// reader and dequantizer (tools/make_stored_gguf_fixtures.py) and the codes
/// and effective sub-block scales numpy unpacked from libggml's own K-quant
/// bytes (tools/make_kquant_fixtures.py).
@Suite("GGUF blocks as stored")
struct StoredGGUFTests {
    static var manifest: [String: Any] { (try? Fixtures.json("stored/blocks.json") as? [String: Any]) ?? [:] }
    static let names: [String] = ((manifest["tensors"] as? [String: Any])?.keys.sorted()) ?? []

    static func entry(_ name: String) throws -> [String: Any] {
        try #require((manifest["tensors"] as? [String: Any])?[name] as? [String: Any])
    }

    static func stored(_ name: String) throws -> (Checkpoint, GGUFStoredTensor) {
        let checkpoint = try Checkpoint.open(Fixtures.url("stored/blocks.gguf").path)
        let info = try checkpoint.info(named: name)
        let stored = try #require(try checkpoint.storedQuantization(for: info) as? GGUFStoredTensor, "\(name) is not stored-quantized")
        return (checkpoint, stored)
    }

    static func param(_ block: StoredBlock, _ key: String) -> JSONValue? { block.params.first { $0.key == key }?.value }

    @Test("fixtures are present")
    func fixturesPresent() { #expect(Self.names.count == 13) }

    @Test("offsets, d, dmin and values equal gguf-py's, block by block", arguments: names)
    func blocksMatchGGUFPy(_ name: String) throws {
        let e = try Self.entry(name)
        let (_, stored) = try Self.stored(name)
        let typeSize = try #require(e.int("type_size")), blockSize = try #require(e.int("block_size"))
        let dataOffset = try #require(e.int("data_offset"))
        #expect(stored.formatName == e.string("type"))
        #expect(stored.shape == e.ints("shape"))
        #expect(stored.blockCount == e.int("blocks"))
        #expect(stored.blockBytes == typeSize && stored.blockElements == blockSize)
        let expected = try Fixtures.f32("stored/" + (try #require(e.string("dequant"))))
        let fields = try #require(e["block_fields"] as? [[String: Any]])
        var mismatches = Mismatches(name)
        for i in 0..<stored.blockCount {
            let b = try stored.block(i)
            mismatches.check(b.offset == dataOffset + i * typeSize, "block \(i): offset \(String(describing: b.offset))")
            // The struct's fields tile the block: contiguous, in order, typeSize bytes in all.
            mismatches.check(b.raw.reduce(0) { $0 + $1.bytes.count } == typeSize, "block \(i): raw bytes")
            mismatches.check(zip(b.raw, b.raw.dropFirst()).allSatisfy { a, c in a.offset.map { $0 + a.bytes.count } == c.offset },
                             "block \(i): fields not contiguous")
            mismatches.check(b.raw.first?.offset == b.offset, "block \(i): first field is not at the block's offset")
            // d and dmin as the params report them are the float16s in their fields' own bytes.
            for field in ["d", "dmin", "m"] {
                guard let raw = b.raw.first(where: { $0.label == "ggml_half \(field)" }), case .number(let v) = Self.param(b, field) else { continue }
                let half = Float(Float16(bitPattern: UInt16(raw.bytes[0]) | UInt16(raw.bytes[1]) << 8))
                mismatches.check(half == Float(v) || half.isNaN, "block \(i): \(field) field bytes give \(half), params \(v)")
            }
            for (key, value) in fields[i] {
                let ours = Self.param(b, key)
                let want = try #require(JSONNumber.double(value))
                let got: Double? = switch ours { case .number(let d): d; case .integer(let n): Double(n); default: nil }
                // Compared as Float32: every field is a float16 or an integer, and
                // Foundation's JSON parser can miss a long decimal by one double ulp.
                mismatches.check(got.map { Float($0) == Float(want) || ($0.isNaN && want.isNaN) } ?? false,
                                 "block \(i): \(key) = \(String(describing: got)), gguf-py \(want)")
            }
            for k in 0..<blockSize {
                let want = expected[i * blockSize + k], got = b.values[k]
                mismatches.check(got.bitPattern == want.bitPattern || (got.isNaN && want.isNaN),
                                 "block \(i) element \(k): \(got), gguf-py \(want)")
                // The code read from the bytes must land on its sub-block's grid at exactly the decoded value.
                let grid = b.levels[k / b.subBlockElements]
                mismatches.check(want.isNaN || grid.contains(want), "block \(i) element \(k): \(want) is not on its sub-block's grid")
            }
            mismatches.check(b.elements == Array((i * blockSize)..<((i + 1) * blockSize)), "block \(i): elements")
        }
        let decoded = try stored.decode()
        mismatches.check(decoded.values.map(\.bitPattern) == expected.map(\.bitPattern), "decode() differs from gguf-py")
        mismatches.expectNone()
    }

    static let kquants = ["q2_k", "q3_k", "q4_k", "q5_k", "q6_k"]

    @Test("K-quant codes and sub-block scales/mins equal numpy's unpacking of libggml's bytes", arguments: kquants)
    func kquantFields(_ name: String) throws {
        let (_, stored) = try Self.stored(name)
        let m = try #require(try Fixtures.json("kquant/manifest.json") as? [String: Any])
        let e = try #require((m["types"] as? [String: Any])?[name] as? [String: Any])
        let codes = try Fixtures.codes("kquant/" + (try #require(e.string("codes"))))
        let scales = try Fixtures.f32("kquant/" + (try #require(e.string("scales"))))
        let mins = try e.string("mins").map { try Fixtures.f32("kquant/" + $0) }
        let sub = try #require(e.int("sub_block"))
        var mismatches = Mismatches(name)
        for i in 0..<stored.blockCount {
            let b = try stored.block(i)
            mismatches.check(b.codes == Array(codes[(i * 256)..<((i + 1) * 256)]), "block \(i): codes differ")
            mismatches.check(b.subBlockElements == sub, "block \(i): sub-block of \(b.subBlockElements)")
            guard case .number(let dd) = Self.param(b, "d"), case .array(let sc) = Self.param(b, "scales") else {
                mismatches.check(false, "block \(i): no d or scales"); continue
            }
            let d = Float(dd)
            let dmin: Float = if case .number(let v) = Self.param(b, "dmin") { Float(v) } else { 0 }
            let mn: [JSONValue] = if case .array(let v) = Self.param(b, "mins") { v } else { [] }
            for j in 0..<(256 / sub) {
                let raw = Float(sc[j].intValue ?? -999)
                let factor = name == "q3_k" ? d * (raw - 32) : d * raw
                let s = scales[i * (256 / sub) + j]
                mismatches.check(factor.bitPattern == s.bitPattern, "block \(i) sub-block \(j): d·scale \(factor), numpy \(s)")
                if let mins {
                    let offset = -(dmin * Float(mn[j].intValue ?? -999))
                    mismatches.check(offset == mins[i * (256 / sub) + j], "block \(i) sub-block \(j): −dmin·min \(offset), numpy \(mins[i * (256 / sub) + j])")
                }
            }
        }
        mismatches.expectNone()
    }

    @Test("legacy codes equal gguf.quants' stored codes", arguments: ["Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0"])
    func legacyCodes(_ type: String) throws {
        let (_, stored) = try Self.stored(type.lowercased())
        let file = type == "Q8_0" ? "gguf/Q8_0.codes.i16" : "gguf/\(type).codes.u8"
        let codes = try Fixtures.codes(file)
        var ours = [Int]()
        for i in 0..<stored.blockCount { ours += try stored.block(i).codes }
        #expect(ours == codes)
        #expect(codes.contains { $0 != 0 }, "the fixture has non-zero codes")
    }

    @Test("a block outside the tensor is a clear error, not a crash")
    func outOfRange() throws {
        let (_, stored) = try Self.stored("q4_k")
        #expect(throws: TensorFileError.self) { try stored.block(stored.blockCount) }
        #expect(throws: TensorFileError.self) { try stored.block(-1) }
    }

    @Test("plain tensors are not stored-quantized")
    func plainTensor() throws {
        let checkpoint = try Checkpoint.open(Fixtures.url("readers/all_types.gguf").path)
        #expect(try checkpoint.storedQuantization(for: try checkpoint.info(named: "f32")) == nil)
        #expect(try checkpoint.storedQuantization(for: try checkpoint.info(named: "q4_1")) != nil)
    }
}
