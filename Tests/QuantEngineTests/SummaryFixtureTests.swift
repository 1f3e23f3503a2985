import Foundation
import Testing
@testable import QuantEngine

/// `TensorSummary` against numpy's float64 mean and std (fixtures by
/// tools/make_summary_fixtures.py). Tolerance: relative 1e-10 on mean and std
/// (float64 sums in another order), 1e-12·|mean| absolute on std for the
/// constant case; min, max, counts and the argmax exactly.
@Suite("Summary against numpy")
struct SummaryFixtureTests {
    static var cases: [[String: Any]] { ((try? Fixtures.json("summary/cases.json")) as? [String: Any])?["cases"] as? [[String: Any]] ?? [] }
    static let names: [String] = cases.compactMap { $0["name"] as? String }

    @Test func everyCaseIsThere() {
        #expect(Self.names.count == 9)
    }

    @Test(arguments: names)
    func matchesNumpy(_ name: String) throws {
        let c = try #require(Self.cases.first { $0["name"] as? String == name })
        let values = try Fixtures.f32("summary/" + (c["file"] as? String ?? ""))
        let s = values.withUnsafeBufferPointer { TensorSummary($0) }
        #expect(s.count == c["count"] as? Int, "\(name): count")
        #expect(s.nonfinite == c["nonfinite"] as? Int, "\(name): nonfinite")
        guard let mean = c["mean"] as? Double, let std = c["std"] as? Double,
              let min = c["min"] as? Double, let max = c["max"] as? Double else {
            #expect(s.mean == 0 && s.std == 0 && s.min == 0 && s.max == 0 && s.argmaxAbs == nil, "\(name): nothing finite")
            return
        }
        #expect(abs(s.mean - mean) <= 1e-10 * abs(mean), "\(name): mean \(s.mean) vs numpy \(mean)")
        #expect(abs(s.std - std) <= 1e-10 * std + 1e-12 * abs(mean), "\(name): std \(s.std) vs numpy \(std)")
        #expect(s.min == Float(min) && s.max == Float(max), "\(name): min/max \(s.min) \(s.max) vs \(min) \(max)")
        #expect(s.argmaxAbs == c["argmax_abs"] as? Int, "\(name): argmax")
    }

    /// The per-core merge gives the same answer as one core would: the
    /// 200,003-value case summarised whole and as two halves merged by hand.
    @Test func mergingPartsMatchesOnePass() throws {
        let values = try Fixtures.f32("summary/mean100_std001.f32")
        values.withUnsafeBufferPointer { all in
            var merged = TensorSummary.Part()
            var start = 0
            while start < all.count {
                let end = min(start + TensorSummary.blockLength, all.count)
                merged.merge(TensorSummary.Part(all, start..<end))
                start = end
            }
            let whole = TensorSummary(all)
            #expect(abs(merged.mean - whole.mean) <= 1e-12 * abs(whole.mean))
            #expect(abs((merged.m2 / Double(merged.n)).squareRoot() - whole.std) <= 1e-10 * whole.std)
        }
    }
}
