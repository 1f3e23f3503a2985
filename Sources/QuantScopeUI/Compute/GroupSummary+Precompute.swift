import QuantEngine

/// Summaries of every group, computed on the worker when groups are too
/// large to summarise in a frame: two parallel passes over the tensor in
/// flat order (the statistics, then the histograms over the ranges the first
/// pass found), each worker keeping one small table per group. There are
/// fewer than count / `onDemandLimit` groups here, so the tables stay small
/// (at most 2,560 groups for a 262144×640 tensor).
extension GroupSummary {
    /// One group's running numbers; merged in flat order, so ties keep the
    /// first index, as `QuantizedTensor.rangeSetters` does.
    struct Accumulator {
        var count = 0
        var first = Int.max
        var last = -1
        var finite = 0
        var minimum = Float.infinity, argmin = -1
        var maximum = -Float.infinity, argmax = -1
        var largest: Float = -1, argabs = -1
        var used = SIMD4<UInt64>()
        var clipped = 0

        mutating func add(_ run: Range<Int>, _ xs: UnsafeBufferPointer<Float>, _ cs: UnsafeBufferPointer<UInt8>,
                          _ edges: (low: Float, high: Float)) {
            guard !run.isEmpty else { return }
            count += run.count
            first = min(first, run.lowerBound)
            last = max(last, run.upperBound - 1)
            if run.count == 1 {
                // Channels along the last axis: every element is its own run.
                let c = cs[run.lowerBound]
                used[Int(c >> 6)] |= 1 << UInt64(c & 63)
                addScalar(xs[run.lowerBound], at: run.lowerBound, edges)
                return
            }
            markCodes(run, cs)
            var i = run.lowerBound
            if run.count >= 16, run.upperBound <= Int(Int32.max) {
                i = addVectors(run, xs, edges)
            }
            while i < run.upperBound {
                addScalar(xs[i], at: i, edges)
                i += 1
            }
        }

        /// Notes which codes occur in `run`: long runs store a flag per code
        /// (one plain store per element), short ones set the bits directly.
        mutating func markCodes(_ run: Range<Int>, _ cs: UnsafeBufferPointer<UInt8>) {
            guard run.count >= 1024 else {
                for i in run { used[Int(cs[i] >> 6)] |= 1 << UInt64(cs[i] & 63) }
                return
            }
            var bits = used
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { seen in
                seen.initialize(repeating: 0)
                for i in run { seen[Int(cs[i])] = 1 }
                for k in 0..<256 where seen[k] != 0 { bits[k >> 6] |= 1 << UInt64(k & 63) }
            }
            used = bits
        }

        @inline(__always)
        mutating func addScalar(_ v: Float, at i: Int, _ edges: (low: Float, high: Float)) {
            guard v.isFinite else { return }
            finite += 1
            if v < minimum { minimum = v; argmin = i }
            if v > maximum { maximum = v; argmax = i }
            if abs(v) > largest { largest = abs(v); argabs = i }
            if v < edges.low || v > edges.high { clipped += 1 }
        }

        /// The SIMD body of `add` over whole vectors of `run`: per-lane
        /// extremes with their first index, reduced (ties to the lower index)
        /// before the scalar tail. Returns where the tail starts.
        mutating func addVectors(_ run: Range<Int>, _ xs: UnsafeBufferPointer<Float>, _ edges: (low: Float, high: Float)) -> Int {
            typealias V = SIMD16<Float>
            typealias I = SIMD16<Int32>
            let lanes = I(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
            let lo = V(repeating: edges.low), hi = V(repeating: edges.high)
            var vmin = V(repeating: .infinity), vmax = V(repeating: -.infinity), vabs = V(repeating: -1)
            var imin = I(repeating: -1), imax = I(repeating: -1), iabs = I(repeating: -1)
            var finiteLanes = I(), clippedLanes = I()
            var i = run.lowerBound
            guard let base = xs.baseAddress else { return i }
            while i + 16 <= run.upperBound {
                let v = UnsafeRawPointer(base + i).loadUnaligned(as: V.self)
                let ok = (v - v) .== V()
                let index = lanes &+ Int32(truncatingIfNeeded: i)
                finiteLanes = finiteLanes.replacing(with: finiteLanes &+ 1, where: ok)
                clippedLanes = clippedLanes.replacing(with: clippedLanes &+ 1, where: ok .& ((v .< lo) .| (v .> hi)))
                let smaller = ok .& (v .< vmin), larger = ok .& (v .> vmax)
                vmin = vmin.replacing(with: v, where: smaller)
                imin = imin.replacing(with: index, where: smaller)
                vmax = vmax.replacing(with: v, where: larger)
                imax = imax.replacing(with: index, where: larger)
                let a = v.replacing(with: -v, where: v .< V())
                let wider = ok .& (a .> vabs)
                vabs = vabs.replacing(with: a, where: wider)
                iabs = iabs.replacing(with: index, where: wider)
                i += 16
            }
            finite += Int(finiteLanes.wrappedSum())
            clipped += Int(clippedLanes.wrappedSum())
            // Lanes in index order of their best: a lower index wins a tie.
            func best(_ values: V, _ indices: I, better: (Float, Float) -> Bool) -> (Float, Int)? {
                var found: (Float, Int)?
                for lane in 0..<16 where indices[lane] >= 0 {
                    let candidate = (values[lane], Int(indices[lane]))
                    if let f = found, !(better(candidate.0, f.0) || (candidate.0 == f.0 && candidate.1 < f.1)) { continue }
                    found = candidate
                }
                return found
            }
            if let (v, at) = best(vmin, imin, better: <), v < minimum || (v == minimum && at < argmin) { minimum = v; argmin = at }
            if let (v, at) = best(vmax, imax, better: >), v > maximum || (v == maximum && at < argmax) { maximum = v; argmax = at }
            if let (v, at) = best(vabs, iabs, better: >), v > largest || (v == largest && at < argabs) { largest = v; argabs = at }
            return i
        }

        /// Adds what a later stretch of the flat range found.
        mutating func merge(_ later: Accumulator) {
            count += later.count
            first = min(first, later.first)
            last = max(last, later.last)
            finite += later.finite
            if later.minimum < minimum { minimum = later.minimum; argmin = later.argmin }
            if later.maximum > maximum { maximum = later.maximum; argmax = later.argmax }
            if later.largest > largest { largest = later.largest; argabs = later.argabs }
            used |= later.used
            clipped += later.clipped
        }

        func summary(group g: Int, levels: [Float]) -> GroupSummary {
            let any = finite > 0
            let lo = any ? minimum : 0, hi = any ? maximum : 0
            let used = (0..<4).reduce(0) { $0 + self.used[$1].nonzeroBitCount }
            return GroupSummary(group: g, count: count, first: count > 0 ? first : 0, last: max(last, 0), finite: finite,
                                minimum: lo, maximum: hi, argmin: any ? argmin : nil, argmax: any ? argmax : nil,
                                argabs: any ? argabs : nil, usedCodes: used, clipped: clipped,
                                histogramRange: histogramRange(minimum: lo, maximum: hi, levels: levels))
        }
    }

    /// Whether `layout`'s groups are too large for a frame to summarise.
    static func needsPrecomputing(_ layout: GroupLayout) -> Bool {
        layout.groupCount > 0 && layout.count / layout.groupCount > onDemandLimit
    }

    /// Every group's summary, in group order, when the groups are too large
    /// to summarise in a frame; empty otherwise (frames summarise on demand).
    static func precompute(_ q: QuantizedTensor, original x: [Float], token: WorkToken? = nil) -> [GroupSummary] {
        let layout = q.layout
        guard needsPrecomputing(layout), x.count == layout.count, q.codes.count == layout.count else { return [] }
        let groups = layout.groupCount
        let levels = (0..<groups).map { q.levels(group: $0) }
        let edges = levels.map(clipEdges)
        let chunk = 1 << 18
        let tables = x.withUnsafeBufferPointer { xs in
            q.codes.withUnsafeBufferPointer { cs in
                Parallel.map(count: layout.count, minimumChunk: chunk) { flat -> [Accumulator] in
                    var table = [Accumulator](repeating: Accumulator(), count: groups)
                    forEachRun(layout, in: flat) { run, g in table[g].add(run, xs, cs, edges[g]) }
                    return table
                }
            }
        }
        var merged = [Accumulator](repeating: Accumulator(), count: groups)
        for table in tables { for g in 0..<groups { merged[g].merge(table[g]) } }
        var summaries = (0..<groups).map { merged[$0].summary(group: $0, levels: levels[$0]) }
        for g in 0..<groups { summaries[g].precomputed = true }
        if token?.isCancelled == true { return [] }
        // One group has no group histogram to draw (the Histogram view shows all values).
        guard groups > 1 else { return summaries }

        // The histograms, over ranges now known.
        let bins = fineBins
        let ranges = summaries.map { (low: Double($0.histogramRange.lowerBound), upper: Double($0.histogramRange.upperBound)) }
        let counts = x.withUnsafeBufferPointer { xs in
            Parallel.map(count: layout.count, minimumChunk: chunk) { flat -> [UInt32] in
                var table = [UInt32](repeating: 0, count: groups * bins)
                table.withUnsafeMutableBufferPointer { t in
                    forEachRun(layout, in: flat) { run, g in
                        // Every finite value lies in its group's range; the index saturates all the same,
                        // so a range that rounds to zero width cannot trap on Int(NaN).
                        let lo = ranges[g].low, scale = Double(bins) / (ranges[g].upper - lo), base = g * bins
                        for i in run where xs[i].isFinite {
                            t[base + Int(saturating: (Double(xs[i]) - lo) * scale, within: 0...(bins - 1))] &+= 1
                        }
                    }
                }
                return table
            }
        }
        for g in 0..<groups {
            var fine = [UInt32](repeating: 0, count: bins)
            for part in counts { for b in 0..<bins { fine[b] &+= part[g * bins + b] } }
            summaries[g].fine = fine
        }
        return summaries
    }

    /// Steps through the runs of `layout` that fall inside `flat`, cut to it.
    private static func forEachRun(_ layout: GroupLayout, in flat: Range<Int>, _ body: (Range<Int>, Int) -> Void) {
        var i = flat.lowerBound
        while i < flat.upperBound {
            let (run, group) = layout.run(containing: i)
            let end = min(run.upperBound, flat.upperBound)
            body(i..<end, group)
            i = end
        }
    }
}
