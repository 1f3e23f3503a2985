/// A whole PTQ-vs-QAT run (docs/contract.md §13): the same seed and
/// configuration give an equal report on every machine.
public struct QATReport: Sendable, Equatable {
    public var configuration: QATConfiguration
    /// `spirals-3`.
    public var task: String
    public var floatAccuracy: Double
    public var floatLoss: Double
    public var floatCurve: [TrainingPoint]
    public var results: [QATResult]
}
