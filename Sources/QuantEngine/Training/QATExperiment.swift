/// PTQ against QAT on one small task (docs/contract.md §13): train an MLP
/// in float, quantize its weights after training (PTQ) at each bit width,
/// and separately fine-tune a copy from the float weights with fake
/// quantization in the forward pass (QAT), then compare test accuracy.
///
/// Everything runs on the calling thread in a fixed order, so a seed gives
/// the same report on any machine (see `SeededMath`, `MLP.dense`).
public enum QATExperiment {
    /// Runs the whole experiment.
    /// - Parameters:
    ///   - token: cancels the run between steps.
    ///   - progress: called on this thread at every curve point of every
    ///     phase (float first, then each bit width in `configuration.bits`'s order).
    /// - Throws: `TrainingError.cancelled`.
    public static func run(_ configuration: QATConfiguration, token: WorkToken? = nil,
                           progress: (TrainingProgress) -> Void = { _ in }) throws(TrainingError) -> QATReport {
        let c = configuration
        precondition(c.sizes.count >= 2 && c.sizes[0] == SpiralTask.features && c.bits.allSatisfy { (2...8).contains($0) })
        let task = SpiralTask(seed: c.seed, classes: c.sizes[c.sizes.count - 1], train: c.trainCount, test: c.testCount)
        token?.expect(c.floatSteps + c.bits.count * c.qatSteps)
        var model = MLP(sizes: c.sizes, seed: c.seed)
        let floatCurve = try train(&model, task: task, phase: .float, configuration: c, token: token, progress: progress)
        let floatEvaluation = model.evaluate(inputs: task.testInputs, labels: task.testLabels)
        var results: [QATResult] = []
        for bits in c.bits {
            let quantizer = FakeQuantizer(bits: bits)
            let ptq = model.evaluate(inputs: task.testInputs, labels: task.testLabels,
                                     weights: quantizer.quantizedWeights(of: model))
            var tuned = model
            let curve = try train(&tuned, task: task, phase: .qat(bits: bits), configuration: c,
                                  ptq: ptq, token: token, progress: progress)
            let qat = tuned.evaluate(inputs: task.testInputs, labels: task.testLabels,
                                     weights: quantizer.quantizedWeights(of: tuned))
            results.append(QATResult(bits: bits, ptqAccuracy: ptq.accuracy, ptqLoss: ptq.loss,
                                     qatAccuracy: qat.accuracy, qatLoss: qat.loss, curve: curve))
        }
        return QATReport(configuration: c, task: task.name, floatAccuracy: floatEvaluation.accuracy,
                         floatLoss: floatEvaluation.loss, floatCurve: floatCurve, results: results)
    }

    /// Adam on shuffled mini-batches for one phase. In a QAT phase each step
    /// fake-quantizes the current float weights, computes the gradient with
    /// respect to the quantized ones, and applies it to the float weights
    /// unchanged (the straight-through estimator, `FakeQuantizer`).
    static func train(_ model: inout MLP, task: SpiralTask, phase: TrainingPhase, configuration c: QATConfiguration,
                      ptq: MLP.Evaluation? = nil, token: WorkToken?,
                      progress: (TrainingProgress) -> Void) throws(TrainingError) -> [TrainingPoint] {
        let quantizer: FakeQuantizer?
        let steps: Int, rate: Double, phaseSeed: UInt64
        switch phase {
        case .float:
            (quantizer, steps, rate, phaseSeed) = (nil, c.floatSteps, c.floatLearningRate, 0)
        case .qat(let bits):
            (quantizer, steps, rate, phaseSeed) = (FakeQuantizer(bits: bits), c.qatSteps, c.qatLearningRate, UInt64(bits))
        }
        // Each phase draws its own batches, so a bit width's result does not
        // depend on which others ran before it.
        var rng = SplitMix64(seed: c.seed ^ 0x4241_5443_4845_5300 ^ phaseSeed)
        var order = Array(0..<task.trainLabels.count)
        var cursor = order.count
        var optimizer = AdamOptimizer(for: model)
        let batch = max(1, min(c.batchSize, order.count))
        var inputs = [Float](repeating: 0, count: batch * SpiralTask.features)
        var labels = [Int](repeating: 0, count: batch)
        var curve: [TrainingPoint] = []
        var lossSinceLastPoint = 0.0, stepsSinceLastPoint = 0

        func record(_ step: Int, trainLoss: Double) {
            let weights = quantizer?.quantizedWeights(of: model)
            let test = model.evaluate(inputs: task.testInputs, labels: task.testLabels, weights: weights)
            let point = TrainingPoint(step: step, trainLoss: trainLoss, testLoss: test.loss, testAccuracy: test.accuracy)
            curve.append(point)
            progress(TrainingProgress(phase: phase, point: point, totalSteps: steps, ptq: ptq))
        }

        let initialWeights = quantizer?.quantizedWeights(of: model)
        record(0, trainLoss: model.evaluate(inputs: task.trainInputs, labels: task.trainLabels, weights: initialWeights).loss)
        for step in stride(from: 1, through: steps, by: 1) {
            if token?.isCancelled == true { throw .cancelled }
            for b in 0..<batch {
                if cursor == order.count {
                    shuffle(&order, &rng)
                    cursor = 0
                }
                let index = order[cursor]
                cursor += 1
                inputs[2 * b] = task.trainInputs[2 * index]
                inputs[2 * b + 1] = task.trainInputs[2 * index + 1]
                labels[b] = task.trainLabels[index]
            }
            let result = quantizer?.straightThroughStep(model, inputs: inputs, labels: labels)
                ?? model.lossAndGradients(inputs: inputs, labels: labels)
            let decay = 1 - 0.9 * Double(step - 1) / Double(max(1, steps - 1))
            optimizer.step(&model, result.gradients, learningRate: rate * decay)
            lossSinceLastPoint += result.loss
            stepsSinceLastPoint += 1
            token?.advance(1)
            if step % max(1, c.reportEvery) == 0 || step == steps {
                record(step, trainLoss: lossSinceLastPoint / Double(stepsSinceLastPoint))
                lossSinceLastPoint = 0
                stepsSinceLastPoint = 0
            }
        }
        return curve
    }

    /// Fisher–Yates with the seeded generator.
    private static func shuffle(_ order: inout [Int], _ rng: inout SplitMix64) {
        guard order.count > 1 else { return }
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
    }
}
