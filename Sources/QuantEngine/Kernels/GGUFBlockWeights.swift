/// Weights in GGUF's Q4_0 or Q8_0 blocks, exactly as llama.cpp stores them,
/// row after row: the weight half of the `q4_0` and `q8_0` kernels.
///
/// ```
///  row n: blocks b = 0 ..< K/32, each covering columns [32b, 32b + 32)
///  q4_0  d:f16 | qs[16]       w = d·(q − 8); byte j = element j (low nibble) | element j+16 (high)
///  q8_0  d:f16 | qs:int8[32]  w = d·q
/// ```
/// Quantized with `GGUFBlockQuantizer` (bit for bit llama.cpp's
/// `quantize_row_q4_0_ref` / `quantize_row_q8_0_ref`), or taken as-is from
/// a GGUF file.
public struct GGUFBlockWeights: Sendable {
    /// `.q4_0` or `.q8_0`.
    public let type: GGUFBlockScheme
    public let rows: Int
    /// K, a multiple of 32.
    public let columns: Int
    /// rows × K/32 blocks of `type.typeSize` bytes.
    public let blocks: [UInt8]

    public var blocksPerRow: Int { columns / 32 }

    /// Quantizes N×K row-major weights into blocks, once, before any multiply.
    /// - Throws: `QuantizationError.rowLengthNotMultiple` when K is not a multiple of 32.
    public init(quantizing w: UnsafeBufferPointer<Float>, rows: Int, columns: Int, type: GGUFBlockScheme) throws(QuantizationError) {
        precondition(type == .q4_0 || type == .q8_0, "GGUFBlockWeights: only q4_0 and q8_0 have kernels")
        precondition(rows >= 0 && columns >= 0 && w.count >= rows * columns)
        guard columns % 32 == 0 else { throw .rowLengthNotMultiple(scheme: type.rawValue, rowLength: columns, block: 32) }
        let count = rows * columns / 32
        var bytes = [UInt8](repeating: 0, count: count * type.typeSize)
        if let wb = w.baseAddress {
            bytes.withUnsafeMutableBytes { out in
                let io = UnsafeSendable(out)
                Parallel.forEach(count: count, minimumChunk: 1024) { range in
                    var input = [Float](repeating: 0, count: 32)
                    var codes = [UInt8](repeating: 0, count: 32)
                    for b in range {
                        for j in 0..<32 {
                            let v = wb[32 * b + j]
                            input[j] = v.isFinite ? v : 0
                        }
                        let dst = UnsafeMutableRawBufferPointer(rebasing: io.value[(b * type.typeSize)..<((b + 1) * type.typeSize)])
                        codes.withUnsafeMutableBufferPointer { GGUFBlockQuantizer.quantizeBlock(input, type, into: dst, codes: $0) }
                    }
                }
            }
        }
        self.type = type
        self.rows = rows
        self.columns = columns
        blocks = bytes
    }

    /// Quantizes an array of N×K weights.
    public init(quantizing w: [Float], rows: Int, columns: Int, type: GGUFBlockScheme) throws(QuantizationError) {
        self = try w.withUnsafeBufferPointer { (b) throws(QuantizationError) -> GGUFBlockWeights in
            try GGUFBlockWeights(quantizing: b, rows: rows, columns: columns, type: type)
        }
    }

    /// Wraps block bytes made elsewhere (a GGUF tensor's data).
    /// - Throws: `QuantizationError.rowLengthNotMultiple` when K is not a multiple of 32.
    public init(blocks: [UInt8], type: GGUFBlockScheme, rows: Int, columns: Int) throws(QuantizationError) {
        precondition(type == .q4_0 || type == .q8_0, "GGUFBlockWeights: only q4_0 and q8_0 have kernels")
        guard columns % 32 == 0 else { throw .rowLengthNotMultiple(scheme: type.rawValue, rowLength: columns, block: 32) }
        precondition(blocks.count == rows * columns / 32 * type.typeSize)
        self.type = type
        self.rows = rows
        self.columns = columns
        self.blocks = blocks
    }

    /// A copy with its own storage (see `Int8ChannelWeights.init(copying:)`).
    init(copying other: GGUFBlockWeights) {
        type = other.type
        rows = other.rows
        columns = other.columns
        blocks = other.blocks.withUnsafeBufferPointer { Array($0) }
    }

    /// The bytes of block `block` of row `row`.
    public func blockBytes(row: Int, block: Int) -> ArraySlice<UInt8> {
        let start = (row * blocksPerRow + block) * type.typeSize
        return blocks[start..<(start + type.typeSize)]
    }

    /// Bytes a multiply reads (scales included: they live in the blocks).
    public var byteCount: Int { blocks.count }
}
