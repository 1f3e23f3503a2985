import Foundation
import Testing
@testable import QuantEngine

/// Integer affine quantization (docs/contract.md §1, §2, §6) against `affine/cases.json`,
/// computed by numpy in Float32 with `np.rint`.
@Suite("Affine quantization")
struct AffineQuantizationTests {
    static let cases = Fixtures.caseNames("affine/cases.json")

    @Test("the fixture lists every case")
    func caseCount() {
        #expect(Self.cases.count == 30)
    }

    @Test("codes, scales, zero-points, dequantized values and metrics match numpy", arguments: cases)
    func matchesReference(_ name: String) throws {
        let c = try QuantCase("affine", name)
        guard case .integer = c.scheme else {
            Issue.record("\(name): \(c.scheme) is not an integer scheme")
            return
        }
        try c.verify(try c.quantize())
    }

    @Test("the granularity is echoed back as given", arguments: cases)
    func granularityEcho(_ name: String) throws {
        let c = try QuantCase("affine", name)
        let q = try c.quantize()
        #expect(q.granularity == c.granularity)
        #expect(q.scheme == c.scheme)
        #expect(q.scheme.description == c.fields.string("scheme"))
    }

    /// Every element's group agrees with the layout's own list of a group's
    /// elements, and groups are numbered in row-major order of their first element.
    @Test("group membership is consistent with the element lists", arguments: cases)
    func groupMembership(_ name: String) throws {
        let c = try QuantCase("affine", name)
        let layout = try GroupLayout(shape: c.shape, granularity: try #require(c.granularity))
        var owner = [Int](repeating: -1, count: layout.count)
        var firsts: [Int] = []
        for g in 0..<layout.groupCount {
            let members = layout.elements(ofGroup: g)
            #expect(!members.isEmpty, "\(name): group \(g) is empty")
            if let first = members.first { firsts.append(first) }
            for i in members {
                #expect(owner[i] == -1, "\(name): element \(i) is in groups \(owner[i]) and \(g)")
                owner[i] = g
            }
        }
        var mismatches = Mismatches("\(name) group(ofElement:)")
        for i in 0..<layout.count {
            mismatches.check(owner[i] == layout.group(ofElement: i),
                             "element \(i): listed in group \(owner[i]), group(ofElement:) says \(layout.group(ofElement: i))")
        }
        mismatches.expectNone()
        #expect(firsts == firsts.sorted(), "\(name): groups are not in row-major order of their first element: \(firsts)")
    }
}
