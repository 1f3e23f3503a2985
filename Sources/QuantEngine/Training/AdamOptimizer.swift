/// Adam (Kingma & Ba, 2015) as PyTorch's `torch.optim.Adam` computes it:
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂/(√v̂ + ε) with
/// m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). β₁ᵗ and β₂ᵗ are running products, not
/// `pow`, so every machine gets the same bits.
public struct AdamOptimizer: Sendable {
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var epsilon: Float = 1e-8
    private var m: [[Float]]
    private var v: [[Float]]
    private var beta1Power = 1.0
    private var beta2Power = 1.0

    /// Zero moments shaped like `model`'s weights then biases.
    public init(for model: MLP) {
        let shapes = model.weights.map(\.count) + model.biases.map(\.count)
        m = shapes.map { [Float](repeating: 0, count: $0) }
        v = m
    }

    /// Moves `model` one step against `gradients` at `learningRate`.
    public mutating func step(_ model: inout MLP, _ gradients: MLPGradients, learningRate: Double) {
        beta1Power *= beta1
        beta2Power *= beta2
        let b1 = Float(beta1), b2 = Float(beta2)
        let c1 = Float(1 - beta1Power), c2 = Float(1 - beta2Power)
        let lr = Float(learningRate)
        let layers = model.layerCount
        for l in 0..<layers {
            update(&model.weights[l], gradients.weights[l], slot: l, lr, b1, b2, c1, c2)
            update(&model.biases[l], gradients.biases[l], slot: layers + l, lr, b1, b2, c1, c2)
        }
    }

    private mutating func update(_ theta: inout [Float], _ g: [Float], slot: Int,
                                 _ lr: Float, _ b1: Float, _ b2: Float, _ c1: Float, _ c2: Float) {
        let eps = epsilon
        theta.withUnsafeMutableBufferPointer { theta in
            g.withUnsafeBufferPointer { g in
                m[slot].withUnsafeMutableBufferPointer { m in
                    v[slot].withUnsafeMutableBufferPointer { v in
                        for i in 0..<theta.count {
                            m[i] = b1 * m[i] + (1 - b1) * g[i]
                            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                            theta[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }
}
