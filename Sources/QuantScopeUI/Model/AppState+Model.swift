import QuantEngine

/// The Model and Sweep views' part of the state machine (docs/contract.md
/// §11): which whole-model job to run, the heat map's keys, and the results
/// streaming in.
extension AppState {
    /// The scan key of the current settings: the setting as `stats` spells it for a 2-D weight.
    /// The scan does not calibrate (docs/contract.md §12: one search per weight
    /// would make it ~40× slower), so the key leaves the calibration out.
    public var scanKey: String {
        var s = settings
        s.calibration = nil
        return s.spelling(rank: 2)
    }

    /// The scan of the current settings so far, if one started.
    public var currentScan: ScanTable? { model.scans[scanKey] }

    /// The job the screen needs now, if any: the open tensor's sweep while the
    /// Sweep view shows, else the current scheme's scan while the Model view
    /// colours by SQNR or the tensor list shows its SQNR column, else the
    /// diff while the Model view colours by it.
    var wantedBackground: BackgroundRequest? {
        if isVisible(.sweep), let t = tensor, t.count > 0, model.sweeps[t.ref]?.complete != true {
            return .sweep(t)
        }
        let modelShown = isVisible(.model)
        if (modelShown && model.coloring == .sqnr) || model.showsErrorColumn {
            let table = currentScan
            if table?.complete != true {
                let missing = model.grid.cells.map(\.tensor).filter { t in
                    table?.has(files[model.file].checkpoint.tensors[t].name) != true
                }
                return .scan(key: scanKey, settings: settings, file: model.file, tensors: missing)
            }
        }
        if modelShown, model.coloring == .diff, against != nil, !model.diffComplete {
            return .diff(file: model.file)
        }
        return nil
    }

    /// Starts the wanted job when it is not the one running (which it then
    /// replaces); a job no longer wanted runs on, its results kept.
    mutating func backgroundIfNeeded() -> [AppCommand] {
        guard let wanted = wantedBackground, wanted.id != background?.id, wanted.id != backgroundStopped else { return [] }
        backgroundStopped = nil
        backgroundGeneration += 1
        background = wanted
        backgroundProgress = 0
        model.begin(wanted)
        return [.background(wanted, generation: backgroundGeneration)]
    }

    /// Esc while a job runs in the Model or Sweep view: stop it, keeping what it measured.
    mutating func stopBackground() -> [AppCommand] {
        guard let running = background else { return [] }
        let done = backgroundProgress.map { " at \(Format.percent($0))" } ?? ""
        message = "\(running.label) stopped\(done); what it measured stays (it resumes when the scheme or view changes)"
        backgroundStopped = running.id
        background = nil
        backgroundProgress = nil
        return [.cancelBackground]
    }

    mutating func markBackgroundComplete() {
        switch background {
        case .scan(let key, _, _, _): model.scans[key]?.complete = true
        case .sweep(let t): model.sweeps[t.ref]?.complete = true
        case .diff: model.diffComplete = true
        case nil: break
        }
    }

    /// Entering the Model or Sweep view: it takes the keys, and the heat map
    /// shows the open tensor's file with the cursor on it.
    mutating func enterModelViews() {
        focus = .view
        if let ref = tensor?.ref {
            if model.file != ref.file {
                model.file = ref.file
                model.scans = [:]
                model.diffResults = [:]
                model.diffSkipped = [:]
                model.diffComplete = false
                model.row = 0
                model.column = 0
            }
            model.select(tensor: ref.tensor)
        }
        if view == .sweep, let t = tensor, t.count == 0 { message = "the tensor is empty: nothing to sweep" }
    }

    /// `v`: SQNR under the current scheme → stored bits per weight → the diff (with `--against`).
    mutating func cycleColoring() {
        let all = ModelViewState.Coloring.allCases.filter { $0 != .diff || against != nil }
        model.coloring = all[((all.firstIndex(of: model.coloring) ?? 0) + 1) % all.count]
    }

    /// Keys of the heat map (view focus): move the cursor, Enter opens the weight under it.
    mutating func handleModelKey(_ key: Key) -> [AppCommand] {
        let page = max(1, Layout(state: self).views.first.map { $0.height - 7 } ?? 8)
        switch key {
        case .left, .character("h"): model.move(rows: 0, columns: -1)
        case .right, .character("l"): model.move(rows: 0, columns: 1)
        case .up, .character("k"): model.move(rows: -1, columns: 0)
        case .down, .character("j"): model.move(rows: 1, columns: 0)
        case .pageUp: model.move(rows: -page, columns: 0)
        case .pageDown: model.move(rows: page, columns: 0)
        case .home, .character("g"): model.move(rows: -model.grid.rows.count, columns: 0)
        case .end, .character("G"): model.move(rows: model.grid.rows.count, columns: 0)
        case .escape: focus = .browser
        case .enter:
            guard let cell = model.selectedCell else { return [] }
            let ref = TensorRef(file: model.file, tensor: cell.tensor)
            view = .histogram
            if let row = browser.rows.firstIndex(where: { $0.ref == ref }) { browser.selected = row }
            return open(ref)
        default: break
        }
        return []
    }
}

extension BackgroundRequest {
    /// What the status bar calls the job.
    var label: String {
        switch self {
        case .scan(let key, _, _, _): return "scan under \(key)"
        case .sweep: return "sweep"
        case .diff: return "diff"
        }
    }
}
