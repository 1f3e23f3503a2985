/// One stored block (GGUF) or group (GPTQ, AWQ, compressed-tensors,
/// bitsandbytes, FP8) of a pre-quantized tensor, as `quantscope blocks`
/// prints it and the explorer's stored views read it (docs/contract.md §8).
public struct StoredBlock: Sendable, Equatable {
    /// The block's position in the tensor's block order (0-based).
    public var index: Int
    /// Absolute byte offset in the file of the block's codes (its first
    /// stored byte for GGUF, whose parameters sit inside the block); nil when
    /// the codes are nowhere in the file as such (a deflated npz member).
    public var offset: Int?
    /// The format's own fields under their usual names, in the order the
    /// format stores them: `d`, `dmin`, `scales`, `mins` (GGUF); `scale`,
    /// `zero` (GPTQ, AWQ, compressed-tensors); `absmax` (bitsandbytes)…
    public var params: [JSONValue.Member]
    /// The stored integers (or FP8 bit patterns) of the block's elements, in
    /// the logical tensor's row-major order.
    public var codes: [Int]
    /// The decoded Float32 values of those elements: what `export` writes.
    public var values: [Float]
    /// Flat row-major indices of the block's elements in the logical tensor.
    public var elements: [Int]

    public init(index: Int, offset: Int?, params: [JSONValue.Member], codes: [Int], values: [Float], elements: [Int]) {
        self.index = index
        self.offset = offset
        self.params = params
        self.codes = codes
        self.values = values
        self.elements = elements
    }
}
