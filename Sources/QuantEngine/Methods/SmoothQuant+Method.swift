/// SmoothQuant as a `WeightMethod` (docs/contract.md §16.5): the
/// outcome's weight is the smoothed Q(W·diag(s)), its activation scales s,
/// and its activations quantized int8 per token, so `LayerEvaluation`
/// measures the W8A8 product Q_tok(X·diag(1/s))·Q(W·diag(s))ᵀ. Compare it
/// with plain W8A8 (`SmoothQuant.plainW8A8`), not weight-only RTN: its
/// error includes activation rounding.
extension SmoothQuant {
    static func run(_ problem: LayerProblem, alpha: Double, token: WorkToken?) throws(MethodError) -> MethodOutcome {
        let start = EngineBenchmark.now()
        if token?.isCancelled == true { throw .cancelled }
        let r: (codes: QuantizedTensor, trace: SmoothQuantTrace)
        do {
            r = try quantize(weight: problem.weight.values, rows: problem.outputs, columns: problem.inputs,
                             activations: problem.calibration.values, tokens: problem.tokens, scheme: problem.scheme,
                             granularity: problem.granularity, alpha: alpha)
        } catch {
            throw .unsupportedGranularity("\(problem.granularity) (\(error))")
        }
        let codes = MethodCodes(quantized: r.codes, problem: problem, columnScales: r.trace.scales)
        return MethodOutcome(method: .smoothQuant(alpha: alpha), weight: r.codes.dequantized, codes: codes,
                             activationScales: r.trace.scales, activationsQuantized: true,
                             milliseconds: EngineBenchmark.now() - start, trace: .smoothQuant(r.trace))
    }

    /// Plain W8A8, SmoothQuant's baseline: RTN of W at the problem's scheme
    /// and granularity, activations int8 per token, no smoothing.
    public static func plainW8A8(_ problem: LayerProblem, token: WorkToken? = nil) throws(MethodError) -> MethodOutcome {
        var outcome = try Methods.run(.rtn, on: problem, token: token)
        outcome.activationsQuantized = true
        return outcome
    }
}
