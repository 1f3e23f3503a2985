/// Which granularities a scheme accepts (docs/contract.md §2, §4): the one
/// answer the CLI's validation, the help texts and the explorer's keys all ask.
public enum GranularityRule: Hashable, Sendable {
    /// `tensor`, `channel[:AXIS]`, `group:G`, `block:RxC`; `tensor` by default.
    case any
    /// `group:G` only, blocks of G over the flattened tensor (bitsandbytes).
    case flattenedGroups(defaultSize: Int)
    /// Exactly `group:size` along the last axis, whose length must be a
    /// multiple of `rowMultiple` (1: any length; GGUF: the block size, as
    /// llama.cpp refuses other rows).
    case fixedGroup(size: Int, rowMultiple: Int)

    /// The granularity used when none is given.
    public var defaultGranularity: Granularity {
        switch self {
        case .any: return .tensor
        case .flattenedGroups(let size): return .group(size: size)
        case .fixedGroup(let size, _): return .group(size: size)
        }
    }

    /// Whether a scheme with this rule takes `granularity` (the shape is checked apart).
    public func allows(_ granularity: Granularity) -> Bool {
        switch self {
        case .any: return true
        case .flattenedGroups:
            if case .group = granularity { return true }
            return false
        case .fixedGroup(let size, _): return granularity == .group(size: size)
        }
    }

    /// Whether the user chooses nothing but (at most) a group size.
    public var isFixed: Bool {
        if case .fixedGroup = self { return true }
        return false
    }

    /// What the rule allows, as help texts and error messages spell it.
    public var spelling: String {
        switch self {
        case .any: return "tensor, channel[:AXIS], group:G or block:RxC (default tensor)"
        case .flattenedGroups(let size): return "group:G, blocks of G over the flattened tensor (default group:\(size))"
        case .fixedGroup(let size, let multiple) where multiple > 1:
            return "group:\(size) only, rows a multiple of \(multiple)"
        case .fixedGroup(let size, _): return "group:\(size) only"
        }
    }
}
