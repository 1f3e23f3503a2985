/// How close a method's layer is to the float one (docs/contract.md §16.1):
/// the weight error of Ŵ against W, and the output error on the held-out
/// activations, Y = X_test·Wᵀ against the method's own product, both with
/// the float32 matmul kernel (`Float32Matmul`).
public struct LayerEvaluation: Sendable {
    /// Ŵ (in the original activation space: SmoothQuant's Ŵ·diag(1/s)) against W.
    public var weight: ErrorMetrics
    /// The method's output against X_test·Wᵀ.
    public var output: ErrorMetrics

    public init(problem: LayerProblem, outcome: MethodOutcome) {
        let m = problem.test.shape[0], n = problem.outputs, k = problem.inputs
        let reference = Float32Matmul.multiply(problem.test.values, problem.weight.values, m: m, n: n, k: k)
        var effective = outcome.weight
        var x = problem.test.values
        if let s = outcome.activationScales {
            for r in 0..<n { for c in 0..<k { effective[r * k + c] /= s[c] } }
            for t in 0..<m { for c in 0..<k { x[t * k + c] /= s[c] } }
        }
        if outcome.activationsQuantized {
            // int8 symmetric, one scale per token (§1 at channel granularity over rows).
            let int8 = Scheme.integer(IntegerScheme(bits: 8, mode: .symmetric))
            if let q = try? Quantizer.quantize(Tensor(shape: [m, k], values: x), scheme: int8, granularity: .channel(axis: 0)) {
                x = q.dequantized
            }
        }
        let produced = Float32Matmul.multiply(x, outcome.weight, m: m, n: n, k: k)
        weight = problem.weight.values.withUnsafeBufferPointer { w in
            effective.withUnsafeBufferPointer { ErrorMetrics.compare(w, $0) }
        }
        output = reference.withUnsafeBufferPointer { y in
            produced.withUnsafeBufferPointer { ErrorMetrics.compare(y, $0) }
        }
    }
}
