/// One point of a training curve: where a run was after `step` steps.
public struct TrainingPoint: Sendable, Equatable {
    public var step: Int
    /// Mean batch loss over the steps since the previous point (at step 0,
    /// the loss over the whole training split).
    public var trainLoss: Double
    /// Loss and accuracy on the test split, with the weights the phase
    /// trains (fake-quantized during QAT).
    public var testLoss: Double
    public var testAccuracy: Double
}
