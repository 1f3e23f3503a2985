import QuantEngine

/// The PTQ-vs-QAT panel (docs/contract.md §13; the tour's lesson 8): test
/// loss of the float training and of each bit width's QAT fine-tuning,
/// drawn as the worker's progress events arrive, and the float, PTQ and
/// QAT accuracies side by side as bars.
///
/// ```
/// test loss · • float  4 int4  3 int3  2 int2 │ test accuracy
/// 2.02┤         2                                   │ float     ████████ 100.0%
///     │•        2                                   │ int4 PTQ  ████████ 100.0%
///     │ •       3 2                                 │      QAT  ████████ 100.0%
/// 0.01┤  ••••••••4433322222                          │ int3 PTQ  ██████▋   84.0%
///     └──── float ┴─ QAT ─                          │      QAT  ████████ 100.0%
/// QAT − PTQ: int4 +0.0, int3 +16.0, int2 +64.7 points · quantscope qat --seed 7
/// ```
enum QATView {
    static func render(_ state: AppState, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        guard rect.width > 0, rect.height > 0 else { return }
        guard let qat = state.qat else {
            buffer.put(Format.fit("no training run (it starts when this scene opens)", rect.width), x: rect.x, y: rect.y, style: theme.muted)
            return
        }
        let c = qat.configuration
        let barsWidth = min(40, max(30, rect.width * 2 / 5))
        let chartWidth = rect.width - barsWidth - 1
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: max(0, rect.height - 2))
        var legend = "test loss · • float"
        for (i, run) in qat.runs.enumerated() where i < 6 { legend += "  \(run.bits) int\(run.bits)" }
        buffer.put(Format.fit(legend, chartWidth), x: rect.x, y: rect.y, style: theme.muted)
        buffer.put(Format.fit("test accuracy", barsWidth - 1), x: rect.x + chartWidth + 2, y: rect.y, style: theme.muted)
        for row in 0..<rect.height { buffer[rect.x + chartWidth, rect.y + row] = Cell("│", style: theme.border) }

        let floatSteps = Double(c.floatSteps), total = Double(c.floatSteps + max(1, c.qatSteps))
        var series = [LossChart.Series(glyph: "•", style: theme.text,
                                       points: qat.floatCurve.map { (Double($0.step), $0.testLoss) })]
        for (i, run) in qat.runs.enumerated() {
            guard let glyph = "\(run.bits)".unicodeScalars.first else { continue }
            series.append(LossChart.Series(glyph: glyph, style: style(i, theme),
                                           points: run.points.map { (floatSteps + Double($0.step), $0.testLoss) }))
        }
        let chart = LossChart(series: series, xRange: 0...total, sections: [(floatSteps, "QAT")], firstLabel: "float")
        chart.render(Rect(x: body.x, y: body.y, width: chartWidth - 1, height: body.height), theme, &buffer)
        bars(qat, Rect(x: rect.x + chartWidth + 2, y: body.y, width: barsWidth - 1, height: body.height), theme, &buffer)
        buffer.put(Format.fit(status(qat), rect.width), x: rect.x, y: rect.maxY - 1, style: qat.running ? theme.accent : theme.heading)
    }

    /// The colour of the i-th bit width (its glyph is its digit, so colour is never the only signal).
    static func style(_ i: Int, _ theme: Theme) -> Style {
        [theme.good, theme.warning, theme.bad][i % 3]
    }

    /// Float, then each bit width's PTQ and QAT accuracy, as bars of eighth
    /// blocks; a QAT still training shows its latest accuracy and "…".
    private static func bars(_ qat: QATPanelState, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        let barWidth = max(4, rect.width - 17)
        var y = rect.y
        func put(_ label: String, _ value: Double?, final: Bool, _ style: Style) {
            guard y < rect.maxY else { return }
            let x = buffer.put(label.leftAligned(9), x: rect.x, y: y, style: theme.text)
            if let value {
                let bar = horizontalBar(value, width: barWidth)
                let after = buffer.put(bar, x: x, y: y, style: style)
                buffer.put((Format.percent(value) + (final ? " " : "…")).rightAligned(8), x: after, y: y, style: theme.text)
            } else {
                buffer.put("waiting", x: x, y: y, style: theme.muted)
            }
            y += 1
        }
        put("float", qat.floatAccuracy, final: qat.report != nil || !qat.runs.allSatisfy { $0.points.isEmpty }, theme.text)
        for (i, run) in qat.runs.enumerated() {
            put("int\(run.bits) PTQ", run.ptq?.accuracy, final: true, theme.muted)
            let final = qat.qatAccuracy(bits: run.bits)
            put("     QAT", final ?? run.points.last?.testAccuracy, final: final != nil, style(i, theme))
        }
        if y < rect.maxY, rect.height >= qat.runs.count * 2 + 3 {
            y += 1
            buffer.put(Format.fit("PTQ rounds once; QAT trains", rect.width), x: rect.x, y: y, style: theme.muted)
        }
    }

    /// `fraction` of `width` cells in eighth blocks, the rest as a light track.
    static func horizontalBar(_ fraction: Double, width: Int) -> String {
        let eighths = Int(saturating: (min(max(fraction, 0), 1) * Double(width * 8)).rounded(), within: 0...(width * 8))
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        let full = eighths / 8
        return String(repeating: "█", count: full) + partial
            + String(repeating: "░", count: max(0, width - full - (partial.isEmpty ? 0 : 1)))
    }

    /// What the run is doing, or what it found.
    static func status(_ qat: QATPanelState) -> String {
        if let report = qat.report {
            let gains = report.results.map { r in
                "int\(r.bits) \(Format.signedPoints(r.qatAccuracy - r.ptqAccuracy).dropLast(4))"
            }
            return "QAT − PTQ: " + gains.joined(separator: ", ") + " points · quantscope qat --seed \(report.configuration.seed)"
        }
        guard qat.running else { return "stopped" }
        let c = qat.configuration
        switch qat.phase {
        case nil:
            return "starting: \(c.trainCount) spiral points, MLP \(c.sizes.map(String.init).joined(separator: "→"))"
        case .float:
            return "training in float: step \(qat.floatCurve.last?.step ?? 0) of \(c.floatSteps) (Adam)"
        case .qat(let bits):
            let step = qat.runs.first { $0.bits == bits }?.points.last?.step ?? 0
            return "QAT int\(bits): fake-quantized forward, straight-through backward: step \(step) of \(c.qatSteps)"
        }
    }
}

extension Format {
    /// +16.0 pts, −0.3 pts: a difference of two accuracies in percentage points.
    static func signedPoints(_ delta: Double) -> String {
        let v = (delta * 1000).rounded() / 10
        return (v < 0 ? "−" : "+") + String(format: "%.1f", abs(v)) + " pts"
    }
}
