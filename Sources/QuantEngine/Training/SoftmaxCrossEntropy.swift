/// Softmax cross-entropy over a batch of logits, in Float64 with
/// `SeededMath` so the loss is the same number on every machine.
enum SoftmaxCrossEntropy {
    struct Result {
        /// Σ over rows of log Σ_j e^{z_j} − z_label.
        var lossSum: Double
        /// Rows whose largest logit (the first, on ties) is the label.
        var correct: Int
        /// ∂(mean loss)/∂z = (softmax − one-hot) / rows; empty unless asked.
        var gradient: [Float]
    }

    static func evaluate(logits: [Float], labels: [Int], classes c: Int, gradient: Bool) -> Result {
        let n = labels.count
        precondition(logits.count == n * c)
        var result = Result(lossSum: 0, correct: 0, gradient: gradient ? [Float](repeating: 0, count: n * c) : [])
        var p = [Double](repeating: 0, count: c)
        for r in 0..<n {
            let row = r * c
            var best = 0
            var top = Double(logits[row])
            for j in 1..<c where Double(logits[row + j]) > top {
                top = Double(logits[row + j])
                best = j
            }
            var sum = 0.0
            for j in 0..<c {
                p[j] = SeededMath.exp(Double(logits[row + j]) - top)
                sum += p[j]
            }
            let label = labels[r]
            result.lossSum += top + SeededMath.log(sum) - Double(logits[row + label])
            if best == label { result.correct += 1 }
            if gradient {
                for j in 0..<c {
                    result.gradient[row + j] = Float((p[j] / sum - (j == label ? 1 : 0)) / Double(n))
                }
            }
        }
        return result
    }
}
