/// What a weight method produced for one layer (docs/contract.md §16.1).
public struct MethodOutcome: Sendable {
    public var method: WeightMethod
    /// Ŵ [out, in], row-major: the weight the layer multiplies by, in the
    /// original activation space (Y ≈ X·Ŵᵀ) — for AWQ Q(W·diag(s))·diag(1/s).
    /// When `activationScales` is set (SmoothQuant) it is the smoothed
    /// weight Q(W·diag(s)) and the activations are X·diag(1/s).
    public var weight: [Float]
    /// The codes behind `weight`, for writers.
    public var codes: MethodCodes
    /// s per input column: the activations are divided by it before the
    /// multiply (SmoothQuant); nil when X is used as it is.
    public var activationScales: [Float]?
    /// Whether the (scaled) activations are quantized to int8, one symmetric
    /// scale per token, before the multiply (SmoothQuant's W8A8).
    public var activationsQuantized: Bool
    /// Wall-clock time of the method, in milliseconds.
    public var milliseconds: Double
    public var trace: MethodTrace?

    public init(method: WeightMethod, weight: [Float], codes: MethodCodes, activationScales: [Float]? = nil,
                activationsQuantized: Bool = false, milliseconds: Double, trace: MethodTrace? = nil) {
        self.method = method
        self.weight = weight
        self.codes = codes
        self.activationScales = activationScales
        self.activationsQuantized = activationsQuantized
        self.milliseconds = milliseconds
        self.trace = trace
    }

    /// The GPTQ trace, when the method was GPTQ.
    public var gptqTrace: GPTQTrace? {
        if case .gptq(let t)? = trace { return t }
        return nil
    }
}
