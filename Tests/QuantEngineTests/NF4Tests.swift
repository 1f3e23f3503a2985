import Foundation
import Testing
@testable import QuantEngine

/// bitsandbytes NF4 and FP4 (docs/contract.md §4) against `nf4/`: the level tables and
/// quantization of blocks over the flattened tensor.
@Suite("NF4 and FP4")
struct NF4Tests {
    static let cases = Fixtures.caseNames("nf4/cases.json")

    @Test("the fixture lists every case")
    func caseCount() {
        #expect(Self.cases.count == 7)
    }

    @Test("the level tables equal bitsandbytes' (after its division by absmax)")
    func levels() throws {
        let json = try #require(try Fixtures.json("nf4/levels.json") as? [String: Any])
        for (key, ours) in [("nf4", LevelCodec.nf4Levels), ("fp4", LevelCodec.fp4Levels)] {
            let list = try #require(json[key] as? [Any], "levels.json has no \(key)")
            let expected = list.compactMap(JSONNumber.double).map(Float.init)
            try #require(expected.count == 16 && ours.count == 16)
            var mismatches = Mismatches("\(key) levels")
            for i in 0..<16 {
                mismatches.check(sameBits(ours[i], expected[i]),
                                 "level \(i): expected \(Show.float(expected[i])), got \(Show.float(ours[i]))")
            }
            mismatches.expectNone()
        }
    }

    @Test("codes, absmax scales, dequantized values and metrics match bitsandbytes' rule", arguments: cases)
    func matchesReference(_ name: String) throws {
        let c = try QuantCase("nf4", name)
        let q = try c.quantize()
        let blockSize = try #require(c.fields.int("block_size"))
        // A null granularity means the scheme's default (blocks of 64).
        #expect(q.granularity == (c.granularity ?? .group(size: 64)))
        #expect(q.granularity == .group(size: blockSize))
        try c.verify(q)
    }

    @Test("blocks run over the flattened tensor, not along rows")
    func flattened() throws {
        // 3 rows of 50: block 0 is elements 0..<64, crossing the row boundary.
        var values = [Float](repeating: 0.5, count: 150)
        values[60] = 4  // row 1, inside block 0
        let q = try Quantizer.quantize(Tensor(shape: [3, 50], values: values), scheme: .nf4)
        #expect(q.scales == [4, 0.5, 0.5])
    }
}
