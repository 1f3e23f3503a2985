import Foundation

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
    /// Bits of one element's code (Q4_K 4, Q6_K 6, Q8_0 8…).
    public var codeBits: Int? {
        switch type.id {
        case GGMLType.q2_K.id: 2
        case GGMLType.q3_K.id: 3
        case GGMLType.q5_0.id, GGMLType.q5_1.id, GGMLType.q5_K.id: 5
        case GGMLType.q6_K.id: 6
        case GGMLType.q8_0.id, GGMLType.q8_K.id: 8
        default: 4
        }
    }

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

    /// GGUF blocks carry their parameters: nothing to read ahead.
    public func loaded() throws(TensorFileError) -> GGUFStoredTensor { self }

    /// How many of the file's blocks are byte-for-byte the same as `fresh`
    /// (blocks of the same type, e.g. a re-quantization of the decoded values).
    public func identicalBlocks(_ fresh: [UInt8]) throws(TensorFileError) -> Int {
        let store = checkpoint.files[info.fileIndex]
        let bytes = store.bytes
        guard info.offset >= 0, info.offset <= bytes.count - info.byteCount, fresh.count == info.byteCount else {
            throw .truncated(path: store.path, what: "tensor '\(name)'", needed: info.byteCount, available: max(0, bytes.count - info.offset))
        }
        let size = type.typeSize
        return fresh.withUnsafeBytes { ours in
            (0..<blockCount).reduce(0) { count, b in
                memcmp(ours.baseAddress! + b * size, bytes.baseAddress! + info.offset + b * size, size) == 0 ? count + 1 : count
            }
        }
    }

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

extension GGUFStoredTensor {
    public func worked(_ block: StoredBlock, at position: Int) -> String {
        guard block.codes.indices.contains(position) else { return formula }
        let q = block.codes[position], v = storedNumber(block.values[position])
        let n = storedNumber, sub = position / max(1, block.subBlockElements)
        let d = block.number("d") ?? 0, dmin = block.number("dmin") ?? 0
        switch type.id {
        case GGMLType.q4_0.id: return "w = d·(q − 8) = \(n(d))·(\(q) − 8) = \(v)"
        case GGMLType.q5_0.id: return "w = d·(q − 16) = \(n(d))·(\(q) − 16) = \(v)"
        case GGMLType.q4_1.id, GGMLType.q5_1.id: return "w = d·q + m = \(n(d))·\(q) + \(n(block.number("m") ?? 0)) = \(v)"
        case GGMLType.q8_0.id, GGMLType.q8_K.id: return "w = d·q = \(n(d))·\(q) = \(v)"
        case GGMLType.q2_K.id, GGMLType.q4_K.id, GGMLType.q5_K.id:
            let sc = block.integer("scales", sub) ?? 0, m = block.integer("mins", sub) ?? 0
            return "w = (d·scale)·q − dmin·min = (\(n(d))·\(sc))·\(q) − \(n(dmin))·\(m) = \(v)"
        case GGMLType.q3_K.id:
            let sc = block.integer("scales", sub) ?? 0
            return "w = (d·(scale − 32))·(q − 4) = (\(n(d))·(\(sc) − 32))·(\(q) − 4) = \(v)"
        case GGMLType.q6_K.id:
            let sc = block.integer("scales", sub) ?? 0
            return "w = (d·scale)·(q − 32) = (\(n(d))·\(sc))·(\(q) − 32) = \(v)"
        case GGMLType.iq4_nl.id:
            return "w = d·kvalues[q] = \(n(d))·\(GGUFBlockFields.iq4Levels[q & 15]) = \(v)"
        case GGMLType.iq4_xs.id:
            let sc = block.integer("scales", sub) ?? 0
            return "w = (d·(scale − 32))·kvalues[q] = (\(n(d))·(\(sc) − 32))·\(GGUFBlockFields.iq4Levels[q & 15]) = \(v)"
        case GGMLType.mxfp4.id:
            let e = Int(block.number("e") ?? 0)
            return "w = 2^(e − 127)·e2m1[q] = 2^\(e - 127)·\(n(Float(GGUFBlockFields.mxfp4Levels[q & 15]) / 2)) = \(v)"
        default: return formula
        }
    }
}

extension GGUFStoredTensor {
    public func codeLocation(_ block: StoredBlock, at j: Int) -> String {
        func nibble(_ field: String, _ byte: Int, high: Bool) -> String { "\(field)[\(byte)] bits \(high ? "4…7" : "0…3")" }
        func bits(_ field: String, _ byte: Int, _ shift: Int, _ width: Int) -> String {
            width == 1 ? "\(field)[\(byte)] bit \(shift)" : "\(field)[\(byte)] bits \(shift)…\(shift + width - 1)"
        }
        switch type.id {
        case GGMLType.q4_0.id, GGMLType.q4_1.id, GGMLType.iq4_nl.id, GGMLType.mxfp4.id:
            return nibble("qs", j % 16, high: j >= 16)
        case GGMLType.q5_0.id, GGMLType.q5_1.id:
            return nibble("qs", j % 16, high: j >= 16) + " + qh bit \(j)"
        case GGMLType.q8_0.id, GGMLType.q8_K.id:
            return "qs[\(j)] (one int8)"
        case GGMLType.q2_K.id:
            let (h, t, l) = (j / 128, (j % 128) / 32, j % 32)
            return bits("qs", 32 * h + l, 2 * t, 2)
        case GGMLType.q3_K.id:
            let (h, t, l) = (j / 128, (j % 128) / 32, j % 32)
            return bits("qs", 32 * h + l, 2 * t, 2) + " + " + bits("hmask", l, 4 * h + t, 1)
        case GGMLType.q4_K.id, GGMLType.q5_K.id:
            let (c, t, l) = (j / 64, (j % 64) / 32, j % 32)
            let low = nibble("qs", 32 * c + l, high: t == 1)
            return type.id == GGMLType.q5_K.id ? low + " + " + bits("qh", l, j / 32, 1) : low
        case GGMLType.q6_K.id:
            let (h, g, l) = (j / 128, (j % 128) / 32, j % 32)
            return nibble("ql", 64 * h + 32 * (g % 2) + l, high: g >= 2) + " + " + bits("qh", 32 * h + l, 2 * g, 2)
        case GGMLType.iq4_xs.id:
            let (s, i) = (j / 32, j % 32)
            return nibble("qs", 16 * s + i % 16, high: i >= 16)
        default:
            return ""
        }
    }
}
