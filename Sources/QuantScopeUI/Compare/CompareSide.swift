import QuantEngine

/// One side of the Compare screen: its setting, its analysis (when done),
/// and how it is drawn — a mark glyph paired with a colour, so the two grids
/// read apart without colour too (docs/contract.md §15).
struct CompareSide {
    var name: String
    var mark: Unicode.Scalar
    var style: Style
    var spelling: String
    var analysis: Analysis?
    var failure: String?
    var computing: Bool

    /// A (the live setting) and B (the pinned one) of a state in compare mode.
    static func sides(_ state: AppState, _ theme: Theme) -> [CompareSide] {
        let rank = state.tensor?.shape.count ?? 2
        var a = CompareSide(name: "A", mark: "┴", style: theme.level, spelling: state.settings.spelling(rank: rank),
                            analysis: state.analysis, failure: state.analysisFailure, computing: state.computing)
        if a.analysis?.quantized.codes.count != state.tensor?.count { a.analysis = nil }
        guard let c = state.compare else { return [a] }
        var b = CompareSide(name: "B", mark: "┬", style: theme.accent, spelling: c.settings.spelling(rank: rank),
                            analysis: c.analysis, failure: c.failure, computing: c.computing)
        if b.analysis?.quantized.codes.count != state.tensor?.count { b.analysis = nil }
        return [a, b]
    }

    /// What the side says while it has no result.
    var pending: String {
        if let failure { return "no result: \(failure)" }
        return computing ? "quantizing…" : "no result yet"
    }

    /// Levels of the group holding `index`.
    func levels(at index: Int) -> [Float] {
        guard let q = analysis?.quantized else { return [] }
        return q.levels(group: q.group(ofElement: index))
    }

    /// Bits each weight costs stored (codes, scales, zero-points), as `scan` counts them.
    var bitsPerWeight: Double? {
        guard let q = analysis?.quantized else { return nil }
        return StorageCost(scheme: q.scheme, elements: q.codes.count, groups: q.scales.count).bitsPerWeight
    }
}
