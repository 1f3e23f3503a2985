/// One linear layer to quantize with calibration data (docs/contract.md §16.1):
/// the weight, activations to fit on, held-out activations to judge on.
///
/// Rows of W are output channels (a checkpoint's `Linear` layout), so the
/// layer computes Y = X·Wᵀ; `channel` groups are rows, `group:G` runs of G
/// along `in`.
public struct LayerProblem: Sendable {
    /// W [out, in].
    public let weight: Tensor
    /// X [tokens, in]: what the methods calibrate on.
    public let calibration: Tensor
    /// X_test [tokens′, in]: what the output error is measured on.
    public let test: Tensor
    public let scheme: IntegerScheme
    /// `tensor`, `channel` (axis 0) or `group:G`.
    public let granularity: Granularity
    /// Where the activations came from: "synthetic outliers seed 7", "FILE:TENSOR".
    public let activationSource: String

    /// Checks shapes, scheme and granularity, and that everything is finite.
    public init(weight: Tensor, calibration: Tensor, test: Tensor, scheme: Scheme, granularity: Granularity,
                activationSource: String) throws(MethodError) {
        guard case .integer(let integer) = scheme else { throw .unsupportedScheme(scheme.description) }
        switch granularity {
        case .tensor, .channel(axis: 0), .group: break
        default: throw .unsupportedGranularity(granularity.description)
        }
        guard weight.rank == 2, weight.count > 0 else {
            throw .shapeMismatch("the weight must be a non-empty [out, in] matrix, not \(weight.shape)")
        }
        for (name, x) in [("calibration", calibration), ("test", test)] {
            guard x.rank == 2, x.shape[1] == weight.shape[1], x.shape[0] > 0 else {
                throw .shapeMismatch("\(name) activations \(x.shape) do not match the weight's \(weight.shape[1]) inputs")
            }
        }
        for (name, x) in [("the weight", weight), ("the calibration activations", calibration), ("the test activations", test)] {
            guard x.values.allSatisfy(\.isFinite) else { throw .nonFinite(name) }
        }
        self.weight = weight
        self.calibration = calibration
        self.test = test
        self.scheme = integer
        self.granularity = granularity
        self.activationSource = activationSource
    }

    /// A problem on synthetic activations: `tokens` calibration rows then
    /// `testTokens` held-out rows from one draw (the same outlier columns) of
    /// `SyntheticActivations.correlatedOutliers` (or, `correlated: false`,
    /// `outliers`, whose independent columns leave GPTQ nothing to use).
    public static func synthetic(weight: Tensor, scheme: Scheme, granularity: Granularity, tokens: Int = 512,
                                 testTokens: Int = 256, seed: UInt64 = 7, correlated: Bool = true) throws(MethodError) -> LayerProblem {
        guard weight.rank == 2, tokens > 0, testTokens > 0 else {
            throw .shapeMismatch("the weight must be [out, in] and the token counts positive")
        }
        let k = weight.shape[1]
        let a = correlated ? SyntheticActivations.correlatedOutliers(tokens: tokens + testTokens, features: k, seed: seed)
            : SyntheticActivations.outliers(tokens: tokens + testTokens, features: k, seed: seed)
        let calibration = Tensor(shape: [tokens, k], values: Array(a.values[0..<(tokens * k)]))
        let test = Tensor(shape: [testTokens, k], values: Array(a.values[(tokens * k)...]))
        return try LayerProblem(weight: weight, calibration: calibration, test: test, scheme: scheme, granularity: granularity,
                                activationSource: "synthetic \(correlated ? "correlated outliers" : "outliers") seed \(seed)")
    }

    public var outputs: Int { weight.shape[0] }
    public var inputs: Int { weight.shape[1] }
    public var tokens: Int { calibration.shape[0] }

    /// Columns per group along `in` (the whole row for `tensor` and `channel`).
    public var groupSize: Int {
        if case .group(let g) = granularity { return min(g, inputs) }
        return inputs
    }

    /// Groups per row in the codes' layout (1 for `tensor` and `channel`).
    public var groupsPerRow: Int { (inputs + groupSize - 1) / groupSize }
}
