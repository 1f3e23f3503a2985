/// Which points of (cost, error) are on the Pareto front: no other point
/// costs no more and errs less, or costs less and errs no more
/// (docs/contract.md §7, `sweep`). Ties keep every equal point.
public enum ParetoFront {
    /// For each point, whether it is on the front. Points with a NaN error never are.
    public static func mark(cost: [Double], error: [Double]) -> [Bool] {
        precondition(cost.count == error.count)
        return cost.indices.map { i in
            guard !error[i].isNaN else { return false }
            return !cost.indices.contains { j in
                j != i && !error[j].isNaN
                    && ((cost[j] <= cost[i] && error[j] < error[i]) || (cost[j] < cost[i] && error[j] <= error[i]))
            }
        }
    }

    /// For each scan result, whether it is on the front of bits per weight
    /// against MSE; a result whose error is not finite never is.
    public static func mark(_ results: [ScanResult]) -> [Bool] {
        mark(cost: results.map(\.cost.bitsPerWeight), error: results.map { $0.metrics.isFinite ? $0.metrics.mse : .nan })
    }
}
