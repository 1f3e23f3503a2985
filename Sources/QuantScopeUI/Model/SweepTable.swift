import QuantEngine

/// One tensor through every setting `SchemeSweep` lists, filled in as the
/// background work streams it (docs/contract.md §11).
public struct SweepTable: Sendable {
    public var points: [ScanResult] = []
    public var skipped: [String] = []
    /// How many settings the sweep runs in all.
    public var total: Int
    public var complete = false

    public init(total: Int) {
        self.total = total
    }
}
