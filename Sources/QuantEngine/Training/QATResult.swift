/// One bit width's outcome.
public struct QATResult: Sendable, Equatable {
    public var bits: Int
    /// The float model's weights quantized after training, on the test split.
    public var ptqAccuracy: Double
    public var ptqLoss: Double
    /// After fine-tuning with fake quantization, quantized the same way.
    public var qatAccuracy: Double
    public var qatLoss: Double
    public var curve: [TrainingPoint]
}
