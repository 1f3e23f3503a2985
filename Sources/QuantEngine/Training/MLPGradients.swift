/// The gradient of a batch's mean loss with respect to every parameter of
/// an `MLP`, laid out as the model lays out its parameters.
public struct MLPGradients: Sendable, Equatable {
    /// Per layer, [out, in] row-major.
    public var weights: [[Float]]
    /// Per layer, one value per output.
    public var biases: [[Float]]
}
