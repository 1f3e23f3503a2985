/// What AWQ's search saw and chose, for the explorer to show
/// (docs/contract.md §16.4).
public struct AWQTrace: Sendable, Equatable {
    /// a_j = mean over tokens of |X_tj|, per input channel.
    public var activationMagnitude: [Float]
    /// The α of each grid point, and the output MSE ||X·Wᵀ − X·Ŵᵀ||² / (M·N) at it.
    public var gridAlphas: [Double]
    public var gridLosses: [Double]
    /// The grid point chosen (the first with the least loss).
    public var chosenIndex: Int
    /// s_j at the chosen α (normalised: s / √(max s · min s)).
    public var scales: [Float]
    /// The clip ratio chosen per group (group order of the granularity's
    /// layout on [N, K]); nil when the clip search did not run.
    public var clipRatios: [Float]?
    /// The output MSE after the clip search (nil when it did not run).
    public var clippedLoss: Double?

    /// The chosen α.
    public var alpha: Double { gridAlphas[chosenIndex] }
    /// The loss at the chosen α (before any clip search).
    public var loss: Double { gridLosses[chosenIndex] }
    /// The loss at α = 0, where every s_j is 1: plain RTN.
    public var roundToNearestLoss: Double { gridLosses[0] }

    /// What to compare AWQ with: weight-only RTN at the same scheme and
    /// granularity (α = 0 of the grid; docs/contract.md §16.4).
    public static let baseline = "RTN at the same scheme and granularity (weight-only)"
}
