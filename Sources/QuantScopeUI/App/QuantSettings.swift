import QuantEngine

/// What the user has chosen to quantize with: the scheme family and its
/// knobs (bits, symmetry, granularity, group size, channel axis, clip,
/// packing). Every change is one key; `scheme` and `granularity` turn the
/// choice into the engine's values, spelled as the CLI takes them.
public struct QuantSettings: Equatable, Sendable {
    /// The schemes `s` / `S` step through, in teaching order.
    public enum Family: String, CaseIterable, Sendable {
        case integer = "int"
        case fp8e4m3 = "fp8-e4m3"
        case fp8e5m2 = "fp8-e5m2"
        case fp6e2m3 = "fp6-e2m3"
        case fp4e2m1 = "fp4-e2m1"
        case nf4
        case bnbFP4 = "fp4"
        case mxfp4, mxfp6, mxfp8
        case q4_0, q4_1, q5_0, q8_0
    }

    public enum Symmetry: String, CaseIterable, Sendable {
        case symmetric, asymmetric, unsigned
    }

    public enum GranularityKind: String, CaseIterable, Sendable {
        case tensor, channel, group, block
    }

    public var family: Family = .integer
    public var bits = 8
    public var symmetry: Symmetry = .symmetric
    public var granularityKind: GranularityKind = .tensor
    /// Group size for `group:G`.
    public var groupSize = 128
    /// Block size of nf4/fp4 (bitsandbytes' default 64).
    public var levelBlockSize = 64
    /// Tile side for `block:NxN`.
    public var blockSize = 128
    public var channelAxis = 0
    /// Fraction of each group's range kept, (0, 1].
    public var clip: Float = 1
    public var packing: PackingLayout = .lowFirst

    public init() {}

    public static let groupSizes = [16, 32, 64, 128, 256]
    public static let blockSizes = [32, 64, 128]
    /// Clip fractions `[` and `]` step through.
    public static let clipSteps: [Float] = [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]

    /// The engine scheme.
    public var scheme: Scheme {
        switch family {
        case .integer:
            let mode: IntegerScheme.Mode = symmetry == .symmetric ? .symmetric : (symmetry == .asymmetric ? .asymmetric : .unsigned)
            return .integer(IntegerScheme(bits: bits, mode: mode))
        case .fp8e4m3: return .float(.e4m3fn)
        case .fp8e5m2: return .float(.e5m2)
        case .fp6e2m3: return .float(.e2m3)
        case .fp4e2m1: return .float(.e2m1)
        case .nf4: return .nf4
        case .bnbFP4: return .bnbFP4
        case .mxfp4: return .microscaling(.e2m1)
        case .mxfp6: return .microscaling(.e2m3)
        case .mxfp8: return .microscaling(.e4m3fn)
        case .q4_0: return .gguf(.q4_0)
        case .q4_1: return .gguf(.q4_1)
        case .q5_0: return .gguf(.q5_0)
        case .q8_0: return .gguf(.q8_0)
        }
    }

    /// Whether the scheme fixes its own blocks (nf4/fp4 take only the group size).
    public var granularityIsFixed: Bool {
        switch family {
        case .mxfp4, .mxfp6, .mxfp8, .q4_0, .q4_1, .q5_0, .q8_0: return true
        default: return false
        }
    }

    /// Whether bits and symmetry apply (integer schemes only).
    public var isInteger: Bool { family == .integer }

    /// The granularity for a tensor of `rank`: the scheme's own blocks where
    /// it fixes them; group:G for nf4/fp4; else the chosen kind.
    public func granularity(rank: Int) -> Granularity {
        switch family {
        case .nf4, .bnbFP4: return .group(size: levelBlockSize)
        case _ where granularityIsFixed: return scheme.defaultGranularity
        default: break
        }
        switch granularityKind {
        case .tensor: return .tensor
        case .channel: return .channel(axis: min(channelAxis, max(rank - 1, 0)))
        case .group: return .group(size: groupSize)
        case .block: return .block(rows: blockSize, columns: blockSize)
        }
    }

    /// `int4-asym group:128`, as `quantscope stats` takes it (plus the clip when narrowed).
    public func spelling(rank: Int) -> String {
        var s = "\(scheme) \(granularity(rank: rank))"
        if clip < 1 { s += " clip \(clip)" }
        return s
    }

    // MARK: Changes, one per key

    public mutating func nextScheme(forward: Bool) {
        let all = Family.allCases
        let i = all.firstIndex(of: family) ?? 0
        family = all[(i + (forward ? 1 : all.count - 1)) % all.count]
    }

    /// `+` / `-`: bits for integer schemes (2…8).
    public mutating func changeBits(by delta: Int) -> Bool {
        guard isInteger else { return false }
        let new = min(8, max(2, bits + delta))
        defer { bits = new }
        return new != bits
    }

    public mutating func cycleSymmetry() -> Bool {
        guard isInteger else { return false }
        let all = Symmetry.allCases
        symmetry = all[((all.firstIndex(of: symmetry) ?? 0) + 1) % all.count]
        return true
    }

    public mutating func cycleGranularity() -> Bool {
        guard !granularityIsFixed && family != .nf4 && family != .bnbFP4 else { return false }
        let all = GranularityKind.allCases
        granularityKind = all[((all.firstIndex(of: granularityKind) ?? 0) + 1) % all.count]
        return true
    }

    /// `>` / `<`: the group size (or the block tile side).
    public mutating func changeSize(larger: Bool) -> Bool {
        if family == .nf4 || family == .bnbFP4 {
            let sizes = QuantSettings.groupSizes
            let i = sizes.firstIndex(of: levelBlockSize) ?? 2
            let j = min(sizes.count - 1, max(0, i + (larger ? 1 : -1)))
            defer { levelBlockSize = sizes[j] }
            return j != i
        }
        if granularityIsFixed { return false }
        if granularityKind == .block {
            let sizes = QuantSettings.blockSizes
            let i = sizes.firstIndex(of: blockSize) ?? 2
            let j = min(sizes.count - 1, max(0, i + (larger ? 1 : -1)))
            defer { blockSize = sizes[j] }
            return j != i
        }
        let sizes = QuantSettings.groupSizes
        let i = sizes.firstIndex(of: groupSize) ?? 3
        let j = min(sizes.count - 1, max(0, i + (larger ? 1 : -1)))
        defer { groupSize = sizes[j] }
        return j != i
    }

    public mutating func cycleAxis(rank: Int) -> Bool {
        guard rank > 1 else { return false }
        channelAxis = (channelAxis + 1) % rank
        if granularityKind != .channel && !granularityIsFixed { granularityKind = .channel }
        return true
    }

    /// `[` narrows the kept range, `]` widens it back toward 1.
    public mutating func changeClip(narrower: Bool) -> Bool {
        let steps = QuantSettings.clipSteps
        let i = steps.firstIndex { abs($0 - clip) < 1e-6 } ?? 0
        let j = min(steps.count - 1, max(0, i + (narrower ? 1 : -1)))
        defer { clip = steps[j] }
        return j != i
    }

    public mutating func cyclePacking() {
        let all = PackingLayout.allCases
        packing = all[((all.firstIndex(of: packing) ?? 0) + 1) % all.count]
    }
}
