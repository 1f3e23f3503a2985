/// Why a training run stopped early.
public enum TrainingError: Error, Equatable, Sendable {
    /// The caller's `WorkToken` was cancelled.
    case cancelled
}
