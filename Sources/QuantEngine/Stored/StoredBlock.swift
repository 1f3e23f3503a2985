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
    /// The file's bytes that hold this block (codes and parameters).
    public var raw: [StoredBytes]
    /// The values the stored grid can represent, sorted ascending: one grid
    /// per sub-block (Q4_K's eight 32-element sub-blocks each have their own
    /// scale and min), a single grid when the block has one set of parameters.
    public var levels: [[Float]]
    /// Elements per entry of `levels` (the block's element count when there is one grid).
    public var subBlockElements: Int

    public init(index: Int, offset: Int?, params: [JSONValue.Member], codes: [Int], values: [Float], elements: [Int],
                raw: [StoredBytes] = [], levels: [[Float]] = [], subBlockElements: Int? = nil) {
        self.index = index
        self.offset = offset
        self.params = params
        self.codes = codes
        self.values = values
        self.elements = elements
        self.raw = raw
        self.levels = levels
        self.subBlockElements = subBlockElements ?? elements.count
    }
}
