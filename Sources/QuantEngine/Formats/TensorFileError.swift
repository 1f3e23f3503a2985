/// Why a checkpoint file cannot be read. Every case names the file; the CLI
/// prints `description` as its one line and exits with status 1.
public enum TensorFileError: Error, Equatable, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, reason: String)
    case unsupportedFormat(path: String)
    case truncated(path: String, what: String, needed: Int, available: Int)
    case headerTooLarge(path: String, size: UInt64, limit: Int)
    case invalidHeader(path: String, reason: String)
    case invalidTensor(path: String, tensor: String, reason: String)
    /// An archive member (an npz's `w.npy`) that is wrong as a whole.
    case invalidMember(path: String, member: String, reason: String)
    case unknownDType(path: String, tensor: String, dtype: String)
    case duplicateName(path: String, tensor: String)
    case badOffsets(path: String, tensor: String, reason: String)
    case sizeMismatch(path: String, tensor: String, expected: Int, found: Int)
    case tensorNotFound(path: String, tensor: String, suggestion: String?)
    /// A command needs a tensor and the file holds none.
    case noTensors(path: String)
    case unsupportedDType(path: String, tensor: String, dtype: String)
    case refusedToOverwriteInput(path: String)
    case cannotWrite(path: String, reason: String)

    public var path: String {
        switch self {
        case .cannotOpen(let p, _), .unsupportedFormat(let p), .truncated(let p, _, _, _), .headerTooLarge(let p, _, _),
             .invalidHeader(let p, _), .invalidTensor(let p, _, _), .invalidMember(let p, _, _), .unknownDType(let p, _, _),
             .duplicateName(let p, _),
             .badOffsets(let p, _, _), .sizeMismatch(let p, _, _, _), .tensorNotFound(let p, _, _), .noTensors(let p),
             .unsupportedDType(let p, _, _), .refusedToOverwriteInput(let p), .cannotWrite(let p, _):
            return p
        }
    }

    /// One line: the file, then the problem. Every string that may come
    /// from a file or the command line goes through `DisplayText`, so the
    /// line holds no control characters and stays short whatever the file says.
    public var description: String {
        func b(_ text: String) -> String { DisplayText.brief(text) }
        func r(_ text: String) -> String { DisplayText.brief(text, limit: 4 * DisplayText.defaultLimit) }
        switch self {
        case .cannotOpen(let p, let reason): return "\(b(p)): cannot open: \(r(reason))"
        case .unsupportedFormat(let p):
            return "\(b(p)): not a recognised checkpoint (expected .safetensors, a sharded index .json, .gguf, .npy or .npz)"
        case .truncated(let p, let what, let needed, let available):
            return "\(b(p)): truncated: \(r(what)) needs \(needed) bytes but only \(available) remain"
        case .headerTooLarge(let p, let size, let limit): return "\(b(p)): header length \(size) is larger than the \(limit)-byte limit"
        case .invalidHeader(let p, let reason): return "\(b(p)): invalid header: \(r(reason))"
        case .invalidTensor(let p, let t, let reason): return "\(b(p)): tensor '\(b(t))': \(r(reason))"
        case .invalidMember(let p, let m, let reason): return "\(b(p)): member '\(b(m))': \(r(reason))"
        case .unknownDType(let p, let t, let d): return "\(b(p)): tensor '\(b(t))' has unknown dtype '\(b(d))'"
        case .duplicateName(let p, let t): return "\(b(p)): tensor name '\(b(t))' appears twice"
        case .badOffsets(let p, let t, let reason): return "\(b(p)): tensor '\(b(t))': bad data offsets: \(r(reason))"
        case .sizeMismatch(let p, let t, let expected, let found):
            return "\(b(p)): tensor '\(b(t))': shape and dtype need \(expected) bytes but its data span is \(found)"
        case .tensorNotFound(let p, let t, let suggestion):
            return "\(b(p)): no tensor named '\(b(t))'"
                + (suggestion.map { " (did you mean '\(b($0))'? `quantscope inspect` lists them)" } ?? " (`quantscope inspect` lists them)")
        case .noTensors(let p): return "\(b(p)): holds no tensors"
        case .unsupportedDType(let p, let t, let d): return "\(b(p)): tensor '\(b(t))': decoding \(b(d)) is not supported yet"
        case .refusedToOverwriteInput(let p): return "\(b(p)): refusing to write over the input file"
        case .cannotWrite(let p, let reason): return "\(b(p)): cannot write: \(r(reason))"
        }
    }
}
