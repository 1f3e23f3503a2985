/// Percentiles of |x| over the finite elements of a tensor, exactly as
/// `numpy.percentile(np.abs(x[np.isfinite(x)]).astype(np.float64), P)`
/// computes them with its default `method="linear"` (docs/contract.md §12):
/// the virtual index h = (n − 1)·P/100 between the sorted values a[⌊h⌋] and
/// a[⌊h⌋ + 1], interpolated with numpy's own lerp.
///
/// Sorting 16 M floats would take seconds, so the order statistics are
/// selected instead: one parallel pass counts |x| into 65,536 buckets by the
/// top bits of its bit pattern (monotone for non-negative floats), and a
/// second pass collects and sorts only the bucket(s) holding the wanted ranks.
public struct AbsolutePercentile: Sendable, Equatable {
    /// How many finite elements there are.
    public var finite: Int
    /// max |x| over them (0 when there are none).
    public var maxAbs: Double
    /// One per requested percentile; nil when there is no finite element.
    public var values: [Double?]

    /// Measures `x` for each of `percentiles` (each in [0, 100]).
    public init(_ x: UnsafeBufferPointer<Float>, percentiles: [Double]) {
        let shift: UInt32 = 15
        let buckets = 1 << (31 - Int(shift))
        // Pass 1: per-worker bucket counts and maxima.
        let parts = Parallel.map(count: x.count, minimumChunk: 1 << 18) { range -> ([Int32], UInt32, Int) in
            var counts = [Int32](repeating: 0, count: buckets)
            var top: UInt32 = 0, finite = 0
            counts.withUnsafeMutableBufferPointer { c in
                for i in range {
                    let bits = x[i].bitPattern & 0x7FFF_FFFF
                    guard bits < 0x7F80_0000 else { continue }
                    c[Int(bits >> shift)] &+= 1
                    top = max(top, bits)
                    finite += 1
                }
            }
            return (counts, top, finite)
        }
        var counts = [Int](repeating: 0, count: buckets)
        var topBits: UInt32 = 0
        finite = 0
        for (c, t, n) in parts {
            for b in 0..<buckets where c[b] != 0 { counts[b] += Int(c[b]) }
            topBits = max(topBits, t)
            finite += n
        }
        maxAbs = finite > 0 ? Double(Float(bitPattern: topBits)) : 0
        guard finite > 0 else {
            values = percentiles.map { _ in nil }
            return
        }
        let n = finite
        values = percentiles.map { p in
            let q = min(max(p, 0), 100) / 100
            // numpy's _compute_virtual_index(n, q, alpha=1, beta=1), then floor and gamma.
            let h = min(max(Double(n) * q + (1 + q * (1 - 1 - 1)) - 1, 0), Double(n - 1))
            let below = Int(h.rounded(.down))
            let gamma = h - Double(below)
            let ranks = AbsolutePercentile.select(x, ranks: [below, min(below + 1, n - 1)], counts: counts, shift: shift)
            return AbsolutePercentile.lerp(ranks[0], ranks[1], gamma)
        }
    }

    /// numpy's `_lerp`: a + (b − a)·t, from b's side when t ≥ 0.5.
    static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let d = b - a
        return t >= 0.5 ? b - d * (1 - t) : a + d * t
    }

    /// The values of rank `ranks` (0-based, ascending) among the finite |x|.
    static func select(_ x: UnsafeBufferPointer<Float>, ranks: [Int], counts: [Int], shift: UInt32) -> [Double] {
        // The buckets holding the ranks, and how many values lie below the first.
        var bucketOf: [Int] = []
        var before = 0, running = 0, b = 0
        for r in ranks {
            while running + counts[b] <= r {
                running += counts[b]
                b += 1
            }
            bucketOf.append(b)
        }
        running = 0
        for i in 0..<bucketOf[0] { running += counts[i] }
        before = running
        let lo = UInt32(bucketOf.first!) << shift, hi = (UInt32(bucketOf.last!) + 1) << shift
        var picked: [Float] = []
        picked.reserveCapacity(counts[bucketOf.first!...bucketOf.last!].reduce(0, +))
        for v in x {
            let bits = v.bitPattern & 0x7FFF_FFFF
            if bits >= lo && bits < hi { picked.append(Float(bitPattern: bits)) }
        }
        picked.sort()
        return ranks.map { Double(picked[$0 - before]) }
    }
}
