import Foundation
import Testing
@testable import QuantEngine

/// GGUF legacy block types (docs/contract.md §4) against `gguf.quants.quantize` /
/// `dequantize` (gguf-py 0.19): the block bytes byte for byte, the
/// dequantized values, and the stored fields split out.
///
/// Decode-only types (K-quants, IQ*, TQ*, NVFP4) and gguf's MXFP4 bytes are
/// not covered here yet.
@Suite("GGUF block quantization")
struct GGUFQuantizationTests {
    static let types = ["Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0"]

    static func manifest(_ type: String) throws -> [String: Any] {
        let json = try #require(try Fixtures.json("gguf/manifest.json") as? [String: Any])
        let quantize = try #require(json["quantize"] as? [String: Any])
        return try #require(quantize[type] as? [String: Any], "manifest has no quantize entry for \(type)")
    }

    static func run(_ type: String) throws -> (entry: [String: Any], input: [Float], q: QuantizedTensor) {
        let entry = try manifest(type)
        let shape = try #require(entry.ints("shape"))
        let input = try Fixtures.f32("gguf/" + (try #require(entry.string("input"))))
        try #require(input.count == shape.reduce(1, *))
        let scheme = try Scheme(parsing: type.lowercased())
        let q = try Quantizer.quantize(Tensor(shape: shape, values: input), scheme: scheme)
        return (entry, input, q)
    }

    @Test("block bytes are byte-identical with gguf.quants.quantize", arguments: types)
    func blockBytes(_ type: String) throws {
        let (entry, _, q) = try Self.run(type)
        let expected = try Fixtures.u8("gguf/" + (try #require(entry.string("bytes"))))
        let typeSize = try #require(entry.int("type_size"))
        let bytes = try #require(q.blockBytes, "\(type): no block bytes")
        #expect(bytes.count == expected.count, "\(type): \(bytes.count) bytes, expected \(expected.count)")
        var mismatches = Mismatches("\(type) block bytes")
        for b in 0..<(min(bytes.count, expected.count) / typeSize) {
            let range = (b * typeSize)..<((b + 1) * typeSize)
            let ours = Array(bytes[range]), theirs = Array(expected[range])
            mismatches.check(ours == theirs,
                             "block \(b): expected \(theirs.map { Show.hex($0) }.joined(separator: " ")), "
                                 + "got \(ours.map { Show.hex($0) }.joined(separator: " "))")
        }
        mismatches.expectNone()
    }

    @Test("dequantized values equal gguf.quants.dequantize", arguments: types)
    func dequantized(_ type: String) throws {
        let (entry, input, q) = try Self.run(type)
        let expected = try Fixtures.f32("gguf/" + (try #require(entry.string("dequant"))))
        try #require(q.dequantized.count == expected.count)
        var mismatches = Mismatches("\(type) dequantized")
        for i in expected.indices {
            mismatches.check(sameValue(q.dequantized[i], expected[i]),
                             "element \(i) (block \(i / 32), input \(Show.float(input[i]))): expected \(Show.float(expected[i])), "
                                 + "got \(Show.float(q.dequantized[i]))")
        }
        mismatches.expectNone()
    }

    @Test("codes, scales (d) and mins equal the stored fields", arguments: types)
    func storedFields(_ type: String) throws {
        let (entry, input, q) = try Self.run(type)
        let codesPath = "gguf/" + (try #require(entry.string("codes")))
        let codes = try Fixtures.codes(codesPath)
        try #require(q.codes.count == codes.count)
        var codeMismatches = Mismatches("\(type) codes")
        for i in codes.indices {
            let actual = codesPath.hasSuffix(".i16") ? q.code(at: i) : Int(q.codes[i])
            codeMismatches.check(actual == codes[i], "element \(i) (input \(Show.float(input[i]))): expected \(codes[i]) "
                                     + "(\(Show.hex(UInt8(truncatingIfNeeded: codes[i])))), got \(actual) (\(Show.hex(q.codes[i])))")
        }
        codeMismatches.expectNone()

        let blocks = try #require(entry.int("blocks"))
        var fields: [(String, [Float]?)] = [("scales", q.scales)]
        if entry.string("mins") != nil { fields.append(("mins", q.mins)) } else { #expect(q.mins == nil, "\(type) has no mins") }
        for (key, ours) in fields {
            let expected = try Fixtures.f32("gguf/" + (try #require(entry.string(key))))
            let actual = try #require(ours, "\(type): no \(key)")
            try #require(actual.count == blocks && expected.count == blocks, "\(type): \(actual.count) \(key) for \(blocks) blocks")
            var mismatches = Mismatches("\(type) \(key)")
            for b in 0..<blocks {
                mismatches.check(sameBits(actual[b], expected[b]),
                                 "block \(b): expected \(Show.float(expected[b])), got \(Show.float(actual[b]))")
            }
            mismatches.expectNone()
        }
        #expect(q.zeroPoints == nil, "GGUF schemes leave zero_points out")
        #expect(q.scales.count == q.layout.groupCount)
    }

    @Test("metrics match the manifest", arguments: types)
    func metrics(_ type: String) throws {
        let (entry, _, q) = try Self.run(type)
        checkMetrics(q.metrics, try #require(entry.object("metrics")), label: type)
    }

    @Test("the manifest describes the types we check")
    func manifestShape() throws {
        for type in Self.types {
            let entry = try Self.manifest(type)
            let scheme = try Scheme(parsing: type.lowercased())
            guard case .gguf(let block) = scheme else {
                Issue.record("\(type) parsed as \(scheme)")
                continue
            }
            #expect(entry.int("type_size") == block.typeSize)
            #expect(entry.int("block_size") == block.blockSize)
        }
    }
}
