/// Seeded activations for trying a weight: plain Gaussian, or Gaussian with
/// a few feature columns scaled ×20–50, the outlier features LLM
/// activations have (the reason per-token int8 activations lose accuracy).
public struct SyntheticActivations: Sendable {
    /// [tokens, features] row-major.
    public var values: [Float]
    public var tokens: Int
    public var features: Int
    /// Which columns were scaled and by how much (empty for plain Gaussian).
    public var outlierColumns: [(column: Int, factor: Float)]
    /// One line saying what these are.
    public var description: String

    /// N(0, 1) values from `seed`.
    public static func gaussian(tokens: Int, features: Int, seed: UInt64) -> SyntheticActivations {
        SyntheticActivations(values: EngineBenchmark.gaussian(rows: tokens, columns: features, seed: seed).values,
                             tokens: tokens, features: features, outlierColumns: [],
                             description: "gaussian N(0,1), seed \(seed)")
    }

    /// N(0, 1) with up to 8 random columns (k/512 of them, at least 2) scaled ×20–50.
    public static func outliers(tokens: Int, features: Int, seed: UInt64) -> SyntheticActivations {
        var a = gaussian(tokens: tokens, features: features, seed: seed)
        var rng = SplitMix64(seed: seed &+ 1)
        let count = min(features, max(2, min(8, features / 512)))
        var columns: [Int] = []
        while columns.count < count {
            let c = Int(rng.next() % UInt64(features))
            if !columns.contains(c) { columns.append(c) }
        }
        for c in columns.sorted() {
            let factor = 20 + Float(rng.next() >> 40) / Float(1 << 24) * 30
            for row in 0..<tokens { a.values[row * features + c] *= factor }
            a.outlierColumns.append((c, factor))
        }
        a.description = "gaussian N(0,1), seed \(seed), outlier columns "
            + a.outlierColumns.map { "\($0.column)×\(Int($0.factor.rounded()))" }.joined(separator: " ")
        return a
    }
}
