import Foundation
import Testing
@testable import QuantEngine

/// The block decoders against gguf-py on random blocks
/// (`Fixtures/gguf/manifest.json`'s `decode` section, written by
/// `tools/make_fixtures.py`): eight blocks per type of random bytes with
/// valid Float16 scale fields, so the packed 4-, 6- and 8-bit sub-block
/// scales have their high bits set. Expected values are
/// `gguf.quants.dequantize` (ggml's `dequantize_row_q8_K` in numpy for
/// Q8_K, which gguf-py lacks).
///
/// Values compare bit for bit (any NaN equal to any NaN): the decoders do
/// the same Float32 operations in the same order as ggml. Types this build
/// cannot decode (IQ1…IQ3, TQ*, NVFP4) are listed and skipped, but the
/// set it decodes may only grow.
@Suite("GGUF block decoding against gguf-py's random blocks")
struct GGUFBlockDecodeTests {
    static var entries: [String: [String: Any]] {
        let json = (try? Fixtures.json("gguf/manifest.json")) as? [String: Any]
        return (json?["decode"] as? [String: [String: Any]]) ?? [:]
    }

    /// Every type of the decode section, supported or not.
    static var names: [String] { entries.keys.sorted() }

    /// Types whose decoding this build promises (`GGMLBlockDecoding`, `ElementDecoder`).
    static let promised = ["Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ4_NL", "IQ4_XS", "MXFP4", "F16", "BF16"]

    @Test("the decode section holds every promised type, and this build decodes each")
    func coverage() throws {
        for name in Self.promised {
            #expect(Self.entries[name] != nil, "the fixture has no \(name) blocks")
            let type = try #require(GGMLType.named(name), "no GGML type \(name)")
            #expect(ElementDecoder.canDecode(.ggml(type)), "\(name) is no longer decoded")
        }
    }

    @Test("decoded blocks equal gguf-py's values bit for bit", arguments: names)
    func decode(_ name: String) throws {
        let entry = try #require(Self.entries[name])
        let type = try #require(GGMLType.named(name), "no GGML type \(name)")
        guard ElementDecoder.canDecode(.ggml(type)) else {
            #expect(!Self.promised.contains(name), "\(name) is promised but not decoded")
            return
        }
        let blockSize = try #require(entry.int("block_size")), typeSize = try #require(entry.int("type_size"))
        let blocks = try #require(entry.int("blocks"))
        #expect(blockSize == type.blockSize && typeSize == type.typeSize, "\(name): gguf-py's geometry differs from ours")
        let raw = try Fixtures.u8("gguf/" + (try #require(entry.string("blocks_file"))))
        let expected = try Fixtures.f32("gguf/" + (try #require(entry.string("dequant"))))
        let count = blocks * blockSize
        try #require(raw.count == blocks * typeSize && expected.count == count, "\(name): fixture sizes")

        var out = [Float](repeating: .nan, count: count)
        raw.withUnsafeBytes { r in
            out.withUnsafeMutableBufferPointer { ElementDecoder.decode(.ggml(type), r, count: count, into: $0) }
        }
        // The first bad block in full, then up to five bad elements.
        var firstBad: Int?
        var bad = Mismatches("\(name) decoded")
        for i in 0..<count {
            let ok = sameBits(out[i], expected[i])
            if !ok, firstBad == nil { firstBad = i / blockSize }
            bad.check(ok, "element \(i) (block \(i / blockSize), index \(i % blockSize)): gguf-py \(Show.float(expected[i])), got \(Show.float(out[i]))")
        }
        if let b = firstBad {
            let bytes = raw[(b * typeSize)..<((b + 1) * typeSize)].map { Show.hex($0) }.joined(separator: " ")
            Issue.record("\(name): first bad block \(b): bytes \(bytes)")
        }
        bad.expectNone()
    }
}
