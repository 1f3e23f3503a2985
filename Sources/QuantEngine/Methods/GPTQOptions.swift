/// GPTQ's knobs (Frantar et al. 2022; docs/contract.md §16.3).
public struct GPTQOptions: Hashable, Sendable {
    /// λ = damp · mean(diag H) is added to H's diagonal (the reference code's `percdamp`).
    public var damp: Double
    /// Columns per lazy batch: within a batch updates are applied at once per
    /// column, to the rest of W once per batch (a GEMM).
    public var blockSize: Int
    /// Process columns in order of decreasing diag(H) ("act-order", `desc_act`).
    public var actOrder: Bool

    public init(damp: Double = 0.01, blockSize: Int = 128, actOrder: Bool = false) {
        self.damp = damp
        self.blockSize = max(1, blockSize)
        self.actOrder = actOrder
    }
}
