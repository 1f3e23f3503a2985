/// Reads a `.safetensors` file: an 8-byte little-endian header length N,
/// N bytes of JSON, then the tensors' bytes.
///
/// ```
///  [u64 N][{"name":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}, "__metadata__":{…}}][data…]
/// ```
/// Validated the way the `safetensors` library does: N at most 100 MB and
/// inside the file; the header a JSON object with no repeated names; every
/// dtype known; offsets begin ≤ end; each span exactly dtype size × shape
/// product (overflow-checked); spans contiguous from 0 and ending exactly at
/// the end of the file. See https://github.com/huggingface/safetensors.
public enum SafetensorsReader {
    /// The header-size cap of the reference implementation.
    public static let maxHeaderSize = 100_000_000

    /// safetensors dtype spellings and what they store.
    static let dtypes: [String: StoredType] = [
        "F64": .float64, "F32": .float32, "F16": .float16, "BF16": .bfloat16,
        "F8_E4M3": .float8(.e4m3fn), "F8_E5M2": .float8(.e5m2), "F8_E8M0": .float8(.e8m0),
        "I64": .int64, "I32": .int32, "I16": .int16, "I8": .int8,
        "U64": .uint64, "U32": .uint32, "U16": .uint16, "U8": .uint8, "BOOL": .bool,
    ]

    /// Opens and validates `path`.
    public static func open(_ path: String) throws(TensorFileError) -> Checkpoint {
        try open(path, file: try MappedFile(path: path))
    }

    static func open(_ path: String, file: MappedFile) throws(TensorFileError) -> Checkpoint {
        let (metadata, tensors) = try parse(file.bytes, path: path)
        return Checkpoint(path: path, format: .safetensors, metadata: metadata, tensors: tensors, files: [file])
    }

    /// Parses and validates a whole file's bytes; offsets in the result are absolute.
    public static func parse(_ bytes: UnsafeRawBufferPointer, path: String, fileIndex: Int = 0)
        throws(TensorFileError) -> (metadata: [JSONValue.Member], tensors: [TensorInfo]) {
        guard bytes.count >= 8 else {
            throw .truncated(path: path, what: "the header length", needed: 8, available: bytes.count)
        }
        let declared = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(maxHeaderSize) else { throw .headerTooLarge(path: path, size: declared, limit: maxHeaderSize) }
        let headerSize = Int(declared)
        guard headerSize <= bytes.count - 8 else {
            throw .truncated(path: path, what: "the \(headerSize)-byte JSON header", needed: headerSize, available: bytes.count - 8)
        }
        let header = UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + headerSize)])
        let json: JSONValue
        do {
            json = try JSONParser.parse(header)
        } catch .duplicateKey(let name) {
            throw .duplicateName(path: path, tensor: name)
        } catch {
            throw .invalidHeader(path: path, reason: error.description)
        }
        guard case .object(let members) = json else { throw .invalidHeader(path: path, reason: "the header is not a JSON object") }

        let dataStart = 8 + headerSize
        let dataLength = bytes.count - dataStart
        var metadata: [JSONValue.Member] = []
        var entries: [(info: TensorInfo, begin: Int, end: Int)] = []
        for member in members {
            if member.key == "__metadata__" {
                guard case .object(let items) = member.value, items.allSatisfy({ $0.value.stringValue != nil }) else {
                    throw .invalidHeader(path: path, reason: "__metadata__ must map strings to strings")
                }
                metadata = items
                continue
            }
            entries.append(try entry(member, path: path, dataStart: dataStart, fileIndex: fileIndex))
        }
        // The spans must tile the data section exactly, in offset order.
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var expected = 0
        for e in entries {
            if e.begin < expected {
                throw .badOffsets(path: path, tensor: e.info.name, reason: "[\(e.begin), \(e.end)) overlaps the previous tensor, which ends at \(expected)")
            }
            if e.begin > expected {
                throw .badOffsets(path: path, tensor: e.info.name, reason: "starts at \(e.begin), leaving a gap after \(expected)")
            }
            if e.end > dataLength {
                throw .truncated(path: path, what: "tensor '\(e.info.name)' (data [\(e.begin), \(e.end)))",
                                 needed: e.end - e.begin, available: max(0, dataLength - e.begin))
            }
            expected = e.end
        }
        if expected != dataLength {
            throw .invalidHeader(path: path, reason: "the header describes \(expected) data bytes but the file holds \(dataLength)")
        }
        return (metadata, entries.map(\.info))
    }

    private static func entry(_ member: JSONValue.Member, path: String, dataStart: Int, fileIndex: Int)
        throws(TensorFileError) -> (info: TensorInfo, begin: Int, end: Int) {
        let name = member.key
        guard case .object = member.value else { throw .invalidTensor(path: path, tensor: name, reason: "entry is not an object") }
        guard let dtype = member.value["dtype"]?.stringValue else {
            throw .invalidTensor(path: path, tensor: name, reason: "missing \"dtype\"")
        }
        guard let storage = dtypes[dtype] else { throw .unknownDType(path: path, tensor: name, dtype: dtype) }
        guard let shapeItems = member.value["shape"]?.arrayValue else {
            throw .invalidTensor(path: path, tensor: name, reason: "missing \"shape\"")
        }
        var shape: [Int] = []
        for item in shapeItems {
            guard let dim = item.intValue, dim >= 0 else {
                throw .invalidTensor(path: path, tensor: name, reason: "shape \(item.serialized(pretty: false)) is not a non-negative integer")
            }
            shape.append(dim)
        }
        guard let elements = Tensor.checkedElementCount(shape) else {
            throw .invalidTensor(path: path, tensor: name, reason: "shape \(shape) overflows")
        }
        guard let offsets = member.value["data_offsets"]?.arrayValue, offsets.count == 2,
              let begin = offsets[0].intValue, let end = offsets[1].intValue, begin >= 0, end >= 0 else {
            throw .invalidTensor(path: path, tensor: name, reason: "\"data_offsets\" must be two non-negative integers")
        }
        guard begin <= end else { throw .badOffsets(path: path, tensor: name, reason: "end \(end) is before begin \(begin)") }
        guard let needed = storage.byteCount(elements: elements) else {
            throw .invalidTensor(path: path, tensor: name, reason: "byte size of shape \(shape) overflows")
        }
        guard needed == end - begin else { throw .sizeMismatch(path: path, tensor: name, expected: needed, found: end - begin) }
        let (absolute, overflow) = dataStart.addingReportingOverflow(begin)
        guard !overflow else { throw .badOffsets(path: path, tensor: name, reason: "offset \(begin) overflows") }
        let info = TensorInfo(name: name, dtype: dtype, storage: storage, shape: shape, offset: absolute,
                              byteCount: needed, fileIndex: fileIndex)
        return (info, begin, end)
    }
}
