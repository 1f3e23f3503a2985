/// Fake quantization for QAT (docs/contract.md §13): each weight matrix is
/// quantized to symmetric intB per output channel (`intB`, `channel:0`,
/// docs/contract.md §1–§2) with quantscope's own `Quantizer`, and
/// dequantized at once, so the forward pass sees exactly the x̂ that a
/// post-training quantization of the same weights gives.
///
/// The backward pass uses the straight-through estimator: the rounding's
/// derivative (zero almost everywhere) is taken to be 1, so ∂L/∂Ŵ is
/// applied to the float weights unchanged. The variant that zeroes the
/// gradient outside the clip range would change nothing here: with no
/// clipping the range is each row's own max |w|, so no weight is ever
/// outside it.
public struct FakeQuantizer: Sendable {
    public let scheme: IntegerScheme

    /// Symmetric intB, B = 2…8.
    public init(bits: Int) {
        precondition((2...8).contains(bits))
        scheme = IntegerScheme(bits: bits, mode: .symmetric)
    }

    /// x̂ for a [rows, columns] row-major matrix, one scale per row.
    public func quantized(_ weights: [Float], rows: Int, columns: Int) -> [Float] {
        let tensor = Tensor(shape: [rows, columns], values: weights)
        do {
            return try Quantizer.quantize(tensor, scheme: .integer(scheme), granularity: .channel(axis: 0)).dequantized
        } catch {
            preconditionFailure("intB channel:0 takes every [rows, columns] matrix: \(error)")
        }
    }

    /// Every weight matrix of `model`, quantized and dequantized.
    public func quantizedWeights(of model: MLP) -> [[Float]] {
        (0..<model.layerCount).map { l in
            quantized(model.weights[l], rows: model.sizes[l + 1], columns: model.sizes[l])
        }
    }

    /// One QAT step's loss and gradient: the forward pass runs on the
    /// fake-quantized weights Ŵ, and the straight-through estimator returns
    /// ∂L/∂Ŵ as the gradient for the float weights W (∂Ŵ/∂W taken as 1).
    /// Biases are not quantized, so theirs is the plain gradient.
    public func straightThroughStep(_ model: MLP, inputs: [Float], labels: [Int]) -> MLP.Step {
        model.lossAndGradients(inputs: inputs, labels: labels, weights: quantizedWeights(of: model))
    }
}
