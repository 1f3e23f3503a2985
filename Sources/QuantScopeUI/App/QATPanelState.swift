import QuantEngine

/// The PTQ-vs-QAT panel's run (docs/contract.md §13), filled in as progress
/// events arrive from the worker: the float curve, then each bit width's
/// PTQ starting point and QAT curve, then the final report.
public struct QATPanelState: Sendable {
    /// One bit width's QAT fine-tuning so far.
    public struct Run: Sendable, Equatable {
        public var bits: Int
        /// Where PTQ left this bit width (test split): QAT starts from here.
        public var ptq: MLP.Evaluation?
        public var points: [TrainingPoint] = []
    }

    public var configuration: QATConfiguration
    public var floatCurve: [TrainingPoint] = []
    public var runs: [Run]
    /// The phase that sent the last event, and its step count.
    public var phase: TrainingPhase?
    public var phaseSteps = 0
    public var report: QATReport?
    /// False once the report arrived or the run was stopped.
    public var running = true

    public init(configuration: QATConfiguration) {
        self.configuration = configuration
        runs = configuration.bits.map { Run(bits: $0) }
    }

    /// Takes one progress event.
    public mutating func apply(_ progress: TrainingProgress) {
        phase = progress.phase
        phaseSteps = progress.totalSteps
        switch progress.phase {
        case .float:
            floatCurve.append(progress.point)
        case .qat(let bits):
            guard let i = runs.firstIndex(where: { $0.bits == bits }) else { return }
            runs[i].ptq = progress.ptq
            runs[i].points.append(progress.point)
        }
    }

    /// Takes the finished run: its curves replace what the events built.
    public mutating func finish(_ report: QATReport) {
        self.report = report
        floatCurve = report.floatCurve
        runs = report.results.map { r in
            Run(bits: r.bits, ptq: MLP.Evaluation(loss: r.ptqLoss, accuracy: r.ptqAccuracy), points: r.curve)
        }
        running = false
    }

    /// The float model's test accuracy so far (its last curve point).
    public var floatAccuracy: Double? { report?.floatAccuracy ?? floatCurve.last?.testAccuracy }

    /// A bit width's QAT accuracy: final once the report is in, nil before.
    public func qatAccuracy(bits: Int) -> Double? {
        report?.results.first { $0.bits == bits }?.qatAccuracy
    }
}
