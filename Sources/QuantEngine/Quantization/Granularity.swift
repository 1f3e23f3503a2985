/// Which elements share one scale (and zero-point): docs/contract.md §2.
///
/// Spelled on the command line as `tensor`, `channel` / `channel:AXIS`,
/// `group:G` and `block:RxC`; `description` gives that spelling back, with
/// the channel axis always written out.
public enum Granularity: Hashable, Sendable, CustomStringConvertible {
    /// One group: the whole tensor.
    case tensor
    /// One group per index along `axis` of the tensor's own shape.
    case channel(axis: Int)
    /// Runs of `size` consecutive elements along the last axis, restarting every row.
    case group(size: Int)
    /// 2-D tiles of `rows` × `columns`; rank > 2 is viewed as [shape[0], rest].
    case block(rows: Int, columns: Int)

    /// Parses the CLI spelling.
    /// A size larger than the tensor is accepted and means the whole row
    /// (group) or the whole view (block); `GroupLayout` clamps it.
    /// - Throws: `QuantizationError.unknownGranularity` for anything else,
    ///   including `group:0`, `block:3` and sizes beyond `Int.max`.
    public init(parsing text: String) throws(QuantizationError) {
        let lower = text.lowercased()
        let parts = lower.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func positive(_ s: String) -> Int? { Int(s).flatMap { $0 >= 1 ? $0 : nil } }
        switch (parts.first, parts.count) {
        case ("tensor", 1), ("per-tensor", 1):
            self = .tensor
        case ("channel", 1), ("per-channel", 1):
            self = .channel(axis: 0)
        case ("channel", 2):
            guard let axis = Int(parts[1]), axis >= 0 else { throw .unknownGranularity(text) }
            self = .channel(axis: axis)
        case ("group", 2):
            guard let size = positive(parts[1]) else { throw .unknownGranularity(text) }
            self = .group(size: size)
        case ("block", 2):
            let dims = parts[1].split(separator: "x", omittingEmptySubsequences: false).map(String.init)
            guard dims.count == 2, let r = positive(dims[0]), let c = positive(dims[1]) else {
                throw .unknownGranularity(text)
            }
            self = .block(rows: r, columns: c)
        default:
            throw .unknownGranularity(text)
        }
    }

    public var description: String {
        switch self {
        case .tensor: return "tensor"
        case .channel(let axis): return "channel:\(axis)"
        case .group(let size): return "group:\(size)"
        case .block(let r, let c): return "block:\(r)x\(c)"
        }
    }
}
