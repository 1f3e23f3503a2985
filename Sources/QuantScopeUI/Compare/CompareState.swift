import QuantEngine

/// Compare mode (docs/contract.md §15): a second setting, B, pinned over the
/// open tensor while the keys go on changing the first, A. Both are
/// quantized off the loop; the Compare screen only reads the two analyses.
public struct CompareState: Sendable {
    /// The pinned setting, B.
    public var settings: QuantSettings
    /// B's analysis of the open tensor (nil while it is computed or refused).
    public var analysis: Analysis?
    public var computing = false
    /// Why the engine refused B on this tensor, shown in B's column.
    public var failure: String?
    /// Bumped on every request for B; older results are dropped.
    public var generation = 0

    public init(settings: QuantSettings) {
        self.settings = settings
    }
}
