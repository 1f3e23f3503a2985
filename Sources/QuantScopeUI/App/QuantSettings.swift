import QuantEngine

/// What the user has chosen to quantize with: a stop of the catalog's `s`
/// cycle and its knobs (bits, symmetry, granularity, group size, channel
/// axis, clip, packing). Every change is one key; `scheme` and
/// `granularity` turn the choice into the engine's values, spelled as the
/// CLI takes them. Which granularities a scheme takes is the catalog's
/// answer (`SchemeCatalog.rule(for:)`), asked here, never decided here.
public struct QuantSettings: Equatable, Sendable {
    /// The `a` cycle: quantscope's three mappings, then the seed's two
    /// (docs/contract.md §10): symmetric → asym → unsigned → full → asym-exact.
    public enum Symmetry: String, CaseIterable, Sendable {
        case symmetric, asymmetric, unsigned, full, asymmetricExact

        var mode: IntegerScheme.Mode {
            switch self {
            case .symmetric: return .symmetric
            case .asymmetric: return .asymmetric
            case .unsigned: return .unsigned
            case .full: return .full
            case .asymmetricExact: return .asymmetricExact
            }
        }

        init(_ mode: IntegerScheme.Mode) {
            switch mode {
            case .symmetric: self = .symmetric
            case .asymmetric: self = .asymmetric
            case .unsigned: self = .unsigned
            case .full: self = .full
            case .asymmetricExact: self = .asymmetricExact
            }
        }
    }

    public enum GranularityKind: String, CaseIterable, Sendable {
        case tensor, channel, group, block
    }

    /// Where `s` / `S` stand in `SchemeCatalog.cycle`.
    public var stop: SchemeCatalog.Stop = .integer
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
    /// How the clip is chosen instead (`K`, docs/contract.md §12); nil: `clip` as set by `[`/`]`.
    public var calibration: Calibration?
    public var packing: PackingLayout = .lowFirst
    /// The `stored:` stop: the views show the open tensor as its file stores
    /// it (docs/contract.md §8). The analysis underneath is the fresh
    /// re-quantization `selectFresh(of:)` chose, which the Error view compares.
    public var showsStored = false

    public init() {}

    public static let groupSizes = [16, 32, 64, 128, 256]
    public static let blockSizes = [32, 64, 128]
    /// Clip fractions `[` and `]` step through.
    public static let clipSteps: [Float] = [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]

    /// The engine scheme.
    public var scheme: Scheme {
        switch stop {
        case .integer:
            return .integer(IntegerScheme(bits: bits, mode: symmetry.mode))
        case .scheme(let scheme):
            return scheme
        }
    }

    /// The catalog's granularity rule for the current scheme.
    public var rule: GranularityRule { SchemeCatalog.rule(for: scheme) }

    /// Whether the scheme fixes its own blocks (MX, GGUF).
    public var granularityIsFixed: Bool { rule.isFixed }

    /// Whether bits and symmetry apply (integer schemes only).
    public var isInteger: Bool { stop == .integer }

    /// Moves to the stop of `scheme` (an integer scheme sets bits and symmetry too).
    public mutating func select(_ scheme: Scheme) {
        guard case .integer(let s) = scheme else {
            stop = .scheme(scheme)
            return
        }
        stop = .integer
        bits = s.bits
        symmetry = Symmetry(s.mode)
    }

    /// The granularity for a tensor of `rank`: the scheme's own blocks where
    /// the catalog fixes them; group:G for nf4/fp4; else the chosen kind.
    public func granularity(rank: Int) -> Granularity {
        switch rule {
        case .fixedGroup: return rule.defaultGranularity
        case .flattenedGroups: return .group(size: levelBlockSize)
        case .any: return granularity(of: granularityKind, rank: rank)
        }
    }

    private func granularity(of kind: GranularityKind, rank: Int) -> Granularity {
        switch kind {
        case .tensor: return .tensor
        case .channel: return .channel(axis: min(channelAxis, max(rank - 1, 0)))
        case .group: return .group(size: groupSize)
        case .block: return .block(rows: blockSize, columns: blockSize)
        }
    }

    /// `int4-asym group:128`, as `quantscope stats` takes it (plus the clip when narrowed).
    public func spelling(rank: Int) -> String {
        var s = "\(scheme) \(granularity(rank: rank))"
        if let calibration { return s + " cal \(calibration.brief)" }
        if clip < 1 { s += " clip \(clip)" }
        return s
    }

    /// Moves to the scheme and granularity closest to what `stored` holds
    /// (`StoredQuantization.freshEquivalent`); false when there is none.
    @discardableResult
    public mutating func selectFresh(of stored: any StoredQuantization) -> Bool {
        guard let fresh = stored.freshEquivalent, let scheme = try? Scheme(parsing: fresh.scheme) else { return false }
        select(scheme)
        clip = 1
        switch fresh.granularity.flatMap({ text in try? Granularity(parsing: text) }) {
        case .group(let size)?:
            if case .flattenedGroups = rule { levelBlockSize = size } else { granularityKind = .group; groupSize = size }
        case .channel?: granularityKind = .channel; channelAxis = 0
        case .block(let rows, _)?: granularityKind = .block; blockSize = rows
        case .tensor?: granularityKind = .tensor
        default: break
        }
        return true
    }

    // MARK: Changes, one per key

    /// `s` / `S`: the next or previous stop of `SchemeCatalog.cycle`.
    public mutating func nextScheme(forward: Bool) {
        let all = SchemeCatalog.cycle
        let i = all.firstIndex(of: stop) ?? 0
        stop = all[(i + (forward ? 1 : all.count - 1)) % all.count]
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

    /// `c`: the next granularity kind the catalog allows for this scheme.
    public mutating func cycleGranularity() -> Bool {
        guard case .any = rule else { return false }
        let all = GranularityKind.allCases
        let i = all.firstIndex(of: granularityKind) ?? 0
        for step in 1..<all.count {
            let kind = all[(i + step) % all.count]
            if rule.allows(granularity(of: kind, rank: 2)) {
                granularityKind = kind
                return true
            }
        }
        return false
    }

    /// `>` / `<`: the group size (or the block tile side), where the catalog lets it change.
    public mutating func changeSize(larger: Bool) -> Bool {
        let rule = self.rule
        func step(_ sizes: [Int], _ current: Int, fallback: Int, _ candidate: (Int) -> Granularity) -> Int? {
            let i = sizes.firstIndex(of: current) ?? fallback
            let j = min(sizes.count - 1, max(0, i + (larger ? 1 : -1)))
            return j != i && rule.allows(candidate(sizes[j])) ? sizes[j] : nil
        }
        switch rule {
        case .fixedGroup:
            return false
        case .flattenedGroups:
            guard let new = step(QuantSettings.groupSizes, levelBlockSize, fallback: 2, { .group(size: $0) }) else { return false }
            levelBlockSize = new
        case .any where granularityKind == .tensor || granularityKind == .channel:
            // No size to change: a hidden group size would change and recompute the same result.
            return false
        case .any where granularityKind == .block:
            guard let new = step(QuantSettings.blockSizes, blockSize, fallback: 2, { .block(rows: $0, columns: $0) }) else { return false }
            blockSize = new
        case .any:
            guard let new = step(QuantSettings.groupSizes, groupSize, fallback: 3, { .group(size: $0) }) else { return false }
            groupSize = new
        }
        return true
    }

    public mutating func cycleAxis(rank: Int) -> Bool {
        guard rank > 1 else { return false }
        channelAxis = (channelAxis + 1) % rank
        if granularityKind != .channel && rule.allows(.channel(axis: 0)) { granularityKind = .channel }
        return true
    }

    /// `[` narrows the kept range, `]` widens it back toward 1; a hand-set
    /// clip turns calibration off (it steps from the clip set before).
    public mutating func changeClip(narrower: Bool) -> Bool {
        if calibration != nil {
            calibration = nil
            return true
        }
        let steps = QuantSettings.clipSteps
        let i = steps.firstIndex { abs($0 - clip) < 1e-6 } ?? 0
        let j = min(steps.count - 1, max(0, i + (narrower ? 1 : -1)))
        defer { clip = steps[j] }
        return j != i
    }

    /// `K`: calibration none → minmax → percentile 99.9 → 99.99 → mse → none.
    public mutating func cycleCalibration() {
        calibration = Calibration.next(after: calibration)
    }

    public mutating func cyclePacking() {
        let all = PackingLayout.allCases
        packing = all[((all.firstIndex(of: packing) ?? 0) + 1) % all.count]
    }
}
