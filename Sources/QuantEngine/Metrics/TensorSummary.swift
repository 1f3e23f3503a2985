/// Min, max, mean, standard deviation and the non-finite count of a tensor:
/// the summary line every view shows.
public struct TensorSummary: Sendable, Equatable {
    public var count: Int
    public var nonfinite: Int
    /// Over finite values; 0 when there are none.
    public var min: Float
    public var max: Float
    public var mean: Double
    /// Population standard deviation over finite values.
    public var std: Double
    /// The flat index of the first element with the largest |x| (nil when none is finite).
    public var argmaxAbs: Int?

    public var absmax: Float { Swift.max(-min, max) }

    /// Summarises `values` in one parallel pass (sums in Float64).
    public init(_ values: UnsafeBufferPointer<Float>) {
        struct Part { var n = 0, bad = 0, lo = Float.infinity, hi = -Float.infinity, sum = 0.0, sumSq = 0.0, arg = -1, amax: Float = -1 }
        let parts = Parallel.map(count: values.count, minimumChunk: 1 << 16) { range -> Part in
            var p = Part()
            var sum = 0.0, sumSq = 0.0
            var runSum: Float = 0, runSq: Float = 0, run = 0
            for i in range {
                let v = values[i]
                guard v.isFinite else { p.bad += 1; continue }
                if v < p.lo { p.lo = v }
                if v > p.hi { p.hi = v }
                let a = abs(v)
                if a > p.amax { p.amax = a; p.arg = i }
                runSum += v
                runSq += v * v
                run += 1
                if run == 256 { sum += Double(runSum); sumSq += Double(runSq); runSum = 0; runSq = 0; run = 0 }
            }
            p.sum = sum + Double(runSum)
            p.sumSq = sumSq + Double(runSq)
            p.n = range.count - p.bad
            return p
        }
        var total = Part()
        for p in parts {
            total.n += p.n
            total.bad += p.bad
            total.lo = Swift.min(total.lo, p.lo)
            total.hi = Swift.max(total.hi, p.hi)
            total.sum += p.sum
            total.sumSq += p.sumSq
            if p.amax > total.amax { total.amax = p.amax; total.arg = p.arg }
        }
        count = values.count
        nonfinite = total.bad
        if total.n == 0 {
            min = 0; max = 0; mean = 0; std = 0; argmaxAbs = nil
            return
        }
        min = total.lo
        max = total.hi
        mean = total.sum / Double(total.n)
        std = Swift.max(0, total.sumSq / Double(total.n) - mean * mean).squareRoot()
        argmaxAbs = total.arg
    }
}
