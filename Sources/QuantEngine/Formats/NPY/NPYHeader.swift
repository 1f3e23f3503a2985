/// The header of a `.npy` array: format version, dtype, memory order, shape,
/// and where the data starts.
///
/// ```
///  [\x93NUMPY][major][minor][u16 LE length (1.0) | u32 LE length (2.0, 3.0)]
///  [{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }   ⋯ spaces ⋯ \n][data…]
/// ```
/// The header is a Python dict literal, latin-1 in versions 1.0 and 2.0 and
/// UTF-8 in 3.0. See https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html.
///
/// Checked as numpy's `read_array_header` checks it, with these differences:
/// - The header may be at most `maxHeaderSize` (1 MiB); numpy refuses more
///   than 10,000 characters unless told to trust the file.
/// - The dict is read by a small strict parser of the literals numpy writes
///   (strings, `True`/`False`/`None`, integers, tuples, lists, dicts), not by
///   Python: no expressions, comments or string prefixes; nesting is capped at
///   `maxDepth`; a repeated key is an error (Python keeps the last).
/// - Python 2 `3L` integers are accepted in versions 1.0 and 2.0, as numpy does.
/// - Shape entries must be non-negative integers (`True` is not one), at
///   most `maxRank` of them, as numpy allows.
/// - Only the element types quantscope decodes are known: `f2 f4 f8 i1 i2 i4
///   i8 u1 u2 u4 u8 b1 ?`, each with an optional `<`, `>`, `|` or `=` prefix
///   (`|`, `=` and none mean native order, little-endian on every platform we
///   build for). Anything else — `<c8`, `<V2` (ml_dtypes bfloat16), `O`,
///   structured lists, sub-arrays — is `TensorFileError.unknownDType`.
/// - Bytes after the data are allowed and ignored, as `np.load` ignores them.
///
/// Text from the file that reaches an error message is shortened and its
/// control characters escaped (`DisplayText`), so the message stays one line.
public struct NPYHeader: Sendable, Equatable {
    /// `\x93NUMPY`.
    public static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
    /// The largest header (the dict text) accepted.
    public static let maxHeaderSize = 1 << 20
    /// The deepest nesting of tuples, lists and dicts the parser follows.
    static let maxDepth = 32
    /// numpy's `NPY_MAXDIMS` (numpy 2; 32 before).
    public static let maxRank = 64

    /// Format version: 1, 2 or 3.
    public var major: UInt8
    /// Always 0.
    public var minor: UInt8
    /// The dtype as the file spells it, e.g. `<f4`.
    public var descr: String
    /// What `descr` stores.
    public var storage: StoredType
    /// True for multi-byte elements stored big-endian (`>`).
    public var bigEndian: Bool
    /// True when the first axis is contiguous (numpy `fortran_order`).
    public var fortranOrder: Bool
    /// Row-major shape, as numpy reports it whatever the memory order.
    public var shape: [Int]
    /// Bytes from the start of the npy data to its first element.
    public var dataOffset: Int
    /// Shape product × item size.
    public var dataLength: Int

    /// `"1.0"`, `"2.0"` or `"3.0"`.
    public var version: String { "\(major).\(minor)" }

    /// How many leading bytes `parse` needs to see the whole header, judging
    /// from what `prefix` already holds (at least 12; never more than the
    /// header cap, past which `parse` throws anyway).
    static func bytesNeeded(toParse prefix: UnsafeRawBufferPointer) -> Int {
        guard prefix.count >= 12, prefix.starts(with: magic) else { return 12 }
        let (lengthSize, declared) = prefix[6] == 1
            ? (2, Int(UInt16(littleEndian: prefix.loadUnaligned(fromByteOffset: 8, as: UInt16.self))))
            : (4, Int(UInt32(littleEndian: prefix.loadUnaligned(fromByteOffset: 8, as: UInt32.self))))
        return 8 + lengthSize + min(declared, maxHeaderSize)
    }

    /// Parses and checks the header at the start of `prefix`.
    /// - Parameters:
    ///   - prefix: the first bytes of the array's data: the whole file, or as
    ///     much of an npz member as has been inflated (`bytesNeeded(toParse:)`).
    ///   - totalLength: the length of the whole array data (file or member),
    ///     which must hold the header and `dataLength` bytes after it.
    ///   - path: the file named in errors.
    ///   - tensor: the tensor's name, for errors about the dtype or the shape.
    /// - Throws: `TensorFileError`: `.truncated` when the header or the data
    ///   runs past `totalLength`, `.headerTooLarge`, `.invalidHeader` for a bad
    ///   magic, version or dict, `.unknownDType`, `.invalidTensor` for a bad
    ///   shape or `fortran_order`, or a byte size that overflows.
    public static func parse(_ prefix: UnsafeRawBufferPointer, totalLength: Int, path: String, tensor: String)
        throws(TensorFileError) -> NPYHeader {
        let available = min(prefix.count, totalLength)
        guard available >= 10 else {
            throw .truncated(path: path, what: "the npy magic and header length", needed: 10, available: available)
        }
        guard prefix.starts(with: magic) else {
            throw .invalidHeader(path: path, reason: "bad magic: an npy array starts with \\x93NUMPY")
        }
        let major = prefix[6], minor = prefix[7]
        guard (1...3).contains(major), minor == 0 else {
            throw .invalidHeader(path: path, reason: "npy format version \(major).\(minor) is not 1.0, 2.0 or 3.0")
        }
        let lengthSize = major == 1 ? 2 : 4
        guard available >= 8 + lengthSize else {
            throw .truncated(path: path, what: "the npy header length", needed: 8 + lengthSize, available: available)
        }
        let declared = major == 1
            ? UInt64(UInt16(littleEndian: prefix.loadUnaligned(fromByteOffset: 8, as: UInt16.self)))
            : UInt64(UInt32(littleEndian: prefix.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        guard declared <= UInt64(maxHeaderSize) else {
            throw .headerTooLarge(path: path, size: declared, limit: maxHeaderSize)
        }
        let headerStart = 8 + lengthSize
        let dataOffset = headerStart + Int(declared)
        guard dataOffset <= available else {
            throw .truncated(path: path, what: "the \(declared)-byte npy header", needed: Int(declared),
                             available: available - headerStart)
        }
        let text = UnsafeRawBufferPointer(rebasing: prefix[headerStart..<dataOffset])
        let scalars: [Unicode.Scalar]
        if major == 3 {
            guard let string = String(validating: text, as: UTF8.self) else {
                throw .invalidHeader(path: path, reason: "the version 3.0 header is not UTF-8")
            }
            scalars = Array(string.unicodeScalars)
        } else {
            scalars = text.map { Unicode.Scalar($0) }  // latin-1
        }

        let dict: [(key: String, value: PythonLiteral)]
        do throws(PythonLiteral.Failure) {
            var parser = PythonLiteral.Parser(scalars, allowLongSuffix: major < 3)
            let literal = try parser.parseDocument()
            guard case .dict(let items) = literal else {
                throw PythonLiteral.Failure("the header is \(literal.kind), not a dict")
            }
            dict = items
        } catch {
            throw .invalidHeader(path: path, reason: error.reason)
        }
        let keys = dict.map(\.key).sorted()
        guard keys == ["descr", "fortran_order", "shape"] else {
            let found = keys.prefix(5).map { "'\(DisplayText.brief($0))'" }.joined(separator: ", ") + (keys.count > 5 ? ", …" : "")
            throw .invalidHeader(path: path, reason: "the header keys are [\(found)], not descr, fortran_order and shape")
        }
        func value(_ key: String) -> PythonLiteral { dict.first { $0.key == key }?.value ?? .none }

        guard case .string(let descr) = value("descr") else {
            throw .unknownDType(path: path, tensor: tensor, dtype: value("descr").brief)
        }
        guard let element = elementType(descr) else { throw .unknownDType(path: path, tensor: tensor, dtype: DisplayText.brief(descr)) }
        let (storage, bigEndian) = element
        guard case .bool(let fortranOrder) = value("fortran_order") else {
            throw .invalidTensor(path: path, tensor: tensor, reason: "fortran_order \(value("fortran_order").brief) is not True or False")
        }
        guard case .tuple(let dims) = value("shape") else {
            throw .invalidTensor(path: path, tensor: tensor, reason: "shape \(value("shape").brief) is not a tuple")
        }
        guard dims.count <= maxRank else {
            throw .invalidTensor(path: path, tensor: tensor, reason: "shape has \(dims.count) dimensions, more than numpy's \(maxRank)")
        }
        var shape: [Int] = []
        // As numpy does, the non-zero dimensions times the item size must not
        // overflow even when another dimension is 0.
        var nonZeroBytes = storage.elementSize ?? 1
        for dim in dims {
            guard case .int(let n) = dim, n >= 0 else {
                throw .invalidTensor(path: path, tensor: tensor,
                                     reason: "shape \(value("shape").brief) is not a tuple of non-negative integers")
            }
            let (product, overflow) = nonZeroBytes.multipliedReportingOverflow(by: max(n, 1))
            guard !overflow else {
                throw .invalidTensor(path: path, tensor: tensor, reason: "byte size of shape \(value("shape").brief) × \(descr) overflows")
            }
            nonZeroBytes = product
            shape.append(n)
        }
        let dataLength = shape.contains(0) ? 0 : nonZeroBytes
        guard dataLength <= totalLength - dataOffset else {
            throw .truncated(path: path, what: "the data of '\(tensor)' (\(descr) \(shape))", needed: dataLength,
                             available: totalLength - dataOffset)
        }
        return NPYHeader(major: major, minor: minor, descr: descr, storage: storage, bigEndian: bigEndian,
                         fortranOrder: fortranOrder, shape: shape, dataOffset: dataOffset, dataLength: dataLength)
    }

    /// The stored type and byte order of a numpy type string, or nil for one
    /// quantscope does not read.
    static func elementType(_ descr: String) -> (StoredType, bigEndian: Bool)? {
        var code = Substring(descr)
        var order: Character = "="
        if let first = code.first, "<>|=".contains(first) {
            order = first
            code = code.dropFirst()
        }
        let storage: StoredType
        switch code {
        case "f2": storage = .float16
        case "f4": storage = .float32
        case "f8": storage = .float64
        case "i1": storage = .int8
        case "i2": storage = .int16
        case "i4": storage = .int32
        case "i8": storage = .int64
        case "u1": storage = .uint8
        case "u2": storage = .uint16
        case "u4": storage = .uint32
        case "u8": storage = .uint64
        case "b1", "?": storage = .bool
        default: return nil
        }
        let nativeBig = 1.bigEndian == 1
        let big = storage.elementSize == 1 ? false : (order == ">" || (order != "<" && nativeBig))
        return (storage, big)
    }
}
