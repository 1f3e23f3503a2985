/// A row-major matrix of little-endian 32-bit words in a mapped file, each
/// holding `32 / bits` codes from the low bits up: GPTQ's `qweight` and
/// `qzeros`, AWQ's, compressed-tensors' `weight_packed` (docs/contract.md §8).
struct PackedWords: @unchecked Sendable {
    let info: TensorInfo
    let bytes: UnsafeRawBufferPointer
    let rows: Int
    let columns: Int
    let bits: Int

    init(_ info: TensorInfo, bits: Int, source: PrequantSource) throws(TensorFileError) {
        guard info.storage == .int32 || info.storage == .uint32 else { throw source.fail(info, "has dtype \(info.dtype), expected I32") }
        guard info.shape.count == 2 else { throw source.fail(info, "has shape \(info.shape), expected two dimensions") }
        self.info = info
        self.bytes = try source.bytes(info)
        self.rows = info.shape[0]
        self.columns = info.shape[1]
        self.bits = bits
    }

    var perWord: Int { 32 / bits }
    var mask: UInt32 { bits == 32 ? .max : (1 << UInt32(bits)) - 1 }

    @inline(__always)
    func word(_ row: Int, _ column: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * (row * columns + column), as: UInt32.self))
    }

    /// Code `slot` (0 = lowest bits) of word (row, column).
    @inline(__always)
    func code(_ row: Int, _ column: Int, slot: Int) -> Int {
        Int((word(row, column) >> UInt32(slot * bits)) & mask)
    }

    /// Word (row, column)'s four bytes, labelled `int32 name[row, column]`.
    func raw(_ row: Int, _ column: Int, source: PrequantSource) -> StoredBytes {
        source.rawBytes(info, label: "int32 \(Self.shortName(info.name))[\(row), \(column)]", start: 4 * (row * columns + column), count: 4)
    }

    /// The last component of a tensor name (`qweight` of `model.layers.0.mlp.up_proj.qweight`).
    static func shortName(_ name: String) -> String {
        for suffix in ["weight.nested_absmax", "weight.nested_quant_map", "weight.absmax", "weight.quant_map"] where name.hasSuffix("." + suffix) {
            return suffix
        }
        return name.split(separator: ".").last.map(String.init) ?? name
    }
}
