/// Reads GGUF v2 and v3 files (llama.cpp's format): header, metadata
/// key/values of every type, tensor infos, alignment and data offset.
///
/// ```
///  "GGUF" | u32 version | u64 tensor_count | u64 kv_count
///  kv_count × (string key | u32 type | value)         string = u64 length + UTF-8 bytes
///  tensor_count × (string name | u32 n_dims | u64 ne[n_dims] | u32 ggml_type | u64 offset)
///  padding to general.alignment (default 32) | tensor data, each at data_offset + offset
/// ```
/// See https://github.com/ggml-org/ggml/blob/master/docs/gguf.md. Every
/// count, length and offset is checked against the file before use. Shapes
/// are reported row-major (numpy order): ggml's `ne` reversed, `ne` kept too.
/// Pseudo-keys `GGUF.version`, `GGUF.tensor_count`, `GGUF.kv_count` (as
/// gguf-py names them) and `GGUF.data_offset` are added to the metadata.
public enum GGUFReader {
    /// The value types of GGUF metadata.
    enum ValueType: UInt32 {
        case uint8 = 0, int8, uint16, int16, uint32, int32, float32, bool, string, array, uint64, int64, float64

        /// The fewest bytes one value of this type takes.
        var minimumSize: Int {
            switch self {
            case .uint8, .int8, .bool: return 1
            case .uint16, .int16: return 2
            case .uint32, .int32, .float32: return 4
            case .uint64, .int64, .float64, .string: return 8
            case .array: return 12
            }
        }
    }

    /// ggml's limit on tensor rank.
    static let maxDimensions = 4
    static let maxArrayDepth = 8

    /// Opens and validates `path` (already mapped as `file`).
    static func open(_ path: String, file: MappedFile) throws(TensorFileError) -> Checkpoint {
        let (metadata, tensors) = try parse(file.bytes, path: path)
        return Checkpoint(path: path, format: .gguf, metadata: metadata, tensors: tensors, files: [file])
    }

    /// Parses a whole GGUF file's bytes; tensor offsets in the result are absolute.
    public static func parse(_ bytes: UnsafeRawBufferPointer, path: String)
        throws(TensorFileError) -> (metadata: [JSONValue.Member], tensors: [TensorInfo]) {
        var cursor = ByteCursor(bytes, path: path)
        let magic = try cursor.readBytes(4, "the GGUF magic")
        guard Array(magic) == Array("GGUF".utf8) else { throw .invalidHeader(path: path, reason: "bad magic (not a GGUF file)") }
        let version = try cursor.read(UInt32.self, "the GGUF version")
        switch version {
        case 2, 3: break
        case 1: throw .invalidHeader(path: path, reason: "GGUF version 1 is not supported (re-convert with a current llama.cpp)")
        case 0x0200_0000, 0x0300_0000: throw .invalidHeader(path: path, reason: "big-endian GGUF is not supported")
        default: throw .invalidHeader(path: path, reason: "unsupported GGUF version \(version)")
        }
        let tensorCount = try cursor.readCount("the tensor count", minimumItemSize: 24)
        let kvCount = try cursor.readCount("the metadata key count", minimumItemSize: 13)

        var metadata: [JSONValue.Member] = [
            .init("GGUF.version", .integer(Int64(version))),
            .init("GGUF.tensor_count", .integer(Int64(tensorCount))),
            .init("GGUF.kv_count", .integer(Int64(kvCount))),
        ]
        var alignment = 32
        var seenKeys = Set<String>()
        for index in 0..<kvCount {
            let key = try readString(&cursor, "metadata key \(index)")
            guard seenKeys.insert(key).inserted else { throw .invalidHeader(path: path, reason: "metadata key '\(key)' appears twice") }
            let rawType = try cursor.read(UInt32.self, "the type of '\(key)'")
            guard let type = ValueType(rawValue: rawType) else {
                throw .invalidHeader(path: path, reason: "metadata '\(key)' has unknown value type \(rawType)")
            }
            let value = try readValue(&cursor, type: type, key: key, depth: 0)
            if key == "general.alignment" {
                guard type == .uint32, let a = value.intValue, a > 0, a & (a - 1) == 0 else {
                    throw .invalidHeader(path: path, reason: "general.alignment must be a power-of-two uint32, got \(value.serialized(pretty: false))")
                }
                alignment = a
            }
            metadata.append(.init(key, value))
        }

        var tensors: [TensorInfo] = []
        var names = Set<String>()
        var relativeOffsets: [Int] = []
        for index in 0..<tensorCount {
            let name = try readString(&cursor, "the name of tensor \(index)")
            guard names.insert(name).inserted else { throw .duplicateName(path: path, tensor: name) }
            let rank = Int(try cursor.read(UInt32.self, "the rank of '\(name)'"))
            guard rank <= maxDimensions else {
                throw .invalidTensor(path: path, tensor: name, reason: "rank \(rank) is more than ggml's \(maxDimensions)")
            }
            var ne: [Int] = []
            for d in 0..<rank {
                let dim = try cursor.read(UInt64.self, "dimension \(d) of '\(name)'")
                guard dim <= UInt64(Int.max) else { throw .invalidTensor(path: path, tensor: name, reason: "dimension \(dim) is too large") }
                ne.append(Int(dim))
            }
            guard let elements = Tensor.checkedElementCount(ne) else {
                throw .invalidTensor(path: path, tensor: name, reason: "dimensions \(ne) overflow")
            }
            let typeID = try cursor.read(UInt32.self, "the type of '\(name)'")
            guard let type = GGMLType.withID(typeID) else {
                throw .unknownDType(path: path, tensor: name, dtype: "ggml type id \(typeID)")
            }
            let offset = try cursor.read(UInt64.self, "the offset of '\(name)'")
            guard offset <= UInt64(Int.max) else { throw .badOffsets(path: path, tensor: name, reason: "offset \(offset) is too large") }
            guard Int(offset) % alignment == 0 else {
                throw .badOffsets(path: path, tensor: name, reason: "offset \(offset) is not a multiple of the alignment \(alignment)")
            }
            guard (ne.first ?? 1) % type.blockSize == 0 else {
                throw .invalidTensor(path: path, tensor: name, reason: "ne[0] = \(ne.first ?? 1) is not a multiple of the \(type.name) block size \(type.blockSize)")
            }
            guard let byteCount = StoredType.ggml(type).byteCount(elements: elements) else {
                throw .invalidTensor(path: path, tensor: name, reason: "byte size of \(ne) \(type.name) overflows")
            }
            tensors.append(TensorInfo(name: name, dtype: type.name, storage: .ggml(type), shape: ne.reversed(),
                                      offset: 0, byteCount: byteCount, ne: ne))
            relativeOffsets.append(Int(offset))
        }

        // Tensor data starts at the next multiple of the alignment.
        let (padded, overflow) = cursor.offset.addingReportingOverflow(alignment - 1)
        guard !overflow else { throw .invalidHeader(path: path, reason: "data offset overflows") }
        let dataOffset = padded / alignment * alignment
        metadata.append(.init("GGUF.data_offset", .integer(Int64(dataOffset))))
        let dataLength = bytes.count - dataOffset
        for i in tensors.indices {
            let (start, overflow) = dataOffset.addingReportingOverflow(relativeOffsets[i])
            guard !overflow, relativeOffsets[i] <= dataLength - tensors[i].byteCount, dataLength >= 0 else {
                throw .truncated(path: path, what: "tensor '\(tensors[i].name)' at data offset \(relativeOffsets[i])",
                                 needed: tensors[i].byteCount, available: max(0, dataLength - relativeOffsets[i]))
            }
            tensors[i].offset = start
        }
        // No two tensors may share bytes.
        let order = tensors.indices.sorted { tensors[$0].offset < tensors[$1].offset }
        for (a, b) in zip(order, order.dropFirst()) where tensors[a].offset + tensors[a].byteCount > tensors[b].offset {
            throw .badOffsets(path: path, tensor: tensors[b].name, reason: "its data overlaps tensor '\(tensors[a].name)'")
        }
        return (metadata, tensors)
    }

    private static func readString(_ cursor: inout ByteCursor, _ what: String) throws(TensorFileError) -> String {
        let length = try cursor.readCount("the length of \(what)", minimumItemSize: 1)
        let raw = try cursor.readBytes(length, what)
        return String(decoding: raw, as: UTF8.self)
    }

    private static func readValue(_ cursor: inout ByteCursor, type: ValueType, key: String, depth: Int) throws(TensorFileError) -> JSONValue {
        switch type {
        case .uint8: return .integer(Int64(try cursor.read(UInt8.self, "'\(key)'")))
        case .int8: return .integer(Int64(try cursor.read(Int8.self, "'\(key)'")))
        case .uint16: return .integer(Int64(try cursor.read(UInt16.self, "'\(key)'")))
        case .int16: return .integer(Int64(try cursor.read(Int16.self, "'\(key)'")))
        case .uint32: return .integer(Int64(try cursor.read(UInt32.self, "'\(key)'")))
        case .int32: return .integer(Int64(try cursor.read(Int32.self, "'\(key)'")))
        case .float32: return .number(Double(try cursor.readFloat("'\(key)'")))
        case .bool:
            let b = try cursor.read(UInt8.self, "'\(key)'")
            guard b <= 1 else { throw .invalidHeader(path: cursor.path, reason: "metadata '\(key)' holds bool value \(b)") }
            return .bool(b == 1)
        case .string: return .string(try readString(&cursor, "'\(key)'"))
        case .uint64:
            let v = try cursor.read(UInt64.self, "'\(key)'")
            return v <= UInt64(Int64.max) ? .integer(Int64(v)) : .number(Double(v))
        case .int64: return .integer(try cursor.read(Int64.self, "'\(key)'"))
        case .float64: return .number(try cursor.readDouble("'\(key)'"))
        case .array:
            guard depth < maxArrayDepth else { throw .invalidHeader(path: cursor.path, reason: "metadata '\(key)' nests arrays too deeply") }
            let rawType = try cursor.read(UInt32.self, "the element type of '\(key)'")
            guard let elementType = ValueType(rawValue: rawType) else {
                throw .invalidHeader(path: cursor.path, reason: "metadata '\(key)' is an array of unknown type \(rawType)")
            }
            let count = try cursor.readCount("the length of array '\(key)'", minimumItemSize: elementType.minimumSize)
            var items: [JSONValue] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try readValue(&cursor, type: elementType, key: key, depth: depth + 1)) }
            return .array(items)
        }
    }
}
