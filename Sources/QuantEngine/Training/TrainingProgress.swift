/// What the progress callback receives at every curve point.
public struct TrainingProgress: Sendable, Equatable {
    public var phase: TrainingPhase
    public var point: TrainingPoint
    public var totalSteps: Int
    /// For a QAT phase, where post-training quantization left that bit
    /// width (the point the fine-tuning starts from); nil for float.
    public var ptq: MLP.Evaluation?
}
