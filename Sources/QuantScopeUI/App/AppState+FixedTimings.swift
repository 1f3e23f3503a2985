/// The timings a screen shows when `fixedTimings` is set (docs/contract.md
/// §14): renders and golden screens must not change from run to run, so
/// they show these stand-ins instead of the clock's readings.
extension AppState {
    /// "recomputed in 1.25 ms".
    public static let fixedRecomputeMilliseconds = 1.25

    /// A matmul result with float32 at 1 ms and kernel i at 0.25 + 0.05·i ms.
    static func withFixedTimings(_ result: MatmulAnalysis) -> MatmulAnalysis {
        var m = result
        m.f32Milliseconds = 1
        for i in m.results.indices { m.results[i].milliseconds = 0.25 + 0.05 * Double(i) }
        return m
    }
}
