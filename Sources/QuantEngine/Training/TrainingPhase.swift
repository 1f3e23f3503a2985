/// Which part of the run a curve or a progress call belongs to.
public enum TrainingPhase: Sendable, Equatable, Hashable {
    case float
    case qat(bits: Int)
}
