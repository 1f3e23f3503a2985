extension SyntheticActivations {
    /// Correlated features with outliers, closer to a real layer's input than
    /// `outliers`: each token is a mix of features/8 shared latent
    /// directions (N(0, 1) loadings, direction k weighted 1/√(1 + k)) plus
    /// 0.3·N(0, 1) noise per feature, then the outlier columns of `outliers`
    /// (same seed) scaled ×20–50. Hidden states of real models are strongly
    /// correlated like this; independent columns (`gaussian`, `outliers`)
    /// give a diagonal XᵀX, where GPTQ has nothing to exploit
    /// (docs/contract.md §16.3).
    public static func correlatedOutliers(tokens: Int, features: Int, seed: UInt64) -> SyntheticActivations {
        let rank = max(1, features / 8)
        let latent = EngineBenchmark.gaussian(rows: tokens, columns: rank, seed: seed &+ 101).values
        let directions = EngineBenchmark.gaussian(rows: rank, columns: features, seed: seed &+ 202).values
        let noise = EngineBenchmark.gaussian(rows: tokens, columns: features, seed: seed &+ 303).values
        var weighted = directions
        for k in 0..<rank {
            let f = Float(1 / Double(1 + k).squareRoot() / Double(rank).squareRoot() * 2)
            for c in 0..<features { weighted[k * features + c] *= f }
        }
        // tokens×rank · (features×rank)ᵀ needs the directions transposed.
        var transposed = [Float](repeating: 0, count: features * rank)
        for k in 0..<rank { for c in 0..<features { transposed[c * rank + k] = weighted[k * features + c] } }
        var values = Float32Matmul.multiply(latent, transposed, m: tokens, n: features, k: rank)
        for i in values.indices { values[i] += 0.3 * noise[i] }
        let plain = outliers(tokens: 1, features: features, seed: seed)
        for (c, factor) in plain.outlierColumns {
            for t in 0..<tokens { values[t * features + c] *= factor }
        }
        return SyntheticActivations(values: values, tokens: tokens, features: features, outlierColumns: plain.outlierColumns,
                                    description: "correlated (\(rank) latent directions + noise), seed \(seed), outlier columns "
                                        + plain.outlierColumns.map { "\($0.column)×\(Int($0.factor.rounded()))" }.joined(separator: " "))
    }
}
