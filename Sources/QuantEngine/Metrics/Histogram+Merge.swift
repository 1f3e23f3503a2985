/// Histograms of the pieces of a tensor, added up: what a pass that reads
/// x̂ back a piece at a time builds instead of one histogram over it all.
extension Histogram {
    /// Adds `other`'s counts (binned over the same range and bins).
    public mutating func merge(_ other: Histogram) {
        precondition(other.counts.count == counts.count && other.lower == lower && other.upper == upper)
        let hadFinite = total > 0, otherHasFinite = other.total > 0
        for i in counts.indices { counts[i] += other.counts[i] }
        below += other.below
        above += other.above
        nonfinite += other.nonfinite
        // observedMin/Max are 0 for a histogram with no finite value: they take no part.
        switch (hadFinite, otherHasFinite) {
        case (true, true):
            observedMin = Swift.min(observedMin, other.observedMin)
            observedMax = Swift.max(observedMax, other.observedMax)
        case (false, true):
            observedMin = other.observedMin
            observedMax = other.observedMax
        default:
            break
        }
    }
}
