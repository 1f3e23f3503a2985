/// The side tensors a pre-quantized weight is assembled from, read straight
/// from the checkpoint's mapped files (docs/contract.md §8).
///
/// Every read checks the tensor's dtype and that its bytes are in the file,
/// so a lying header gives one clear error instead of a crash.
struct PrequantSource: Sendable {
    /// The checkpoint's path as the user gave it (for messages).
    let path: String
    let files: [ByteStore]
    let infos: [String: TensorInfo]

    func has(_ name: String) -> Bool { infos[name] != nil }

    func info(_ name: String) throws(TensorFileError) -> TensorInfo {
        guard let info = infos[name] else { throw .tensorNotFound(path: path, tensor: name, suggestion: nil) }
        return info
    }

    func filePath(_ info: TensorInfo) -> String { files[info.fileIndex].path }

    func fail(_ info: TensorInfo, _ reason: String) -> TensorFileError {
        .invalidTensor(path: filePath(info), tensor: info.name, reason: reason)
    }

    /// The tensor's bytes, checked against the end of its file.
    func bytes(_ info: TensorInfo) throws(TensorFileError) -> UnsafeRawBufferPointer {
        let store = files[info.fileIndex]
        let bytes = store.bytes
        if bytes.isEmpty && info.byteCount > 0, let failure = store.failure { throw failure }
        guard info.offset >= 0, info.byteCount >= 0, info.offset <= bytes.count - info.byteCount else {
            throw .truncated(path: store.path, what: "tensor '\(info.name)'", needed: info.byteCount,
                             available: max(0, bytes.count - info.offset))
        }
        return UnsafeRawBufferPointer(rebasing: bytes[info.offset..<(info.offset + info.byteCount)])
    }

    /// A float or integer tensor decoded to Float32 (scales, absmax, quant maps).
    func floats(_ info: TensorInfo) throws(TensorFileError) -> [Float] {
        guard info.storage.elementSize != nil, ElementDecoder.canDecode(info.storage) else {
            throw fail(info, "has dtype \(info.dtype), expected a float tensor")
        }
        let raw = try bytes(info)
        var out = [Float](repeating: 0, count: info.elementCount)
        out.withUnsafeMutableBufferPointer { ElementDecoder.decode(info.storage, raw, count: info.elementCount, bigEndian: info.bigEndian, into: $0) }
        return out
    }

    /// A 32-bit integer tensor's words (GPTQ/AWQ `qweight`, `qzeros`; compressed-tensors `weight_packed`).
    func words(_ info: TensorInfo) throws(TensorFileError) -> [UInt32] {
        guard info.storage == .int32 || info.storage == .uint32 else { throw fail(info, "has dtype \(info.dtype), expected I32") }
        let raw = try bytes(info)
        return (0..<info.elementCount).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
    }

    /// An integer tensor's values as Int (`g_idx`, `weight_shape`, zero points).
    func integers(_ info: TensorInfo) throws(TensorFileError) -> [Int] {
        let raw = try bytes(info)
        let n = info.elementCount
        switch info.storage {
        case .int64: return (0..<n).map { Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))) }
        case .int32: return (0..<n).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self))) }
        case .int16: return (0..<n).map { Int(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: Int16.self))) }
        case .int8: return (0..<n).map { Int(Int8(bitPattern: raw[$0])) }
        case .uint8: return (0..<n).map { Int(raw[$0]) }
        default: throw fail(info, "has dtype \(info.dtype), expected an integer tensor")
        }
    }

    /// A byte tensor's bytes (bitsandbytes' packed nibbles, int8 and FP8 codes).
    func byteArray(_ info: TensorInfo) throws(TensorFileError) -> [UInt8] {
        guard info.storage.elementSize == 1 else { throw fail(info, "has dtype \(info.dtype), expected a 1-byte dtype") }
        return Array(try bytes(info))
    }

    /// `count` bytes of `info` starting at byte `start`, labelled, for the Packing view and `blocks`.
    func rawBytes(_ info: TensorInfo, label: String, start: Int, count: Int) -> StoredBytes {
        let all = (try? bytes(info)) ?? UnsafeRawBufferPointer(start: nil, count: 0)
        let lower = min(max(0, start), all.count), upper = min(all.count, lower + count)
        return StoredBytes(label: label, offset: info.fileOffset.map { $0 + lower }, bytes: Array(all[lower..<upper]))
    }

    /// Total stored bytes of the named tensors (for bits per weight).
    func storedBytes(_ names: [String]) -> Int { names.compactMap { infos[$0]?.byteCount }.reduce(0, +) }
}
