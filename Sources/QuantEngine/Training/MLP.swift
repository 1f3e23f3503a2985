/// A small multilayer perceptron for the PTQ-vs-QAT demo (docs/contract.md §13):
/// dense layers with ReLU between them and softmax cross-entropy on the
/// last, in Float32.
///
/// Layer l maps `sizes[l]` inputs to `sizes[l+1]` outputs with weights
/// stored [out, in] row-major, as PyTorch's `nn.Linear` stores them, so
/// quantizing "per output channel" is `channel:0` (docs/contract.md §2).
public struct MLP: Sendable, Equatable {
    /// Widths from input to output, e.g. [2, 64, 64, 3].
    public let sizes: [Int]
    /// Per layer, [sizes[l+1], sizes[l]] row-major.
    public var weights: [[Float]]
    /// Per layer, sizes[l+1] values; biases stay in float in every
    /// quantized model here, as they do in real formats.
    public var biases: [[Float]]

    public var layerCount: Int { sizes.count - 1 }

    /// He-uniform weights, U(−√(6/fan_in), √(6/fan_in)) (PyTorch's
    /// `kaiming_uniform_` for ReLU), and zero biases, from `seed`.
    public init(sizes: [Int], seed: UInt64) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 > 0 })
        self.sizes = sizes
        var rng = SplitMix64(seed: seed ^ 0x4D4C_505F_494E_4954)
        var weights: [[Float]] = []
        for l in 0..<(sizes.count - 1) {
            let limit = (6.0 / Double(sizes[l])).squareRoot()
            weights.append((0..<(sizes[l] * sizes[l + 1])).map { _ in
                Float((2 * SeededMath.unit(&rng) - 1) * limit)
            })
        }
        self.weights = weights
        biases = (1..<sizes.count).map { [Float](repeating: 0, count: sizes[$0]) }
    }

    /// A model with the given parameters (the tests' fixtures).
    public init(sizes: [Int], weights: [[Float]], biases: [[Float]]) {
        precondition(sizes.count >= 2 && weights.count == sizes.count - 1 && biases.count == weights.count)
        for l in 0..<weights.count {
            precondition(weights[l].count == sizes[l] * sizes[l + 1] && biases[l].count == sizes[l + 1])
        }
        self.sizes = sizes
        self.weights = weights
        self.biases = biases
    }

    /// Loss and accuracy over a whole split.
    public struct Evaluation: Sendable, Equatable {
        /// Mean softmax cross-entropy (natural log).
        public var loss: Double
        /// Fraction of points whose largest logit is their class (first on ties).
        public var accuracy: Double

        public init(loss: Double, accuracy: Double) {
            self.loss = loss
            self.accuracy = accuracy
        }
    }

    /// Evaluates `inputs` ([count, sizes[0]]) against `labels`, with
    /// `weights` standing in for the model's own when given (the
    /// quantized copy, for PTQ and QAT).
    public func evaluate(inputs: [Float], labels: [Int], weights: [[Float]]? = nil) -> Evaluation {
        let activations = forward(inputs, count: labels.count, weights: weights ?? self.weights)
        let result = SoftmaxCrossEntropy.evaluate(logits: activations[layerCount], labels: labels,
                                                  classes: sizes[layerCount], gradient: false)
        let n = Double(max(1, labels.count))
        return Evaluation(loss: result.lossSum / n, accuracy: Double(result.correct) / n)
    }

    /// Every layer's output for a batch: [0] the inputs, then each hidden
    /// layer after ReLU, last the logits.
    func forward(_ inputs: [Float], count n: Int, weights: [[Float]]) -> [[Float]] {
        precondition(inputs.count == n * sizes[0])
        var activations = [inputs]
        activations.reserveCapacity(sizes.count)
        for l in 0..<layerCount {
            let k = sizes[l], m = sizes[l + 1]
            let transposed = Self.transpose(weights[l], rows: m, columns: k)
            var z = [Float](repeating: 0, count: n * m)
            activations[l].withUnsafeBufferPointer { a in
                transposed.withUnsafeBufferPointer { wt in
                    biases[l].withUnsafeBufferPointer { b in
                        z.withUnsafeMutableBufferPointer { z in
                            Self.dense(a, wt, b, z, rows: n, inputs: k, outputs: m, relu: l < layerCount - 1)
                        }
                    }
                }
            }
            activations.append(z)
        }
        return activations
    }

    /// z = a·Wᵀ + b (then ReLU), row by row. Each output row accumulates
    /// over the inputs in a fixed order as whole-row adds (a·W[i, :]), so
    /// the loop vectorises across outputs without reordering any sum: the
    /// result is the same on every machine.
    private static func dense(_ a: UnsafeBufferPointer<Float>, _ wt: UnsafeBufferPointer<Float>,
                              _ b: UnsafeBufferPointer<Float>, _ z: UnsafeMutableBufferPointer<Float>,
                              rows n: Int, inputs k: Int, outputs m: Int, relu: Bool) {
        guard let a0 = a.baseAddress, let w0 = wt.baseAddress, let b0 = b.baseAddress,
              let z0 = z.baseAddress else { return }
        for r in 0..<n {
            let zr = z0 + r * m
            zr.update(from: b0, count: m)
            for i in 0..<k {
                let v = a0[r * k + i]
                if v == 0 { continue }
                let wr = w0 + i * m
                for j in 0..<m { zr[j] += v * wr[j] }
            }
            if relu {
                for j in 0..<m where !(zr[j] > 0) { zr[j] = 0 }
            }
        }
    }

    /// [rows, columns] → [columns, rows].
    static func transpose(_ w: [Float], rows: Int, columns: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: w.count) { out, count in
            w.withUnsafeBufferPointer { w in
                for r in 0..<rows {
                    for c in 0..<columns { out[c * rows + r] = w[r * columns + c] }
                }
            }
            count = w.count
        }
    }
}
