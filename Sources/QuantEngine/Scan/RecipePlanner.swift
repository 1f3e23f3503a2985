/// Chooses one setting per tensor so that the whole set fits a bits-per-weight
/// budget with as little total squared error as it can find
/// (docs/contract.md §7, `recipe`).
///
/// The rule is greedy on error per bit, not an exact search:
/// 1. per tensor, candidates whose error is not finite are dropped, then
///    every candidate that another beats or ties on both bits and error, then
///    the ones above the lower convex hull of (bits, SSE) — a hull point is
///    the best choice for some price per bit, the others never are;
/// 2. every tensor starts at its cheapest hull point;
/// 3. while some tensor's next hull point fits in what the budget has left,
///    the one with the largest ΔSSE / Δbits is taken (ties: the earlier
///    tensor). An upgrade that does not fit never will, since what is left
///    only shrinks, so that tensor stays where it is.
///
/// Until the first upgrade that does not fit, every plan the walk passes
/// through is optimal for its own size (it minimises SSE + λ·bits for some λ,
/// the Lagrangian argument); after that it may miss the optimum by less than
/// one upgrade's worth. SSE = MSE × the finite elements, so tensors weigh in
/// by size; bits are the stored bytes × 8 of `StorageCost`.
public enum RecipePlanner {
    /// One tensor's chosen setting.
    public struct Choice: Sendable {
        public var result: ScanResult
        public var bits: Int { result.cost.bytes * 8 }
        public var sse: Double { Self.sse(result.metrics) }

        static func sse(_ m: ErrorMetrics) -> Double { m.mse * Double(m.finite) }
    }

    /// The plan: a choice per tensor, in the order the results first name them.
    public struct Plan: Sendable {
        public var choices: [Choice]
        /// Tensors with no candidate of finite error (left out of the plan and the budget).
        public var unplanned: [String]
        public var totalBits: Int { choices.reduce(0) { $0 + $1.bits } }
        public var elements: Int { choices.reduce(0) { $0 + $1.result.cost.elements } }
        public var bitsPerWeight: Double { elements == 0 ? 0 : Double(totalBits) / Double(elements) }
        public var totalSSE: Double { choices.reduce(0) { $0 + $1.sse } }
    }

    public enum PlanError: Error, Equatable, Sendable {
        /// Even the cheapest setting of every tensor spends more than the budget.
        case budgetTooLow(budget: Double, minimum: Double)
        /// No tensor has a candidate with finite error.
        case nothingToPlan
    }

    /// Plans `results` (every tensor × setting a scan produced) to spend at
    /// most `budget` bits per weight over the planned tensors.
    public static func plan(_ results: [ScanResult], budget: Double) throws(PlanError) -> Plan {
        var order = [String](), byTensor = [String: [ScanResult]]()
        for r in results {
            if byTensor[r.tensor] == nil { order.append(r.tensor) }
            byTensor[r.tensor, default: []].append(r)
        }
        var hulls = [[ScanResult]](), unplanned = [String]()
        for name in order {
            let hull = lowerHull(byTensor[name] ?? [])
            if hull.isEmpty { unplanned.append(name) } else { hulls.append(hull) }
        }
        guard !hulls.isEmpty else { throw .nothingToPlan }
        let elements = hulls.reduce(0) { $0 + $1[0].cost.elements }
        var at = [Int](repeating: 0, count: hulls.count)
        var total = hulls.reduce(0) { $0 + $1[0].cost.bytes * 8 }
        func fits(_ bits: Int) -> Bool { Double(bits) / Double(elements) <= budget }
        guard fits(total) else { throw .budgetTooLow(budget: budget, minimum: Double(total) / Double(elements)) }
        var frozen = [Bool](repeating: false, count: hulls.count)
        while true {
            var best: (index: Int, ratio: Double)?
            for i in hulls.indices where !frozen[i] && at[i] + 1 < hulls[i].count {
                let here = hulls[i][at[i]], next = hulls[i][at[i] + 1]
                let extra = (next.cost.bytes - here.cost.bytes) * 8
                guard fits(total + extra) else { frozen[i] = true; continue }
                let ratio = (Choice.sse(here.metrics) - Choice.sse(next.metrics)) / Double(extra)
                if best == nil || ratio > best!.ratio { best = (i, ratio) }
            }
            guard let step = best else { break }
            let i = step.index
            total += (hulls[i][at[i] + 1].cost.bytes - hulls[i][at[i]].cost.bytes) * 8
            at[i] += 1
        }
        return Plan(choices: hulls.indices.map { Choice(result: hulls[$0][at[$0]]) }, unplanned: unplanned)
    }

    /// A tensor's candidates on the lower convex hull of (bits, SSE), cheapest
    /// first, SSE strictly falling and each step buying less per bit than the last.
    static func lowerHull(_ candidates: [ScanResult]) -> [ScanResult] {
        let finite = candidates.filter { $0.metrics.isFinite && Choice.sse($0.metrics).isFinite }
        let sorted = finite.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.cost.bytes != y.cost.bytes { return x.cost.bytes < y.cost.bytes }
            let (ex, ey) = (Choice.sse(x.metrics), Choice.sse(y.metrics))
            return ex != ey ? ex < ey : a.offset < b.offset
        }.map(\.element)
        var hull = [ScanResult]()
        for c in sorted {
            let e = Choice.sse(c.metrics)
            // Not cheaper than the last kept point and no better: dominated.
            if let last = hull.last, e >= Choice.sse(last.metrics) { continue }
            // Drop kept points that lie on or above the segment from the one before them to c.
            while hull.count >= 2 {
                let a = hull[hull.count - 2], b = hull[hull.count - 1]
                let (ax, ay) = (Double(a.cost.bytes), Choice.sse(a.metrics))
                let (bx, by) = (Double(b.cost.bytes), Choice.sse(b.metrics))
                let (cx, cy) = (Double(c.cost.bytes), e)
                // b is kept only when the slope a→b is steeper (more negative) than b→c.
                if (by - ay) * (cx - bx) < (cy - by) * (bx - ax) { break }
                hull.removeLast()
            }
            hull.append(c)
        }
        return hull
    }
}
