import Foundation
import Testing
@testable import QuantEngine

/// GGUF K-quants (q2_k … q6_k) against llama.cpp's own reference quantizers
/// (`quantize_row_q*_K_ref` of libggml 0.20.2, called by
/// tools/make_kquant_fixtures.py) byte for byte, and against
/// `gguf.quants.dequantize` for the values; gguf-py cannot write K-quants.
@Suite("GGUF K-quant quantization")
struct KQuantQuantizationTests {
    static let types = ["q2_k", "q3_k", "q4_k", "q5_k", "q6_k"]

    static func manifest() throws -> [String: Any] {
        try #require(try Fixtures.json("kquant/manifest.json") as? [String: Any])
    }

    static func entry(_ type: String) throws -> [String: Any] {
        let types = try #require(try manifest()["types"] as? [String: Any])
        return try #require(types[type] as? [String: Any])
    }

    static func input(_ key: String = "input") throws -> Tensor {
        let m = try manifest()
        let shape = try #require(m.ints("shape"))
        return Tensor(shape: shape, values: try Fixtures.f32("kquant/" + (try #require(m.string(key)))))
    }

    /// `row 3 (negative-heavy …)`: which input row super-block `block` comes from.
    static func rowName(_ block: Int) -> String {
        guard let m = try? manifest(), let shape = m.ints("shape"), let rows = m["rows"] as? [String], shape.count == 2 else { return "" }
        let row = block * 256 / shape[1]
        return row < rows.count ? "row \(row) (\(rows[row]))" : ""
    }

    static func compareBytes(_ type: String, _ bytes: [UInt8]?, _ label: String) throws {
        let e = try entry(type)
        let expected = try Fixtures.u8("kquant/" + (try #require(e.string("bytes"))))
        let typeSize = try #require(e.int("type_size"))
        let ours = try #require(bytes, "\(type): no block bytes")
        try #require(ours.count == expected.count, "\(type): \(ours.count) bytes, expected \(expected.count)")
        var mismatches = Mismatches("\(type) \(label)")
        for b in 0..<(expected.count / typeSize) {
            let range = (b * typeSize)..<((b + 1) * typeSize)
            guard ours[range] != expected[range] else { continue }
            let first = range.first { ours[$0] != expected[$0] } ?? range.lowerBound
            mismatches.check(false, "super-block \(b), \(rowName(b)): first difference at byte \(first - range.lowerBound): "
                                 + "expected \(Show.hex(expected[first])), got \(Show.hex(ours[first]))")
        }
        mismatches.expectNone()
    }

    @Test("block bytes are byte-identical with libggml's quantize_row_*_K_ref", arguments: types)
    func blockBytes(_ type: String) throws {
        let q = try Quantizer.quantize(try Self.input(), scheme: try Scheme(parsing: type))
        try Self.compareBytes(type, q.blockBytes, "block bytes")
    }

    @Test("NaN and ±Inf quantize as 0 and are counted", arguments: types)
    func nonFinite(_ type: String) throws {
        let q = try Quantizer.quantize(try Self.input("input_nonfinite"), scheme: try Scheme(parsing: type))
        try Self.compareBytes(type, q.blockBytes, "block bytes with non-finite inputs")
        let planted = try #require(try Self.manifest()["nonfinite_at"] as? [[Int]])
        #expect(q.metrics.nonfinite == planted.count)
        #expect(q.scales.allSatisfy { !$0.isNaN } && q.dequantized.allSatisfy(\.isFinite))
    }

    @Test("dequantized values equal gguf.quants.dequantize of libggml's bytes", arguments: types)
    func dequantized(_ type: String) throws {
        let x = try Self.input()
        let q = try Quantizer.quantize(x, scheme: try Scheme(parsing: type))
        let expected = try Fixtures.f32("kquant/" + (try #require(try Self.entry(type).string("dequant"))))
        try #require(q.dequantized.count == expected.count)
        var mismatches = Mismatches("\(type) dequantized")
        for i in expected.indices {
            mismatches.check(sameValue(q.dequantized[i], expected[i]),
                             "element \(i) (\(Self.rowName(i / 256)), input \(Show.float(x.values[i]))): expected \(Show.float(expected[i])), got \(Show.float(q.dequantized[i]))")
        }
        mismatches.expectNone()
    }

    @Test("the K-quant decoders read libggml's bytes as gguf-py does", arguments: types)
    func decoderOnReferenceBytes(_ type: String) throws {
        let e = try Self.entry(type)
        let bytes = try Fixtures.u8("kquant/" + (try #require(e.string("bytes"))))
        let expected = try Fixtures.f32("kquant/" + (try #require(e.string("dequant"))))
        let block = try #require(GGUFBlockScheme(rawValue: type))
        var out = [Float](repeating: .nan, count: expected.count)
        bytes.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { GGMLBlockDecoding.decode(block.ggmlType, raw, count: expected.count, into: $0) }
        }
        var mismatches = Mismatches("\(type) decoded")
        for i in expected.indices {
            mismatches.check(sameValue(out[i], expected[i]), "element \(i): expected \(Show.float(expected[i])), got \(Show.float(out[i]))")
        }
        mismatches.expectNone()
    }

    @Test("codes, sub-block scales and mins equal the fields unpacked from libggml's bytes", arguments: types)
    func storedFields(_ type: String) throws {
        let e = try Self.entry(type)
        let q = try Quantizer.quantize(try Self.input(), scheme: try Scheme(parsing: type))
        let codes = try Fixtures.u8("kquant/" + (try #require(e.string("codes"))))
        var mismatches = Mismatches("\(type) fields")
        for i in codes.indices where q.codes[i] != codes[i] {
            mismatches.check(false, "code of element \(i): expected \(codes[i]), got \(q.codes[i])")
        }
        let scales = try Fixtures.f32("kquant/" + (try #require(e.string("scales"))))
        #expect(q.scales.count == scales.count)
        for g in scales.indices where !sameBits(q.scales[g], scales[g]) {
            mismatches.check(false, "scales[\(g)]: expected \(Show.float(scales[g])), got \(Show.float(q.scales[g]))")
        }
        if let path = e.string("mins") {
            let mins = try Fixtures.f32("kquant/" + path)
            let ours = try #require(q.mins)
            for g in mins.indices where !sameBits(ours[g], mins[g]) {
                mismatches.check(false, "mins[\(g)]: expected \(Show.float(mins[g])), got \(Show.float(ours[g]))")
            }
        } else {
            #expect(q.mins == nil)
        }
        mismatches.expectNone()
        #expect(q.granularity == .group(size: try #require(e.int("sub_block"))))
        #expect(q.zeroPoints == nil)
    }

    @Test("every dequantized value lies on its sub-block's grid", arguments: types)
    func levelsHoldTheValues(_ type: String) throws {
        let q = try Quantizer.quantize(try Self.input(), scheme: try Scheme(parsing: type))
        for g in stride(from: 0, to: q.scales.count, by: 7) {
            let levels = Set(q.levels(group: g).map { $0 == 0 ? 0 : $0 })
            for i in q.layout.elements(ofGroup: g) {
                let v = q.dequantized[i] == 0 ? 0 : q.dequantized[i]
                #expect(levels.contains(v), "\(type) group \(g) element \(i): \(v) is not a level")
            }
        }
    }

    @Test("rows that are not a multiple of 256, and other granularities, are usage errors", arguments: types)
    func granularityRules(_ type: String) throws {
        let scheme = try Scheme(parsing: type)
        let short = Tensor(shape: [2, 384], values: [Float](repeating: 1, count: 768))
        #expect(throws: QuantizationError.rowLengthNotMultiple(scheme: type, rowLength: 384, block: 256)) {
            try Quantizer.quantize(short, scheme: scheme)
        }
        let ok = Tensor(shape: [256], values: (0..<256).map { Float($0) - 100 })
        for g in [Granularity.tensor, .channel(axis: 0), .group(size: 256), .block(rows: 1, columns: 256)] {
            #expect(throws: QuantizationError.self) { try Quantizer.quantize(ok, scheme: scheme, granularity: g) }
        }
        #expect(try Quantizer.quantize(ok, scheme: scheme).scales.count == 256 / (type == "q4_k" || type == "q5_k" ? 32 : 16))
        let empty = Tensor(shape: [0, 256], values: [])
        #expect(try Quantizer.quantize(empty, scheme: scheme).blockBytes == [])
    }
}
