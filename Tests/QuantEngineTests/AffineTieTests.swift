import Foundation
import Testing
@testable import QuantEngine

/// Integer affine quantization where lo/S is exactly k + ½, so the
/// zero-point is a tie (`Fixtures/ties/cases.json`, numpy's docs/contract.md §1 formulas
/// in float32 from `tools/make_tie_fixtures.py`): Z rounds half to even, as
/// numpy's rint does. Scale, zero-point and codes compare exactly,
/// dequantized values bit for bit.
@Suite("Affine zero-point ties")
struct AffineTieTests {
    static var cases: [[String: Any]] {
        (((try? Fixtures.json("ties/cases.json")) as? [String: Any])?["cases"] as? [[String: Any]]) ?? []
    }
    static var names: [String] { cases.compactMap { $0.string("name") } }

    @Test("the fixture holds a case per asymmetric family")
    func coverage() { #expect(Self.cases.count == 3) }

    @Test("scale, zero-point, codes and values equal numpy's", arguments: names)
    func tie(_ name: String) throws {
        let c = try #require(Self.cases.first { $0.string("name") == name })
        let input = try #require(c["input"] as? [Double]).map(Float.init)
        let q = try Quantizer.quantize(Tensor(shape: [input.count], values: input), scheme: Scheme(parsing: try #require(c.string("scheme"))),
                                       granularity: .tensor)
        #expect(q.scales == [Float(try #require(c["scale"] as? Double))])
        #expect(q.zeroPoints == [Int32(try #require(c.int("zero_point")))], "\(name): zero-point")
        #expect((0..<input.count).map { q.code(at: $0) } == (try #require(c.ints("codes"))), "\(name): codes")
        let expected = try #require(c["dequantized"] as? [Double]).map(Float.init)
        #expect(q.dequantized.map(\.bitPattern) == expected.map(\.bitPattern), "\(name): dequantized")
    }
}
