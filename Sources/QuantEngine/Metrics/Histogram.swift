/// Counts of values in equal-width bins over a range, with what fell
/// outside it kept apart (the clipped mass at both ends).
public struct Histogram: Sendable, Equatable {
    public var lower: Float
    public var upper: Float
    public var counts: [Int]
    /// Finite values below `lower` / above `upper`.
    public var below: Int
    public var above: Int
    public var nonfinite: Int

    public var binCount: Int { counts.count }
    public var binWidth: Double { (Double(upper) - Double(lower)) / Double(max(counts.count, 1)) }
    public var total: Int { counts.reduce(0, +) + below + above }

    /// The bin `value` falls in (nil outside the range). The last bin is closed.
    public func bin(of value: Float) -> Int? {
        guard value >= lower && value <= upper else { return nil }
        guard upper > lower else { return 0 }
        let i = Int((Double(value) - Double(lower)) / binWidth)
        return Swift.min(i, counts.count - 1)
    }

    /// The left edge of bin `i`.
    public func edge(_ i: Int) -> Double { Double(lower) + Double(i) * binWidth }

    /// Bins `values` over `range`, or over [min, max] of the finite values when nil.
    public init(_ values: UnsafeBufferPointer<Float>, bins: Int, range: ClosedRange<Float>? = nil) {
        precondition(bins >= 1)
        let bounds: ClosedRange<Float>
        if let range {
            bounds = range
        } else {
            let summary = TensorSummary(values)
            bounds = summary.min...summary.max
        }
        let lo = bounds.lowerBound, hi = bounds.upperBound
        let scale = hi > lo ? Double(bins) / (Double(hi) - Double(lo)) : 0
        struct Part { var counts: [Int]; var below = 0, above = 0, bad = 0 }
        let parts = Parallel.map(count: values.count, minimumChunk: 1 << 16) { range -> Part in
            var p = Part(counts: [Int](repeating: 0, count: bins))
            p.counts.withUnsafeMutableBufferPointer { counts in
                for i in range {
                    let v = values[i]
                    if !v.isFinite { p.bad += 1 } else if v < lo { p.below += 1 } else if v > hi { p.above += 1 } else {
                        counts[Swift.min(Int((Double(v) - Double(lo)) * scale), bins - 1)] += 1
                    }
                }
            }
            return p
        }
        lower = lo
        upper = hi
        counts = [Int](repeating: 0, count: bins)
        below = 0
        above = 0
        nonfinite = 0
        for p in parts {
            for b in 0..<bins { counts[b] += p.counts[b] }
            below += p.below
            above += p.above
            nonfinite += p.bad
        }
    }
}
