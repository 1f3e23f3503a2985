/// AWQ as a `WeightMethod` (docs/contract.md §16.4): the search on the
/// problem's calibration activations; Ŵ = Q(W·diag(s))·diag(1/s), the codes
/// those of Q(W·diag(s)) with s as their column scales.
extension AWQ {
    static func run(_ problem: LayerProblem, options: AWQOptions, token: WorkToken?) throws(MethodError) -> MethodOutcome {
        let start = EngineBenchmark.now()
        let r: (weight: [Float], codes: QuantizedTensor, trace: AWQTrace)
        do {
            r = try quantize(weight: problem.weight.values, rows: problem.outputs, columns: problem.inputs,
                             activations: problem.calibration.values, tokens: problem.tokens, scheme: problem.scheme,
                             granularity: problem.granularity, options: options, token: token)
        } catch .cancelled {
            throw .cancelled
        } catch {
            throw .unsupportedGranularity("\(problem.granularity) (\(error))")
        }
        let codes = MethodCodes(quantized: r.codes, problem: problem, columnScales: r.trace.scales)
        return MethodOutcome(method: .awq(options), weight: r.weight, codes: codes,
                             milliseconds: EngineBenchmark.now() - start, trace: .awq(r.trace))
    }
}
