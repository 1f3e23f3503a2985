import Foundation

/// An opened checkpoint: its tensors (names, stored types, shapes, where the
/// bytes are), its metadata, and the mapped files that hold the bytes.
///
/// Opening reads headers only; `load` decodes one tensor to Float32 when it
/// is asked for, touching only that tensor's pages.
public final class Checkpoint: @unchecked Sendable {
    public enum Format: String, Sendable {
        case safetensors, gguf, npy, npz
    }

    /// The path the user gave.
    public let path: String
    public let format: Format
    /// File-level metadata (safetensors `__metadata__`, GGUF key/values, …) in file order.
    public let metadata: [JSONValue.Member]
    /// Every tensor, in file order.
    public let tensors: [TensorInfo]
    /// The byte stores tensors point into (`TensorInfo.fileIndex`).
    public let files: [ByteStore]
    /// The logical weights of a pre-quantized checkpoint, by name (docs/contract.md §8).
    let prequantized: [String: any StoredQuantization]
    /// The model's `quantization_config`, when one was found beside the file.
    public let quantizationConfig: QuantizationConfig?

    init(path: String, format: Format, metadata: [JSONValue.Member], tensors: [TensorInfo], files: [ByteStore],
         prequantized: [String: any StoredQuantization] = [:], quantizationConfig: QuantizationConfig? = nil) {
        self.path = path
        self.format = format
        self.metadata = metadata
        self.tensors = tensors
        self.files = files
        self.prequantized = prequantized
        self.quantizationConfig = quantizationConfig
    }

    /// Opens any supported checkpoint, deciding by extension and then by magic bytes.
    /// - Throws: `TensorFileError` naming the file and the problem.
    public static func open(_ path: String) throws(TensorFileError) -> Checkpoint {
        let lower = path.lowercased()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return try PrequantRecognizer.recognize(try ShardedSafetensorsReader.openFolder(path), near: path)
        }
        if lower.hasSuffix(".json") { return try PrequantRecognizer.recognize(try ShardedSafetensorsReader.openIndex(path), near: path) }
        if lower.hasSuffix(".safetensors") {
            if let index = ShardedSafetensorsReader.indexPath(for: path) {
                return try PrequantRecognizer.recognize(try ShardedSafetensorsReader.openIndex(index, displayPath: path), near: path)
            }
            return try PrequantRecognizer.recognize(try SafetensorsReader.open(path), near: path)
        }
        let file = try MappedFile(path: path)
        let head = Array(file.bytes.prefix(9))
        if lower.hasSuffix(".gguf") || head.starts(with: Array("GGUF".utf8)) { return try GGUFReader.open(path, file: file) }
        if lower.hasSuffix(".npz") { return try NPZReader.open(path, file: file) }
        if lower.hasSuffix(".npy") || head.starts(with: NPYHeader.magic) { return try NPYReader.open(path, file: file) }
        if head.starts(with: NPZReader.zipMagic) || head.starts(with: NPZReader.emptyZipMagic) { return try NPZReader.open(path, file: file) }
        // safetensors has no magic: an 8-byte length, then the JSON header.
        if head.count == 9 && head[8] == UInt8(ascii: "{") {
            return try PrequantRecognizer.recognize(try SafetensorsReader.open(path, file: file), near: path)
        }
        throw TensorFileError.unsupportedFormat(path: path)
    }

    /// The tensor called `name`.
    /// - Throws: `TensorFileError.tensorNotFound`, with a close name when there is one.
    public func info(named name: String) throws(TensorFileError) -> TensorInfo {
        if let info = tensors.first(where: { $0.name == name }) { return info }
        let lowered = name.lowercased()
        let suggestion = tensors.first { $0.name.lowercased().contains(lowered) }?.name
            ?? tensors.first { lowered.contains($0.name.lowercased()) }?.name
        throw .tensorNotFound(path: path, tensor: name, suggestion: suggestion)
    }

    /// The file (shard) path that holds `info`'s bytes.
    public func filePath(of info: TensorInfo) -> String { files[info.fileIndex].path }

    /// Decodes a tensor to Float32, row-major.
    /// - Throws: `TensorFileError.unsupportedDType` for types this build cannot decode.
    public func load(_ info: TensorInfo) throws(TensorFileError) -> Tensor {
        if case .prequantized = info.storage {
            guard let stored = prequantized[info.name] else { throw .unsupportedDType(path: path, tensor: info.name, dtype: info.dtype) }
            return try stored.loaded().decode()
        }
        guard info.isDecodable else { throw .unsupportedDType(path: filePath(of: info), tensor: info.name, dtype: info.dtype) }
        let store = files[info.fileIndex]
        let bytes = store.bytes
        if bytes.isEmpty && info.byteCount > 0, let failure = store.failure { throw failure }
        guard info.offset >= 0, info.byteCount >= 0, info.offset <= bytes.count - info.byteCount else {
            throw .truncated(path: store.path, what: "tensor '\(info.name)'", needed: info.byteCount,
                             available: max(0, bytes.count - info.offset))
        }
        let count = info.elementCount
        var values = [Float](repeating: 0, count: count)
        let raw = UnsafeRawBufferPointer(rebasing: bytes[info.offset..<(info.offset + info.byteCount)])
        values.withUnsafeMutableBufferPointer { out in
            ElementDecoder.decode(info.storage, raw, count: count, bigEndian: info.bigEndian, into: out)
        }
        (store as? MappedFile)?.releasePages(info.offset..<(info.offset + info.byteCount))
        if info.order == .columnMajor && info.shape.count > 1 {
            values = Checkpoint.rowMajor(fromColumnMajor: values, shape: info.shape)
        }
        return Tensor(shape: info.shape, values: values)
    }

    /// Decodes the tensor called `name`.
    public func load(named name: String) throws(TensorFileError) -> Tensor {
        try load(try info(named: name))
    }

    /// Reorders Fortran-order values into row-major order.
    static func rowMajor(fromColumnMajor values: [Float], shape: [Int]) -> [Float] {
        var out = [Float](repeating: 0, count: values.count)
        var columnStrides = [Int](repeating: 1, count: shape.count)
        for axis in 1..<shape.count { columnStrides[axis] = columnStrides[axis - 1] * shape[axis - 1] }
        var index = [Int](repeating: 0, count: shape.count)
        var source = 0
        for o in 0..<values.count {
            out[o] = values[source]
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                source += columnStrides[axis]
                if index[axis] < shape[axis] { break }
                source -= columnStrides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return out
    }
}

/// Something that holds a checkpoint's bytes: a mapped file, or a member
/// of an archive inflated into memory.
public protocol ByteStore: AnyObject, Sendable {
    var path: String { get }
    var bytes: UnsafeRawBufferPointer { get }
    /// Why `bytes` came back empty (an archive member that failed to inflate).
    var failure: TensorFileError? { get }
}

extension ByteStore {
    public var failure: TensorFileError? { nil }
}

extension MappedFile: ByteStore {}
