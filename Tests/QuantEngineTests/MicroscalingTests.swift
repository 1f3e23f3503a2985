import Foundation
import Testing
@testable import QuantEngine

/// OCP Microscaling (docs/contract.md §4) against `mx/`: blocks of 32 along the last
/// axis, scale 2^(floor(log2 amax) − emax_elem) stored as E8M0, elements
/// saturate-encoded with ties to even (ml_dtypes).
///
/// `mxfp4_gguf_input` is gguf's MXFP4 input quantized the OCP way; the
/// comparison of our mxfp4 with gguf's own MXFP4 bytes is left for later.
@Suite("Microscaling")
struct MicroscalingTests {
    static let cases = Fixtures.caseNames("mx/cases.json")

    @Test("the fixture lists every case")
    func caseCount() {
        #expect(Self.cases.count == 5)
    }

    @Test("codes, scales, dequantized values and metrics match the OCP reference", arguments: cases)
    func matchesReference(_ name: String) throws {
        let c = try QuantCase("mx", name)
        guard case .microscaling(let element) = c.scheme else {
            Issue.record("\(name): \(c.scheme) is not an MX scheme")
            return
        }
        #expect(element.name == c.fields.string("element_format"))
        #expect(element.maxExponent == c.fields.int("emax_elem"), "\(name): emax \(element.maxExponent)")
        let q = try c.quantize()
        #expect(q.granularity == (c.granularity ?? .group(size: 32)))
        try c.verify(q)
    }

    @Test("each scale is the power of two its E8M0 byte stands for", arguments: cases)
    func scaleCodes(_ name: String) throws {
        let c = try QuantCase("mx", name)
        let q = try c.quantize()
        let scaleCodes = try Fixtures.u8(try c.path("scale_codes"))
        try #require(q.scales.count == scaleCodes.count)
        var mismatches = Mismatches("\(name) E8M0 scales")
        for (g, byte) in scaleCodes.enumerated() {
            let expected = Float(sign: .plus, exponent: Int(byte) - 127, significand: 1)
            mismatches.check(sameBits(q.scales[g], expected) && FloatFormat.e8m0.encode(q.scales[g]) == UInt32(byte),
                             "block \(g): expected 2^\(Int(byte) - 127) (E8M0 \(Show.hex(byte))), got \(Show.float(q.scales[g]))")
        }
        mismatches.expectNone()
    }
}
