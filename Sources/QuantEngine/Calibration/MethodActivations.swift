/// The activations a weight method calibrates on and is judged on
/// (docs/contract.md §7, `methods`): two disjoint sets of rows of one source,
/// so a method is never scored on the tokens it saw. Synthetic ones are
/// 2·N seeded rows of one draw (the same outlier channels in both halves,
/// as one model's activations have), split into the first N and the last N;
/// a tensor's rows are split the same way, first half and second half.
public struct MethodActivations: Sendable {
    /// [calibrationTokens, features] row-major.
    public var calibration: [Float]
    /// [heldOutTokens, features] row-major.
    public var heldOut: [Float]
    public var calibrationTokens: Int
    public var heldOutTokens: Int
    public var features: Int
    /// Says where the rows come from and how they were split.
    public var label: String

    /// Calibration tokens when none are asked for (and as many held out).
    public static let defaultTokens = 512

    /// Which seeded activations to generate.
    public enum Kind: String, Sendable, CaseIterable {
        /// `SyntheticActivations.correlatedOutliers`: shared latent directions
        /// plus outlier channels, as a real layer's inputs are (the default:
        /// independent columns leave GPTQ nothing to use, docs/contract.md §16).
        case correlated
        /// `SyntheticActivations.outliers`: independent columns, a few ×20–50.
        case outliers
        case gaussian
    }

    /// `tokens` calibration rows and `tokens` held-out rows of seeded activations.
    public static func synthetic(_ kind: Kind = .correlated, tokens: Int = defaultTokens, features: Int, seed: UInt64 = 42) -> MethodActivations {
        let a: SyntheticActivations
        switch kind {
        case .correlated: a = SyntheticActivations.correlatedOutliers(tokens: 2 * tokens, features: features, seed: seed)
        case .outliers: a = SyntheticActivations.outliers(tokens: 2 * tokens, features: features, seed: seed)
        case .gaussian: a = SyntheticActivations.gaussian(tokens: 2 * tokens, features: features, seed: seed)
        }
        let cut = tokens * features
        return MethodActivations(calibration: Array(a.values[..<cut]), heldOut: Array(a.values[cut...]),
                                 calibrationTokens: tokens, heldOutTokens: tokens, features: features,
                                 label: "\(a.description); rows 0…\(tokens - 1) calibrate, \(tokens)…\(2 * tokens - 1) held out")
    }

    /// The rows of a [rows, features] tensor (at most 2·`tokens` of them
    /// when given): the first half calibrates, the rest is held out.
    /// - Returns: nil when there are fewer than two rows.
    public static func split(_ values: [Float], rows: Int, features: Int, tokens: Int?, name: String) -> MethodActivations? {
        let used = min(rows, tokens.map { 2 * $0 } ?? rows)
        guard used >= 2, features > 0, values.count >= used * features else { return nil }
        let first = (used + 1) / 2
        return MethodActivations(calibration: Array(values[..<(first * features)]),
                                 heldOut: Array(values[(first * features)..<(used * features)]),
                                 calibrationTokens: first, heldOutTokens: used - first, features: features,
                                 label: "\(name): rows 0…\(first - 1) calibrate, \(first)…\(used - 1) held out")
    }
}
