import QuantEngine

/// What the Mapping and Histogram views show about one group — its size,
/// range and the elements that set it, the codes it uses, what it clipped,
/// and its histogram — in a value whose size does not grow with the tensor.
///
/// A frame must cost what the screen shows, not what the tensor holds: a
/// per-tensor group of a 4096×4096 weight is 16.7M elements. Groups of up to
/// `onDemandLimit` elements are summarised when a frame asks (that many reads
/// at most); when a layout's groups are larger, every group is summarised
/// once on the worker with the analysis (`precompute`), and frames look the
/// summary up.
public struct GroupSummary: Sendable {
    /// The most elements a frame reads to summarise a group.
    public static let onDemandLimit = 1 << 16
    /// Bins of a precomputed group histogram (views re-bin it to their width).
    public static let fineBins = 512

    public var group: Int
    public var count: Int
    /// Flat indices of the group's first and last elements.
    public var first: Int
    public var last: Int
    public var finite: Int
    /// The smallest and largest finite x (0 when none is finite).
    public var minimum: Float
    public var maximum: Float
    /// The first flat index of the smallest, the largest, and the largest-|x| finite element.
    public var argmin: Int?
    public var argmax: Int?
    public var argabs: Int?
    /// Distinct codes (by their low byte) the group's elements use.
    public var usedCodes: Int
    /// Finite elements beyond the group's grid by more than half an end step.
    public var clipped: Int
    /// What the group's histogram covers: its finite data and its grid.
    public var histogramRange: ClosedRange<Float>
    /// Whether the worker computed this summary (frames then read nothing).
    public var precomputed = false
    /// Counts in `fineBins` bins over `histogramRange`, for precomputed
    /// groups of a layout with more than one group (a single group's
    /// histogram is the tensor's own, which the Histogram view draws).
    var fine: [UInt32]?
    /// Where an on-demand summary bins its histogram from (arrays are shared, not copied).
    var source: (values: [Float], layout: GroupLayout)?

    /// Elements a frame reads to draw this group: none when precomputed.
    public var readsPerFrame: Int { precomputed ? 0 : count }

    /// The group's range holding 0 (docs/contract.md §1: vmin = min(min x, 0), vmax = max(max x, 0)).
    public var low: Float { min(minimum, 0) }
    public var high: Float { max(maximum, 0) }

    /// Where the group's range came from, as `QuantizedTensor.rangeSetters`
    /// defines it: the largest |x| (symmetric and float schemes), or a
    /// negative minimum and a positive maximum (asymmetric integers), or the
    /// minimum and maximum (GGUF q4_1/q5_1). None for a group of zeros.
    public func setters(scheme: Scheme) -> [Int] {
        guard low != 0 || high != 0 else { return [] }
        switch scheme {
        case .integer(let i) where i.usesExactRange:
            return [argmin, argmax].compactMap { $0 }
        case .integer(let i) where i.hasZeroPoint:
            return [minimum < 0 ? argmin : nil, maximum > 0 ? argmax : nil].compactMap { $0 }
        case .gguf(.q4_1), .gguf(.q5_1):
            return [argmin, argmax].compactMap { $0 }
        default:
            return argabs.map { [$0] } ?? []
        }
    }

    /// The group's finite values in `bins` equal bins over `histogramRange`:
    /// exact for small groups, re-binned from the fine counts for large ones
    /// (zeros for the single group of a per-tensor layout: see `fine`).
    public func histogram(bins: Int) -> [Double] {
        let bins = max(bins, 1)
        if let fine {
            var h = [Float]().withUnsafeBufferPointer { Histogram($0, bins: fine.count, range: histogramRange) }
            h.counts = fine.map { Int($0) }
            return h.rebinned(bins)
        }
        guard let source else { return [Double](repeating: 0, count: bins) }
        var values: [Float] = []
        values.reserveCapacity(min(count, GroupSummary.onDemandLimit))
        source.layout.forEachRun(ofGroup: group) { run in
            for i in run where source.values[i].isFinite { values.append(source.values[i]) }
        }
        return values.withUnsafeBufferPointer { Histogram($0, bins: bins, range: histogramRange) }.counts.map(Double.init)
    }
}

extension GroupSummary {
    /// The edges beyond which a finite x of group `g` counts as clipped: half
    /// an end step past the grid (±∞ for a grid of one level).
    static func clipEdges(_ levels: [Float]) -> (low: Float, high: Float) {
        guard levels.count > 1 else { return (-.infinity, .infinity) }
        let n = levels.count
        return (levels[0] - (levels[1] - levels[0]) / 2, levels[n - 1] + (levels[n - 1] - levels[n - 2]) / 2)
    }

    /// The histogram's range: the data (0 when nothing is finite) and the
    /// grid's finite levels, never empty.
    static func histogramRange(minimum: Float, maximum: Float, levels: [Float]) -> ClosedRange<Float> {
        // Levels can be infinite (a GGUF d that overflowed Float16): leave those out.
        let finite = levels.filter(\.isFinite)
        let lo = min(minimum, finite.first ?? minimum), hi = max(maximum, finite.last ?? maximum)
        // lo + 1 == lo for |lo| ≥ 2^24: widen by a relative step as well.
        return lo...(hi > lo ? hi : max(lo + 1, lo.nextUp, lo + abs(lo) * 0x1p-10))
    }

    /// Summarises group `g` by reading its elements (at most `onDemandLimit`
    /// of them when the caller keeps to small groups).
    static func summarize(_ q: QuantizedTensor, group g: Int, original x: [Float]) -> GroupSummary {
        let levels = q.levels(group: g)
        let edges = clipEdges(levels)
        var sums = Accumulator()
        x.withUnsafeBufferPointer { xs in
            q.codes.withUnsafeBufferPointer { cs in
                q.layout.forEachRun(ofGroup: g) { sums.add($0, xs, cs, edges) }
            }
        }
        var summary = sums.summary(group: g, levels: levels)
        summary.source = (x, q.layout)
        return summary
    }
}
