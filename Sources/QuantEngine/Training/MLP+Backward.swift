/// Backpropagation through the MLP, written out plainly (docs/contract.md §13).
extension MLP {
    /// One batch's forward and backward pass.
    public struct Step: Sendable {
        /// Mean softmax cross-entropy over the batch.
        public var loss: Double
        /// Rows classified right.
        public var correct: Int
        public var gradients: MLPGradients
    }

    /// The batch's mean loss and its gradient with respect to every weight
    /// and bias, computing the forward pass with `weights` in place of the
    /// model's own when given. In QAT those are the fake-quantized weights;
    /// the gradient returned is then ∂L/∂Ŵ, which the straight-through
    /// estimator hands on to the float weights unchanged (`FakeQuantizer`).
    /// - Parameters:
    ///   - inputs: [labels.count, sizes[0]] row-major.
    ///   - labels: one class in 0..<sizes.last per row.
    public func lossAndGradients(inputs: [Float], labels: [Int], weights: [[Float]]? = nil) -> Step {
        let w = weights ?? self.weights
        let n = labels.count
        let activations = forward(inputs, count: n, weights: w)
        let head = SoftmaxCrossEntropy.evaluate(logits: activations[layerCount], labels: labels,
                                                classes: sizes[layerCount], gradient: true)
        var gradients = MLPGradients(weights: w.map { [Float](repeating: 0, count: $0.count) },
                                     biases: biases.map { [Float](repeating: 0, count: $0.count) })
        var upstream = head.gradient
        for l in stride(from: layerCount - 1, through: 0, by: -1) {
            let k = sizes[l], m = sizes[l + 1]
            var downstream = l > 0 ? [Float](repeating: 0, count: n * k) : []
            upstream.withUnsafeBufferPointer { dz in
                activations[l].withUnsafeBufferPointer { a in
                    w[l].withUnsafeBufferPointer { wl in
                        gradients.weights[l].withUnsafeMutableBufferPointer { dw in
                            gradients.biases[l].withUnsafeMutableBufferPointer { db in
                                downstream.withUnsafeMutableBufferPointer { da in
                                    Self.backward(dz, a, wl, dw, db, da, rows: n, inputs: k, outputs: m)
                                }
                            }
                        }
                    }
                }
            }
            upstream = downstream
        }
        return Step(loss: head.lossSum / Double(max(1, n)), correct: head.correct, gradients: gradients)
    }

    /// For one dense layer z = a·Wᵀ + b, given dz = ∂L/∂z:
    /// ∂L/∂W[j, :] = Σ_r dz[r, j]·a[r, :], ∂L/∂b = Σ_r dz[r, :], and, when
    /// `da` is not empty, ∂L/∂a[r, :] = Σ_j dz[r, j]·W[j, :] times the ReLU
    /// derivative of the layer below (1 where a > 0, else 0; a = ReLU(z)
    /// is positive exactly where z is). Every sum runs rows then outputs in
    /// a fixed order, as whole-row adds, so results do not depend on the machine.
    private static func backward(_ dz: UnsafeBufferPointer<Float>, _ a: UnsafeBufferPointer<Float>,
                                 _ w: UnsafeBufferPointer<Float>, _ dw: UnsafeMutableBufferPointer<Float>,
                                 _ db: UnsafeMutableBufferPointer<Float>, _ da: UnsafeMutableBufferPointer<Float>,
                                 rows n: Int, inputs k: Int, outputs m: Int) {
        guard let dz0 = dz.baseAddress, let a0 = a.baseAddress, let w0 = w.baseAddress,
              let dw0 = dw.baseAddress, let db0 = db.baseAddress else { return }
        // An empty array's buffer still has a base address: test the count.
        let da0 = da.count == n * k ? da.baseAddress : nil
        for r in 0..<n {
            let dzr = dz0 + r * m, ar = a0 + r * k
            for j in 0..<m { db0[j] += dzr[j] }
            for j in 0..<m {
                let g = dzr[j]
                if g == 0 { continue }
                let dwj = dw0 + j * k, wj = w0 + j * k
                for i in 0..<k { dwj[i] += g * ar[i] }
                if let da0 {
                    let dar = da0 + r * k
                    for i in 0..<k { dar[i] += g * wj[i] }
                }
            }
            if let da0 {
                let dar = da0 + r * k
                for i in 0..<k where !(ar[i] > 0) { dar[i] = 0 }
            }
        }
    }
}
