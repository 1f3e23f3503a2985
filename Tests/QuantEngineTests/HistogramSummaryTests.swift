import Foundation
import Testing
@testable import QuantEngine

/// `Histogram` and `TensorSummary` on small hand-built arrays (answers
/// counted by hand) and on a large seeded one (answers computed here in Double).
@Suite("Histogram and summary")
struct HistogramSummaryTests {
    /// 15 values, 12 finite; −10 comes before 10, so it is the first largest |x|.
    static let small: [Float] = [-4, -3, -1, 0, 0.5, 1, 2, 2.5, 4, 3.999, .nan, -10, .infinity, 10, -.infinity]

    static func histogram(_ values: [Float], bins: Int, range: ClosedRange<Float>? = nil) -> Histogram {
        values.withUnsafeBufferPointer { Histogram($0, bins: bins, range: range) }
    }

    static func summary(_ values: [Float]) -> TensorSummary {
        values.withUnsafeBufferPointer { TensorSummary($0) }
    }

    @Test("counts over a given range, with the clipped mass and non-finite values kept apart")
    func givenRange() {
        let h = Self.histogram(Self.small, bins: 8, range: -4...4)
        // Bins of width 1 from −4; 4 falls in the last (closed) bin.
        #expect(h.counts == [1, 1, 0, 1, 2, 1, 2, 2])
        #expect(h.below == 1 && h.above == 1 && h.nonfinite == 3)
        #expect(h.total == 12)
        #expect(h.binWidth == 1)
        #expect(h.bin(of: -4) == 0 && h.bin(of: 4) == 7 && h.bin(of: 0.5) == 4)
        #expect(h.bin(of: 4.5) == nil && h.bin(of: -4.001) == nil)
        #expect(h.edge(3) == -1)
        // The binning pass also found the finite extremes, outside the range.
        #expect(h.observedMin == -10 && h.observedMax == 10)
    }

    @Test("without a range the finite min and max bound the bins")
    func ownRange() {
        let h = Self.histogram(Self.small, bins: 4)
        #expect(h.lower == -10 && h.upper == 10)
        // [−10, −5) [−5, 0) [0, 5) [5, 10]
        #expect(h.counts == [1, 3, 7, 1])
        #expect(h.below == 0 && h.above == 0 && h.nonfinite == 3)
    }

    @Test("a constant array falls in one bin")
    func constant() {
        let h = Self.histogram([Float](repeating: 2, count: 9), bins: 5)
        #expect(h.counts.reduce(0, +) == 9)
        #expect(h.below == 0 && h.above == 0)
    }

    /// The engine sums Float32 runs of 256 before Float64, so a few float32
    /// roundings (relative ~1e-7) are allowed.
    @Test("summary of the small array")
    func smallSummary() {
        let s = Self.summary(Self.small)
        let finite = Self.small.filter(\.isFinite).map(Double.init)
        let mean = finite.reduce(0, +) / Double(finite.count)
        let std = (finite.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(finite.count)).squareRoot()
        #expect(s.count == 15 && s.nonfinite == 3)
        #expect(s.min == -10 && s.max == 10 && s.absmax == 10)
        #expect(relativelyClose(s.mean, mean, rel: 1e-6), "mean \(s.mean), expected \(mean)")
        #expect(relativelyClose(s.std, std, rel: 1e-6), "std \(s.std), expected \(std)")
        #expect(s.argmaxAbs == 11)
    }

    @Test("summary of nothing finite")
    func emptySummary() {
        for values in [[], [Float.nan, .infinity]] {
            let s = Self.summary(values)
            #expect(s.count == values.count && s.nonfinite == values.count)
            #expect(s.min == 0 && s.max == 0 && s.mean == 0 && s.std == 0 && s.argmaxAbs == nil)
        }
    }

    /// Large enough to be split over the workers, so the merge is exercised.
    @Test("a large seeded array: counts exact, mean and std within 1e-5")
    func large() {
        var rng = SeededGenerator(seed: 7)
        var values = (0..<300_001).map { _ in Float.random(in: -1..<3, using: &rng) }
        for i in stride(from: 17, to: values.count, by: 9_973) { values[i] = .nan }
        values[123_456] = -7.5
        let lo: Float = -0.5, hi: Float = 2, bins = 37

        var counts = [Int](repeating: 0, count: bins)
        var below = 0, above = 0, bad = 0
        let scale = Double(bins) / (Double(hi) - Double(lo))
        for v in values {
            if !v.isFinite { bad += 1 } else if v < lo { below += 1 } else if v > hi { above += 1 } else {
                counts[min(Int((Double(v) - Double(lo)) * scale), bins - 1)] += 1
            }
        }
        let h = Self.histogram(values, bins: bins, range: lo...hi)
        #expect(h.counts == counts)
        #expect(h.below == below && h.above == above && h.nonfinite == bad)

        let finite = values.filter(\.isFinite)
        let mean = finite.reduce(0.0) { $0 + Double($1) } / Double(finite.count)
        let variance = finite.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(finite.count)
        let s = Self.summary(values)
        #expect(s.count == values.count && s.nonfinite == bad)
        #expect(s.min == -7.5 && s.max == finite.max())
        #expect(s.argmaxAbs == 123_456)
        #expect(relativelyClose(s.mean, mean), "mean \(s.mean), expected \(mean)")
        #expect(relativelyClose(s.std, variance.squareRoot()), "std \(s.std), expected \(variance.squareRoot())")
    }
}
