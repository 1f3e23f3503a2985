/// What one PTQ-vs-QAT run does (docs/contract.md §13); the defaults are
/// what `quantscope qat` and the explorer's QAT panel run.
public struct QATConfiguration: Sendable, Equatable {
    public var seed: UInt64 = 7
    /// Bit widths to compare, each symmetric intB per output channel.
    public var bits: [Int] = [4, 3, 2]
    /// The MLP's widths: 2 inputs, hidden layers, one output per class.
    public var sizes: [Int] = [2, 64, 64, 3]
    public var trainCount = 900
    public var testCount = 300
    public var batchSize = 32
    /// Adam steps of float training, and of QAT fine-tuning per bit width.
    public var floatSteps = 3000
    public var qatSteps = 1000
    /// Learning rates at step 0; both decay linearly to a tenth by the last step.
    public var floatLearningRate = 0.01
    public var qatLearningRate = 0.002
    /// A curve point (and a progress call) every this many steps.
    public var reportEvery = 50

    public init() {}

    /// The defaults with fewer steps and points, for tests that run a whole
    /// experiment in a debug build through the same code.
    public static func quick(seed: UInt64 = 7, bits: [Int] = [4, 3, 2]) -> QATConfiguration {
        var c = QATConfiguration()
        c.seed = seed
        c.bits = bits
        c.sizes = [2, 32, 32, 3]
        c.trainCount = 600
        c.testCount = 300
        c.floatSteps = 800
        c.qatSteps = 300
        c.reportEvery = 50
        return c
    }
}
