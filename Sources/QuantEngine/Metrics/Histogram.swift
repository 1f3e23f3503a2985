/// Counts of values in equal-width bins over a range, with what fell
/// outside it kept apart (the clipped mass at both ends).
///
/// Never traps on what it is given: ±Inf and NaN values are counted in
/// `nonfinite`, and a range bound that is ±Inf is replaced by the largest
/// finite Float32 of its sign (a range is built from finite values; an
/// error range from a GGUF block whose d overflowed is the case that made
/// `Int((v − lower) · 0)` trap, docs/contract.md §4).
public struct Histogram: Sendable, Equatable {
    public var lower: Float
    public var upper: Float
    public var counts: [Int]
    /// Finite values below `lower` / above `upper`.
    public var below: Int
    public var above: Int
    public var nonfinite: Int
    /// The smallest and largest finite values seen (found in the binning
    /// pass itself when a range is given); 0 when none is finite.
    public var observedMin: Float
    public var observedMax: Float

    public var binCount: Int { counts.count }
    public var binWidth: Double { (Double(upper) - Double(lower)) / Double(max(counts.count, 1)) }
    public var total: Int { counts.reduce(0, +) + below + above }

    /// The bin `value` falls in (nil outside the range). The last bin is closed.
    public func bin(of value: Float) -> Int? {
        guard value.isFinite, value >= lower && value <= upper else { return nil }
        let position = (Double(value) - Double(lower)) / binWidth
        guard upper > lower, position.isFinite else { return 0 }
        return Swift.min(Int(position), counts.count - 1)
    }

    /// The left edge of bin `i`.
    public func edge(_ i: Int) -> Double { Double(lower) + Double(i) * binWidth }

    /// Bins `values` over `range`, or over [min, max] of the finite values when nil.
    public init(_ values: UnsafeBufferPointer<Float>, bins: Int, range: ClosedRange<Float>? = nil) {
        let bounds: ClosedRange<Float>
        if let range {
            bounds = range
        } else {
            let summary = TensorSummary(values)
            bounds = summary.min...summary.max
        }
        self.init(source: Values(values: values), bins: bins, range: bounds)
    }

    /// A range ±`largest` for an error histogram: `largest` is the largest
    /// finite |error|; NaN, zero or tiny give ±1e-30, huge or +Inf the largest
    /// finite Float32.
    public static func symmetricRange(_ largest: Double) -> ClosedRange<Float> {
        let m = largest.isNaN ? 1e-30 : Swift.min(Swift.max(largest, 1e-30), Double(Float.greatestFiniteMagnitude))
        let bound = Float(m)
        return -bound...bound
    }

    /// The largest |x − y| over elements where both and their Float32
    /// difference are finite (0 when there is none): what an error
    /// histogram's range must cover.
    public static func largestFiniteDifference(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>) -> Float {
        precondition(x.count == y.count)
        var largest: Float = 0
        for i in x.indices {
            let d = abs(x[i] - y[i])
            if d.isFinite && d > largest { largest = d }
        }
        return largest
    }

    /// Bins the differences x − y (an error histogram) without storing them.
    public init(_ x: UnsafeBufferPointer<Float>, minus y: UnsafeBufferPointer<Float>, bins: Int, range: ClosedRange<Float>) {
        precondition(x.count == y.count)
        self.init(source: Differences(x: x, y: y), bins: bins, range: range)
    }

    /// Bins the quantization errors x̂ − x (docs/contract.md §6: the sign used
    /// everywhere) over the finite originals x; a non-finite x is left out as
    /// in every metric.
    public init(errorsOf approximations: UnsafeBufferPointer<Float>, from originals: UnsafeBufferPointer<Float>, bins: Int, range: ClosedRange<Float>) {
        precondition(approximations.count == originals.count)
        self.init(source: Errors(x: originals, y: approximations), bins: bins, range: range)
    }

    /// Where the counting pass reads its values; a protocol (not a closure)
    /// so the pass is specialised for each source.
    /// One worker's counts.
    private struct CountingPart {
        var counts: [Int]
        var below = 0, above = 0, bad = 0
        var lo = Float.infinity, hi = -Float.infinity
    }

    private protocol Source {
        var count: Int { get }
        func value(_ i: Int) -> Float
    }

    private struct Values: Source {
        let values: UnsafeBufferPointer<Float>
        var count: Int { values.count }
        @inline(__always) func value(_ i: Int) -> Float { values[i] }
    }

    private struct Errors: Source {
        let x: UnsafeBufferPointer<Float>
        let y: UnsafeBufferPointer<Float>
        var count: Int { x.count }
        @inline(__always) func value(_ i: Int) -> Float { x[i].isFinite ? y[i] - x[i] : .nan }
    }

    private struct Differences: Source {
        let x: UnsafeBufferPointer<Float>
        let y: UnsafeBufferPointer<Float>
        var count: Int { x.count }
        @inline(__always) func value(_ i: Int) -> Float { x[i].isFinite ? x[i] - y[i] : .nan }
    }

    /// The counting pass, parallel, with per-worker counts merged after.
    private init<S: Source>(source: S, bins: Int, range bounds: ClosedRange<Float>) {
        precondition(bins >= 1)
        let n = source.count
        let lo = Self.finite(bounds.lowerBound), hi = Self.finite(bounds.upperBound)
        let scale = hi > lo ? Double(bins) / (Double(hi) - Double(lo)) : 0
        let parts = Parallel.map(count: n, minimumChunk: 1 << 16) { range -> CountingPart in
            var p = CountingPart(counts: [Int](repeating: 0, count: bins))
            p.counts.withUnsafeMutableBufferPointer { counts in
                var seenLow = Float.infinity, seenHigh = -Float.infinity
                var below = 0, above = 0, bad = 0
                let lowD = Double(lo)
                for i in range {
                    let v = source.value(i)
                    if !v.isFinite { bad += 1; continue }
                    seenLow = v < seenLow ? v : seenLow
                    seenHigh = v > seenHigh ? v : seenHigh
                    if v < lo { below += 1 } else if v > hi { above += 1 } else {
                        counts[Swift.min(Int((Double(v) - lowD) * scale), bins - 1)] += 1
                    }
                }
                p.lo = seenLow
                p.hi = seenHigh
                p.below = below
                p.above = above
                p.bad = bad
            }
            return p
        }
        lower = lo
        upper = hi
        counts = [Int](repeating: 0, count: bins)
        below = 0
        above = 0
        nonfinite = 0
        var seenLow = Float.infinity, seenHigh = -Float.infinity
        for p in parts {
            seenLow = Swift.min(seenLow, p.lo)
            seenHigh = Swift.max(seenHigh, p.hi)
            for b in 0..<bins { counts[b] += p.counts[b] }
            below += p.below
            above += p.above
            nonfinite += p.bad
        }
        observedMin = seenLow.isFinite ? seenLow : 0
        observedMax = seenHigh.isFinite ? seenHigh : 0
    }

    /// ±Inf as the largest finite Float32 of its sign (NaN, which a checked
    /// `ClosedRange` cannot hold, as 0).
    private static func finite(_ bound: Float) -> Float {
        bound.isNaN ? 0 : Swift.min(Swift.max(bound, -.greatestFiniteMagnitude), .greatestFiniteMagnitude)
    }

    /// Re-bins into `bins` equal bins over the same range, spreading each
    /// source bin's count over the target bins it overlaps (for drawing a
    /// fine histogram at a screen's width).
    public func rebinned(_ bins: Int) -> [Double] {
        guard bins > 0 else { return [] }
        var out = [Double](repeating: 0, count: bins)
        let ratio = Double(bins) / Double(counts.count)
        for (i, c) in counts.enumerated() where c > 0 {
            let start = Double(i) * ratio, end = Double(i + 1) * ratio
            var position = start
            while position < end - 1e-12 {
                let target = min(bins - 1, Int(position))
                let next = min(end, Double(target + 1))
                out[target] += Double(c) * (next - position) / ratio
                position = next
            }
        }
        return out
    }
}
