/// A GGUF tensor of a block type, described as stored: each block's `d`,
/// `dmin`, sub-block scales and mins, codes and raw bytes, read from the
/// mapped file one block at a time (docs/contract.md §8).
///
/// Values come from the same SIMD decoders `export` uses, so `blocks` and
/// `export` agree by construction; the fields come from `GGUFBlockFields`.
public struct GGUFStoredTensor: StoredQuantization {
    public let type: GGMLType
    public let info: TensorInfo
    let checkpoint: Checkpoint

    /// The stored view of `info`, or nil when it is not a block type this build takes apart.
    init?(info: TensorInfo, checkpoint: Checkpoint) {
        guard case .ggml(let type) = info.storage, type.blockSize > 1,
              GGMLBlockDecoding.supports(type), GGUFBlockFields.supports(type) else { return nil }
        self.type = type
        self.info = info
        self.checkpoint = checkpoint
    }

    public var formatName: String { type.name }
    public var name: String { info.name }
    public var shape: [Int] { info.shape }
    public var blockCount: Int { info.elementCount / type.blockSize }
    public var blockElements: Int { type.blockSize }
    public var blockBytes: Int? { type.typeSize }
    public var sideTensors: [String] { [] }
    public var formula: String { GGUFBlockFields.formula(type) ?? "" }
    public var bitsPerWeight: Double { type.bitsPerWeight }

    public func blockIndex(ofElement element: Int) -> Int { element / type.blockSize }

    public func block(_ index: Int) throws(TensorFileError) -> StoredBlock {
        let path = checkpoint.filePath(of: info)
        guard index >= 0, index < blockCount else {
            throw .invalidTensor(path: path, tensor: name, reason: "block \(index) is outside 0..<\(blockCount)")
        }
        let bytes = try blockBytes(index)
        var values = [Float](repeating: 0, count: type.blockSize)
        let fields = bytes.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                GGMLBlockDecoding.kernel(for: type)?(raw.baseAddress!, out.baseAddress!, 1)
            }
            return GGUFBlockFields.unpack(type, raw)
        }
        let first = index * type.blockSize
        let fileOffset = info.fileOffset.map { $0 + index * type.typeSize }
        return StoredBlock(index: index, offset: fileOffset, params: fields.params, codes: fields.codes, values: values,
                           elements: Array(first..<(first + type.blockSize)),
                           raw: fieldBytes(bytes, at: fileOffset),
                           levels: fields.grids.map(\.representable), subBlockElements: fields.subBlockElements)
    }

    /// ggml's C struct for the block: `block_q4_0`, `block_q4_K`, `block_iq4_xs`.
    public var structName: String {
        let lower = type.name.lowercased()
        return "block_" + (lower.hasSuffix("_k") ? lower.dropLast() + "K" : lower)
    }

    public func decode() throws(TensorFileError) -> Tensor { try checkpoint.load(info) }

    /// The block's bytes cut at its C struct's fields, each labelled with its declaration.
    private func fieldBytes(_ bytes: [UInt8], at offset: Int?) -> [StoredBytes] {
        var at = 0
        return GGUFBlockFields.layout(type).map { field in
            defer { at += field.bytes }
            return StoredBytes(label: field.declaration, offset: offset.map { $0 + at }, bytes: Array(bytes[at..<(at + field.bytes)]))
        }
    }

    /// Block `index`'s bytes, checked against the end of the file.
    private func blockBytes(_ index: Int) throws(TensorFileError) -> [UInt8] {
        let store = checkpoint.files[info.fileIndex]
        let bytes = store.bytes
        if bytes.isEmpty, let failure = store.failure { throw failure }
        let start = info.offset + index * type.typeSize
        guard start >= 0, start <= bytes.count - type.typeSize else {
            throw .truncated(path: store.path, what: "block \(index) of tensor '\(name)'", needed: type.typeSize,
                             available: max(0, bytes.count - start))
        }
        return Array(bytes[start..<(start + type.typeSize)])
    }
}
