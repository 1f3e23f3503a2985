extension Checkpoint {
    /// How the file stores `info` when it stores it quantized: a GGUF block
    /// type, or a logical `<module>.weight` assembled from a pre-quantized
    /// checkpoint's side tensors; nil for plain float and integer tensors
    /// (docs/contract.md §8).
    ///
    /// `blocks`, `inspect` and the explorer's `stored:` scheme all start here.
    public func storedQuantization(for info: TensorInfo) -> (any StoredQuantization)? {
        if format == .gguf { return GGUFStoredTensor(info: info, checkpoint: self) }
        guard case .prequantized = info.storage else { return nil }
        return prequantized[info.name]
    }
}
