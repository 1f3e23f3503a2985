/// What SmoothQuant's migration did, per input channel, for the explorer
/// to show (docs/contract.md §16.5).
public struct SmoothQuantTrace: Sendable, Equatable {
    /// The migration strength α.
    public var alpha: Double
    /// s_j = max|X_j|^α / max|W_·j|^(1−α).
    public var scales: [Float]
    /// max over tokens of |X_tj| before (X) and after (X·diag(1/s)) migration.
    public var activationMaxBefore: [Float]
    public var activationMaxAfter: [Float]
    /// max over output rows of |W_oj| before (W) and after (W·diag(s)) migration.
    public var weightMaxBefore: [Float]
    public var weightMaxAfter: [Float]

    /// What to compare SmoothQuant with: its output error includes int8
    /// activation rounding, so the fair baseline is plain W8A8, not
    /// weight-only RTN (docs/contract.md §16.5).
    public static let baseline = "plain W8A8 (RTN weights, int8 per-token activations, no smoothing)"
}
