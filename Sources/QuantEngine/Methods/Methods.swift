/// Runs a weight method on a layer problem (docs/contract.md §16).
public enum Methods {
    /// Quantizes the problem's weight with `method`.
    /// - Throws: `MethodError` (`.notBuiltYet` for a method this build lacks,
    ///   `.cancelled` when `token` is cancelled).
    public static func run(_ method: WeightMethod, on problem: LayerProblem, token: WorkToken? = nil) throws(MethodError) -> MethodOutcome {
        switch method {
        case .rtn: return try RoundToNearest.run(problem, token: token)
        case .gptq(let options): return try GPTQ.run(problem, options: options, token: token)
        case .awq(let options): return try AWQ.run(problem, options: options, token: token)
        case .smoothQuant(let alpha): return try SmoothQuant.run(problem, alpha: alpha, token: token)
        }
    }

    /// Runs `method` and measures it on the held-out activations.
    public static func evaluate(_ method: WeightMethod, on problem: LayerProblem,
                                token: WorkToken? = nil) throws(MethodError) -> (MethodOutcome, LayerEvaluation) {
        let outcome = try run(method, on: problem, token: token)
        return (outcome, LayerEvaluation(problem: problem, outcome: outcome))
    }
}
