import QuantEngine

/// Compare mode's keys and requests (docs/contract.md §15). `C` pins the
/// current setting as B (or closes the comparison), `X` swaps A and B, and
/// the tour sets both at once with `startCompare(a:b:)`.
extension AppState {
    /// `C`: pins the current setting as B, or closes compare mode.
    mutating func toggleCompare() -> [AppCommand] {
        if compare != nil {
            compare = nil
            message = "compare closed"
            return []
        }
        var pinned = settings
        pinned.showsStored = false
        message = "pinned \(pinned.spelling(rank: rank)) as B — change the settings to compare A with it (X swaps, C closes)"
        return startCompare(b: pinned)
    }

    /// Shows the comparison of the current settings (A) with `b`.
    mutating func startCompare(b: QuantSettings) -> [AppCommand] {
        compare = CompareState(settings: b)
        return requestCompareAnalysis()
    }

    /// `X`: B becomes the live setting and A is pinned in its place.
    mutating func swapCompare() -> [AppCommand] {
        guard var pinned = compare else {
            message = "X swaps the two settings of compare mode; C pins the current one first"
            return []
        }
        let a = settings, aAnalysis = analysis
        settings = pinned.settings
        pinned.settings = a
        pinned.settings.showsStored = false
        // Both results stay valid: they only change sides.
        if let b = pinned.analysis, !computing, aAnalysis != nil {
            pinned.analysis = aAnalysis
            analysis = b
            generation += 1
            comparing = false
            compare = pinned
            return compareIfNeeded()
        }
        compare = pinned
        return requestAnalysis() + requestCompareAnalysis()
    }

    /// Quantizes the open tensor under B (after a new tensor or a new B).
    mutating func requestCompareAnalysis() -> [AppCommand] {
        guard var c = compare, let tensor else { return [] }
        c.generation += 1
        c.computing = true
        c.failure = nil
        c.analysis = nil
        compare = c
        return [.compareAnalyze(AnalysisRequest(tensor: tensor, settings: c.settings), generation: c.generation)]
    }

    /// Whether the Compare screen replaces the views (a tensor view is chosen).
    public var showsCompare: Bool { compare != nil && ViewKind.tensorViews.contains(view) }
}
