/// GPTQ (Frantar et al. 2022), docs/contract.md §16.3.
enum GPTQ {
    static func run(_ problem: LayerProblem, options: GPTQOptions, token: WorkToken?) throws(MethodError) -> MethodOutcome {
        throw .notBuiltYet("gptq")
    }
}
