import QuantEngine

/// One tensor through every setting `SchemeSweep` lists, filled in as the
/// background work streams it; `front` marks the Pareto points (docs/contract.md §11).
public struct SweepTable: Sendable {
    public var points: [ScanResult] = []
    public var skipped: [String] = []
    /// How many settings the sweep runs in all.
    public var total: Int
    public var complete = false

    public init(total: Int) {
        self.total = total
    }

    /// Whether each of `points` is on their Pareto front (as `quantscope sweep` marks it).
    public static func frontOf(_ points: [ScanResult]) -> [Bool] {
        ParetoFront.mark(cost: points.map(\.cost.bitsPerWeight), error: points.map { $0.metrics.isFinite ? $0.metrics.mse : .nan })
    }
}
