/// A tensor that a file stores quantized, described as stored: a GGUF block
/// type, or a logical `<module>.weight` assembled from a pre-quantized
/// checkpoint's side tensors (docs/contract.md §8).
///
/// One protocol so that `blocks`, `export`, `inspect` and the explorer's
/// stored views work the same over every format; each format is one
/// conforming type under `Stored/`.
public protocol StoredQuantization: Sendable {
    /// What is stored, as the explorer's scheme line and `inspect` name it:
    /// `Q4_K`, `gptq int4 g128 asym`, `bnb nf4 b64 double-quant`, `fp8-e4m3 block128x128`.
    var formatName: String { get }
    /// The logical tensor's name (`model.layers.0.mlp.down_proj.weight`).
    var name: String { get }
    /// The logical, unquantized shape ([out, in] for a linear weight).
    var shape: [Int] { get }
    /// How many stored blocks or groups there are.
    var blockCount: Int { get }
    /// Elements in one block (the last may hold fewer).
    var blockElements: Int { get }
    /// Bytes one block occupies in the file when blocks are contiguous
    /// (GGUF's type size); nil when a block's codes and parameters are spread
    /// over several side tensors.
    var blockBytes: Int? { get }
    /// The names of the file's tensors this one is assembled from (empty for GGUF).
    var sideTensors: [String] { get }
    /// How a stored code becomes the value, in the format's own symbols, for
    /// the Mapping view: `w = scale · (q − (zero + 1))`, `w = d·sc·q − dmin·m`.
    var formula: String { get }
    /// Stored bits per weight, counting scales, zeros and other parameters.
    var bitsPerWeight: Double { get }
    /// Bits per stored code (4 for GPTQ int4, NF4 and FP4, 8 for int8 and FP8); nil for GGUF's mixed layouts.
    var codeBits: Int? { get }
    /// Elements sharing one scale along a row (GPTQ/AWQ/compressed-tensors groups, bitsandbytes blocks); nil when not row groups.
    var groupSize: Int? { get }
    /// Whether zero is always code-centred (no stored zero point); nil when the format does not say.
    var symmetric: Bool? { get }
    /// The formula for element `position` of `block` with the block's
    /// numbers filled in, ending in the value: `w = 0.0123·(11 − (7 + 1)) = 0.0369`.
    func worked(_ block: StoredBlock, at position: Int) -> String
    /// Where the code of element `position` of `block` sits in the file's
    /// bytes, in the format's own terms: `qs[37] bits 4…7`, `qweight[5, 10]
    /// bits 12…15`, `weight[388] high nibble` (the Packing view's last link
    /// from value to byte).
    func codeLocation(_ block: StoredBlock, at position: Int) -> String
    /// Which block holds the element at flat row-major `element` of the logical tensor.
    func blockIndex(ofElement element: Int) -> Int

    /// A copy with its parameters (scales, zeros, absmax…) read from the
    /// file: opening a checkpoint reads only shapes, so that listing a
    /// multi-GB model reads none of its parameter tensors (docs/contract.md §8).
    func loaded() throws(TensorFileError) -> Self

    /// Block `index`, read from the file.
    func block(_ index: Int) throws(TensorFileError) -> StoredBlock
    /// The whole tensor decoded to Float32 with the stored parameters.
    func decode() throws(TensorFileError) -> Tensor
}

extension StoredQuantization {
    public var codeBits: Int? { nil }
    public var groupSize: Int? { nil }
    public var symmetric: Bool? { nil }
}

/// Numbers as the worked formulas print them: six significant digits.
func storedNumber(_ value: Float) -> String {
    if value == 0 { return value.sign == .minus ? "-0" : "0" }
    return String(format: "%.6g", Double(value))
}

extension StoredBlock {
    /// The named parameter as a Float (`d`, `scale`…), or nil.
    func number(_ key: String) -> Float? {
        switch params.first(where: { $0.key == key })?.value {
        case .number(let d)?: Float(d)
        case .integer(let i)?: Float(i)
        default: nil
        }
    }

    /// The named integer array's entry `index` (`scales`, `mins`), or nil.
    func integer(_ key: String, _ index: Int) -> Int? {
        guard case .array(let items)? = params.first(where: { $0.key == key })?.value, items.indices.contains(index) else { return nil }
        return items[index].intValue
    }
}
