import QuantEngine

/// View 9: round-to-nearest against the calibration-aware methods on the
/// open layer (docs/contract.md §16.6).
///
/// ```
///  int4 group:128 · W 384×384 · 128+128 tokens of outliers · M: method
///  method        output SQNR on held-out tokens      out dB  weight dB
///  rtn           ██████████████▌                       18.6       18.3
/// ▶ gptq          ████████████████████▏                 24.1       17.9
///  GPTQ step 12/384: column 12 · error 0.031 · update 0.84 · ← →
///  running error ▁▁▂▂▃▃▄▄▅▅▆▆▇▇██  (the proxy for the output error added)
/// ```
enum MethodsView {
    static func render(_ state: AppState, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        func note(_ text: String, _ style: Style) { buffer.put(Format.fit(text, rect.width), x: rect.x, y: rect.y, style: style) }
        if state.loading != nil { return note("decoding the tensor…", theme.muted) }
        guard let tensor = state.tensor else { return note("choose a tensor in the list and press Enter", theme.muted) }
        if tensor.count == 0 { return note(ScreenRenderer.emptyMessage(tensor) + "; the methods need a 2-D weight", theme.muted) }
        guard tensor.shape.count == 2 else {
            return note("the methods quantize a 2-D weight [out, in]; this tensor is \(Format.shape(tensor.shape))", theme.muted)
        }
        guard let m = state.methods else {
            return note(state.methodsComputing ? "running the methods on this layer…" : "the methods have not run (see the status bar)", theme.muted)
        }
        var y = rect.y
        let head = "\(m.setting) · W \(m.rows)×\(m.columns) · \(m.calibrationTokens) calibration + \(m.heldOutTokens) held-out tokens · M: method"
        buffer.put(Format.fit(head, rect.width), x: rect.x, y: y, style: theme.heading)
        y += 1
        if y < rect.maxY {
            buffer.put(Format.fit("X: " + m.activationsLabel, rect.width), x: rect.x, y: y, style: theme.muted)
            y += 1
        }
        y = table(state, m, Rect(x: rect.x, y: y, width: rect.width, height: rect.maxY - y), theme, &buffer)
        guard y + 1 < rect.maxY, let shown = state.methodShown else { return }
        detail(state, shown, m, Rect(x: rect.x, y: y + 1, width: rect.width, height: rect.maxY - y - 1), theme, &buffer)
    }

    /// One row per method: its output SQNR as a bar, the figures beside it.
    static func table(_ state: AppState, _ m: MethodsAnalysis, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) -> Int {
        let nameWidth = 16, figures = 22
        let barWidth = max(4, rect.width - nameWidth - figures)
        var y = rect.y
        guard y < rect.maxY else { return y }
        buffer.put(Format.fit(Format.fit("method", nameWidth) + Format.fit("output SQNR, held-out tokens", barWidth)
                              + Format.fit("out dB", 10, alignRight: true) + Format.fit("weight dB", 12, alignRight: true), rect.width),
                   x: rect.x, y: y, style: theme.muted)
        y += 1
        let finite = m.entries.compactMap { e -> Double? in e.failure == nil && e.output.isFinite && e.output.sqnrDecibels.isFinite ? e.output.sqnrDecibels : nil }
        let top = max(1, finite.max() ?? 1)
        let shownIndex = min(max(state.methodsShown, 0), max(0, m.entries.count - 1))
        for (i, e) in m.entries.enumerated() where y < rect.maxY {
            let marker = i == shownIndex ? "▶ " : "  "
            var x = buffer.put(Format.fit(marker + e.method.name, nameWidth), x: rect.x, y: y, style: i == shownIndex ? theme.accent : theme.text)
            if let failure = e.failure {
                buffer.put(Format.fit(failure, rect.maxX - x), x: x, y: y, style: theme.bad)
                y += 1
                continue
            }
            let db = e.output.isFinite ? e.output.sqnrDecibels : 0
            x = buffer.put(bar(max(0, db.isFinite ? db : top) / top, width: barWidth), x: x, y: y, style: theme.bar)
            let text = Format.fit(dB(e.output), 10, alignRight: true) + Format.fit(dB(e.weight), 12, alignRight: true)
            buffer.put(Format.fit(text, max(0, rect.maxX - x)), x: x, y: y, style: theme.text)
            y += 1
        }
        if !m.complete, y < rect.maxY {
            buffer.put(Format.fit("  … \(WeightMethod.spellings.count - m.entries.count) more running", rect.width), x: rect.x, y: y, style: theme.muted)
            y += 1
        }
        return y
    }

    /// What the shown method did, drawn from its trace.
    static func detail(_ state: AppState, _ e: MethodsAnalysis.Entry, _ m: MethodsAnalysis, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        var y = rect.y
        func line(_ text: String, _ style: Style) {
            guard y < rect.maxY else { return }
            buffer.put(Format.fit(text, rect.width), x: rect.x, y: y, style: style)
            y += 1
        }
        /// A labelled row of bars, `height` cells high.
        func chart(_ label: String, _ values: [Double], height: Int, maximum: Double? = nil, mark: Int? = nil) {
            let h = min(height, rect.maxY - y)
            guard h > 0, !values.isEmpty else { return }
            let labelWidth = 14, width = max(1, rect.width - labelWidth)
            buffer.put(Format.fit(label, labelWidth), x: rect.x, y: y + h - 1, style: theme.muted)
            let squeezed = Bars.sparkline(values, width: min(width, values.count), maximum: maximum)
            let markColumn = mark.map { $0 * squeezed.count / max(1, values.count) }
            Bars.draw(squeezed, in: Rect(x: rect.x + labelWidth, y: y, width: width, height: h), maximum: maximum, into: &buffer) { c in
                c == markColumn ? theme.accent : theme.bar
            }
            y += h
            // A caret under the marked column (the GPTQ step, AWQ's chosen α).
            if let markColumn, y < rect.maxY {
                buffer.put("▲", x: rect.x + labelWidth + markColumn, y: y, style: theme.accent)
                y += 1
            }
        }
        switch e.trace {
        case .gptq(let t)?:
            guard !t.order.isEmpty else { return line("GPTQ quantized no columns", theme.muted) }
            let step = min(max(state.methodsStep, 0), t.order.count - 1)
            line("GPTQ step \(step + 1)/\(t.order.count): column \(t.order[step]) · error \(Format.number(t.columnError[step], digits: 3))"
                 + " · update to later columns \(Format.number(t.updateNorm[step], digits: 3)) · running \(Format.number(t.runningProxyError[step], digits: 3)) · ← →",
                 theme.text)
            let rest = rect.maxY - y
            chart("running error", t.runningProxyError, height: min(6, max(1, (rest - 3) / 2)), mark: step)
            chart("update ‖U‖", t.updateNorm, height: min(4, max(1, rect.maxY - y - 2)), mark: step)
            line("each column's rounding error is spread over the columns not yet quantized", theme.muted)
        case .awq(let t)?:
            line("AWQ: s = mean|x|^α per input channel, α = \(Format.number(t.alpha, digits: 3)) (grid loss \(Format.number(t.loss, digits: 3)) vs α=0 \(Format.number(t.roundToNearestLoss, digits: 3)))",
                 theme.text)
            let rest = rect.maxY - y
            chart("mean|x|", t.activationMagnitude.map(Double.init), height: min(4, max(1, (rest - 1) / 3)))
            chart("scale s", t.scales.map(Double.init), height: min(4, max(1, (rest - 1) / 3)))
            chart("α grid loss", t.gridLosses, height: min(4, max(1, rect.maxY - y - 1)), mark: t.chosenIndex)
        case .smoothQuant(let t)?:
            line("SmoothQuant α = \(Format.number(t.alpha, digits: 3)): x/s, W·s move the activations' range into the weights (W8A8)", theme.text)
            let rest = rect.maxY - y
            let xTop = Double(t.activationMaxBefore.max() ?? 1), wTop = Double(max(t.weightMaxBefore.max() ?? 1, t.weightMaxAfter.max() ?? 1))
            let h = min(3, max(1, rest / 4))
            chart("max|x| before", t.activationMaxBefore.map(Double.init), height: h, maximum: xTop)
            chart("max|x| after", t.activationMaxAfter.map(Double.init), height: h, maximum: xTop)
            chart("max|w| before", t.weightMaxBefore.map(Double.init), height: h, maximum: wTop)
            chart("max|w| after", t.weightMaxAfter.map(Double.init), height: min(h, rect.maxY - y), maximum: wTop)
        case nil:
            if e.failure != nil { return line("\(e.method.name) did not run on this layer", theme.muted) }
            line("\(e.method.name): round to nearest, no calibration data: the baseline (M shows the next method)", theme.muted)
            line("calibration: \(m.calibrationTokens) tokens; output error measured on \(m.heldOutTokens) others", theme.muted)
        }
    }

    /// A horizontal bar filling `fraction` of `width`, in eighths.
    static func bar(_ fraction: Double, width: Int) -> String {
        let eighths = Int((min(max(fraction, 0), 1) * Double(width * 8)).rounded())
        let partial: [String] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        let full = String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
        return full + String(repeating: " ", count: max(0, width - full.count))
    }

    static func dB(_ m: ErrorMetrics) -> String {
        guard m.isFinite else { return "not finite" }
        // Two decimals, as the Error view and `quantscope methods` print SQNR.
        return m.sqnrDecibels.isInfinite ? "exact" : ErrorView.decimals(m.sqnrDecibels, 2)
    }
}
