import Foundation
import Testing
@testable import QuantEngine

/// Scaled float schemes (docs/contract.md §3): S = amax / max finite per group,
/// code = encode_saturate(x / S), x̂ = decode(code) · S, against
/// `floatscheme/cases.json` (numpy + ml_dtypes).
@Suite("Float schemes")
struct FloatSchemeTests {
    static let cases = Fixtures.caseNames("floatscheme/cases.json")

    @Test("the fixture lists every case")
    func caseCount() {
        #expect(Self.cases.count == 7)
    }

    @Test("codes, scales, dequantized values and metrics match ml_dtypes", arguments: cases)
    func matchesReference(_ name: String) throws {
        let c = try QuantCase("floatscheme", name)
        guard case .float = c.scheme else {
            Issue.record("\(name): \(c.scheme) is not a float scheme")
            return
        }
        try c.verify(try c.quantize())
    }

    /// The same rule written out with the scalar codec: each code is the
    /// saturating encode of x / S, and x̂ is its decode times S.
    @Test("codes follow encode_saturate(x / S) element by element", arguments: cases)
    func codesFollowTheFormula(_ name: String) throws {
        let c = try QuantCase("floatscheme", name)
        guard case .float(let format) = c.scheme else { return }
        let scales = try Fixtures.f32(try c.path("scales"))
        let expected = try Fixtures.u8(try c.path("codes"))
        let layout = try GroupLayout(shape: c.shape, granularity: try #require(c.granularity))
        var mismatches = Mismatches("\(name) encode_saturate(x / S)")
        for (i, x) in c.tensor.values.enumerated() {
            let code = format.encode(x / scales[layout.group(ofElement: i)], mode: .saturate)
            mismatches.check(code == UInt32(expected[i]),
                             "element \(i) (input \(Show.float(x))): expected \(Show.hex(expected[i])), got \(Show.hex(code))")
        }
        mismatches.expectNone()
    }
}
