import QuantEngine

/// The parts around the views: top bar, tabs, summary line, status bar.
enum Chrome {
    static let spinnerFrames: [Unicode.Scalar] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    /// File, tensor, shape, dtype and the scheme as `quantscope stats` spells
    /// it. The scheme and shape always show; the names give way first.
    static func topBar(_ state: AppState, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        buffer.fill(rect, with: Cell(" ", style: theme.topBar))
        var left = ["quantscope"]
        var right = ""
        if let t = state.tensor {
            left += [DisplayText.sanitized(t.fileName), DisplayText.sanitized(t.info.name)]
            right = "\(Format.shape(t.shape)) \(DisplayText.sanitized(t.info.dtype)) │ \(state.schemeSpelling) "
        } else if let ref = state.loading, state.files.indices.contains(ref.file) {
            left += [DisplayText.sanitized(state.files[ref.file].name),
                     "opening \(DisplayText.sanitized(state.files[ref.file].checkpoint.tensors[ref.tensor].name))…"]
        } else {
            left += [DisplayText.sanitized(state.files.map(\.name).joined(separator: ", ")), "choose a tensor (Enter)"]
        }
        let rightWidth = min(CellBuffer.width(of: right), rect.width)
        buffer.put(Format.fit(" " + left.joined(separator: " │ "), rect.width - rightWidth - (rightWidth > 0 ? 1 : 0)),
                   x: rect.x, y: rect.y, style: theme.topBar)
        if rightWidth > 0 {
            buffer.put(Format.fit(right, rightWidth, alignRight: true), x: rect.maxX - rightWidth, y: rect.y, style: theme.topBar)
        }
    }

    static func tabs(_ state: AppState, _ layout: Layout, _ theme: Theme, _ buffer: inout CellBuffer) {
        let companion = state.showsTwoViews ? state.view.companion : nil
        for (view, range) in layout.tabSpans() where range.upperBound <= layout.tabs.maxX {
            let active = view == state.view || view == companion
            let label = Layout.tabLabel(view, width: layout.tabs.width)
            buffer.put(label, x: range.lowerBound, y: layout.tabs.y, style: active ? theme.topBar : theme.muted)
        }
    }

    /// Shape, dtype, parameters, min/max/mean/std and the non-finite count.
    static func summary(_ state: AppState, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        guard let t = state.tensor else {
            buffer.put(Format.fit(" \(state.files.reduce(0) { $0 + $1.checkpoint.tensors.count }) tensors in \(state.files.count) file(s)", rect.width),
                       x: rect.x, y: rect.y, style: theme.muted)
            return
        }
        let s = t.summary
        // No finite value: the figures are placeholders, shown as "—".
        func figure(_ v: Double) -> String { s.hasFiniteValues ? Format.number(v) : "—" }
        let text = " \(Format.shape(t.shape)) \(t.info.dtype) · \(Format.grouped(t.count)) parameters · min \(figure(Double(s.min))) max \(figure(Double(s.max))) mean \(figure(s.mean)) std \(figure(s.std)) · non-finite \(Format.grouped(s.nonfinite))"
        buffer.put(Format.fit(text, rect.width), x: rect.x, y: rect.y, style: s.nonfinite > 0 ? theme.warning : theme.text)
    }

    /// Scheme, last recompute time or progress, and key hints.
    static func statusBar(_ state: AppState, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        buffer.fill(rect, with: Cell(" ", style: theme.statusBar))
        var left: String
        var style = theme.statusBar
        if let prompt = state.valuePrompt {
            left = " value: \(prompt)▏ Enter puts it on the grid · empty Enter or Esc: the cursor's element"
            style = theme.statusBar.with(bold: true)
        } else if let message = state.message, !message.isEmpty {
            left = " " + message
            style = theme.statusBar.with(bold: true)
        } else if state.loading != nil || state.computing || state.comparing || state.matmulComputing || state.methodsComputing {
            let frame = spinnerFrames[state.spinner % spinnerFrames.count]
            let what = state.loading != nil ? "decoding" : (state.computing ? "quantizing"
                : (state.comparing ? "comparing granularities" : (state.matmulComputing ? "running every matmul kernel" : "running the weight methods")))
            left = " \(frame) \(what)"
            if let p = state.progress {
                let cells = 12, filled = Int(saturating: (p * Double(cells)).rounded(), within: 0...cells)
                left += " ▕" + String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled) + "▏ " + Format.percent(p)
            }
        } else if let job = state.background {
            let frame = spinnerFrames[state.spinner % spinnerFrames.count]
            left = " \(frame) \(job.label)"
            if let p = state.backgroundProgress {
                let cells = 12, filled = Int(saturating: (p * Double(cells)).rounded(), within: 0...cells)
                left += " ▕" + String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled) + "▏ " + Format.percent(p)
            }
            if state.view == .model || state.view == .sweep { left += " · Esc stops" }
        } else if let t = state.tensor {
            left = " " + state.schemeSpelling
            if state.showsStored {
                left += " · o: fresh \(state.settings.spelling(rank: t.shape.count))"
            } else if let ms = state.lastRecompute {
                left += " · recomputed in \(Format.number(ms, digits: 3)) ms"
            }
        } else {
            left = " Enter opens a tensor"
        }
        let hints = state.valuePrompt != nil ? "" : state.browser.editingFilter ? "type to filter · Enter keep · Esc clear " : "? help  s scheme  +/- bits  a sym  c granularity  1-9 views  q quit "
        let hintWidth = min(CellBuffer.width(of: hints), max(0, rect.width - CellBuffer.width(of: left) - 2))
        buffer.put(Format.fit(left, rect.width - hintWidth), x: rect.x, y: rect.y, style: style)
        if hintWidth > 10 {
            buffer.put(Format.fit(hints, hintWidth, alignRight: true), x: rect.maxX - hintWidth, y: rect.y, style: theme.statusBar)
        }
    }

    /// The message shown instead of everything when the terminal is too small.
    static func tooSmall(_ state: AppState, _ theme: Theme, _ buffer: inout CellBuffer) {
        let lines = ["quantscope needs \(AppState.minimumWidth)×\(AppState.minimumHeight)",
                     "enlarge the window", "(now \(state.width)×\(state.height); q quits)"]
        let top = max(0, (state.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let text = Format.fit(line, state.width)
            buffer.put(text, x: max(0, (state.width - CellBuffer.width(of: text)) / 2), y: top + i, style: i == 1 ? theme.heading : theme.text)
        }
    }
}
