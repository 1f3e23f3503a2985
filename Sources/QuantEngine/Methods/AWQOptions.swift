/// The knobs of AWQ's search (docs/contract.md §16, AWQ), with the
/// reference's values (mit-han-lab/llm-awq `auto_scale` and `auto_clip`) as
/// defaults.
public struct AWQOptions: Sendable, Equatable {
    /// Grid points for α: α = i / n for i in 0..<n (the reference's n_grid = 20).
    public var gridPoints: Int
    /// Whether to run the clip search after the scale search.
    public var clipSearch: Bool
    /// Clip ratios tried per group: 1 − i/`clipGrid` for i in 0..<`clipSteps`
    /// (the reference's max_shrink·n_grid = 0.5·20 = 10 steps, 1.0 down to 0.55).
    public var clipSteps: Int
    /// The denominator of the clip ratios (the reference's n_grid = 20).
    public var clipGrid: Int
    /// Tokens the clip search looks at: every ⌊M / this⌋-th (the reference's n_sample_token = 512).
    public var clipSampleTokens: Int

    public init(gridPoints: Int = 20, clipSearch: Bool = false, clipSteps: Int = 10, clipGrid: Int = 20,
                clipSampleTokens: Int = 512) {
        self.gridPoints = max(1, gridPoints)
        self.clipSearch = clipSearch
        self.clipSteps = max(1, clipSteps)
        self.clipGrid = max(1, clipGrid)
        self.clipSampleTokens = max(1, clipSampleTokens)
    }

    /// The α of grid point `i`.
    public func alpha(_ i: Int) -> Double { Double(i) / Double(gridPoints) }

    /// The clip ratio of step `i`, as Float32 (the reference multiplies a
    /// float32 max by the Python float 1 − i/n_grid, which torch rounds to float32).
    public func clipRatio(_ i: Int) -> Float { Float(1 - Double(i) / Double(clipGrid)) }
}
