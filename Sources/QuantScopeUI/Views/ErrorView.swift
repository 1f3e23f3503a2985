import Foundation
import QuantEngine

/// View 3: how large the quantization error is, and where it comes from.
///
/// ```
///      granularity           MSE  SQNR dB    max |e|    cosine  RMSE/S vs 1/√12
///  now int4 channel:0  9.854e-04    10.56  1.157e-01  0.956580   0.271    0.94×
///  ── int4 at each granularity (▶ = the current setting) ──────────────────────
///      int4 tensor     2.316e-03     6.84  1.184e-01  0.891613   0.203    0.70×
///   ▶  int4 channel:0  9.854e-04    10.56  1.157e-01  0.956580   0.271    0.94×
///      int4 group:128  9.854e-04    10.56  1.157e-01  0.956580   0.271    0.94×
///  MSE of each row (output channel), one shared scale: a full bar is 3.07e-03
///  int4 tensor    ▅▇▆ ▆▆▇▆█▆▇▇▆▆▅▅▇▇▅▆▆▆▇▇▆▇▆▆▇▇▇▆▆█▆▆▆▇▅▆▆▆▅█▅▅▇  max 3.07e-03
///  int4 channel:0 ▄▁▁ ▂▄▁▆▁▄▁▂▁▃▁▂▆▆▃▁▂▂▁▂▂▅▂▁▂▂▅▄▃█▂▁▅▁▂▃▄▄▂▃▁▄▄  max 2.93e-03
///  rows 0…47 →                    ▲ cursor row 17
///  error x̂ − x of 4,608 values · L: log scale       │ worst rows now
///                     ▁▂▅▇▆█▇▆▃▃▁                   │   row        MSE  share
///  ▁▁▁ ▁▁▁▁▁▃▃▅▅▅▇████████████████████▆▅▄▂▂▂▁▁▁▁▁▁▁▁│ ▶  17  2.112e-03   4.5%
///  −0.1157                 0                 +0.1157│    30  2.001e-03   4.2%
/// ```
/// The top row holds the current quantization's metrics as soon as it is
/// known; the comparisons arrive from a second pass ("comparing…" until
/// then). Every number is right-aligned with fixed significant digits, and
/// the current setting is marked with ▶ as well as its style.
enum ErrorView {
    static func render(_ c: ViewContext, _ box: Rect, _ buffer: inout CellBuffer) {
        if let page = StoredPages.page(c) { return StoredPages.error(c, page, box, &buffer) }
        let rect = box.inset(left: 1, right: 1)
        guard rect.width >= 30, rect.height >= 3 else {
            let m = c.quantized.metrics
            buffer.put(Format.fit(m.isFinite ? "MSE \(sig(m.mse))" : "MSE not finite", rect.width), x: rect.x, y: rect.y, style: c.theme.text)
            return
        }
        var area = rect
        // A quantized file's tensor: x is the stored values, decoded; say so and what the file spends.
        if let stored = c.tensor.stored, area.height >= 12 {
            let note = "x = the file's \(stored.formatName) values (\(String(format: "%.3f", stored.bitsPerWeight)) bits/weight), decoded; o shows them as stored"
            buffer.put(Format.fit(note, area.width), x: area.x, y: area.y, style: c.theme.accent)
            area = area.inset(top: 1)
        }
        // A calibration asked of a scheme that takes no clip: say so first.
        if c.state.settings.calibration != nil, let refusal = c.analysis.calibrationRefusal, area.height >= 12 {
            buffer.put(Format.fit(refusal, area.width), x: area.x, y: area.y, style: c.theme.warning)
            area = area.inset(top: 1)
        }
        let series = area.height >= 30 ? max(2, chartSeries(c, room: 3)?.count ?? 2) : 2
        let plan = Plan(height: area.height, comparisonSlots: 4, series: series)
        let (tableArea, rest) = area.splitTop(plan.tableRows)
        drawTable(c, tableArea, &buffer)
        area = rest
        if drawCalibration(c, area, &buffer) { return }
        guard plan.chartRows > 0 else { return }
        let (chartArea, bottom) = area.splitTop(plan.chartRows)
        drawRowChart(c, chartArea.inset(bottom: plan.chartGap), barHeight: plan.barHeight, &buffer)
        guard bottom.height >= 3 else { return }
        let listWidth = min(max(26, bottom.width / 3), 34)
        let (histogramArea, listArea) = bottom.splitLeft(bottom.width - listWidth - 1)
        drawErrorHistogram(c, histogramArea, &buffer)
        for y in listArea.y..<listArea.maxY { buffer[listArea.x, y] = Cell("│", style: c.theme.border) }
        drawWorstRows(c, listArea.inset(left: 2), &buffer)
    }

    /// How the view's height is shared: the table first, then the per-row
    /// chart, then the histogram beside the worst rows.
    struct Plan: Equatable {
        var tableRows: Int
        var chartRows: Int
        var chartGap: Int
        var barHeight: Int

        init(height: Int, comparisonSlots: Int, series: Int = 2) {
            let table = 3 + comparisonSlots + (height >= 24 ? 2 : 0)
            tableRows = min(height, table)
            let left = height - tableRows
            barHeight = height >= 30 ? 3 : (height >= 24 ? 2 : 1)
            chartGap = height >= 24 ? 1 : 0
            // A title, the series, the axis row.
            let chart = 2 + series * barHeight + chartGap
            chartRows = left >= chart + 5 ? chart : 0
        }
    }

    // MARK: Calibration

    /// With a calibration on (`K`), the room under the table shows the
    /// error-versus-clip curve with each method's choice marked
    /// (docs/contract.md §12); true when it took the room.
    static func drawCalibration(_ c: ViewContext, _ rect: Rect, _ buffer: inout CellBuffer) -> Bool {
        guard c.state.settings.calibration != nil, rect.height >= 2, let result = c.analysis.calibration else { return false }
        let marks = result.marks.map { m in
            "\(m.symbol) \(m.method.brief) \(m.mse.map { sig($0, 3) } ?? "—")"
        }
        let title = "MSE vs clip, log–log: " + marks.joined(separator: " · ") + " · \(result.curve.points.count) clips measured"
        buffer.put(Format.fit(title, rect.width), x: rect.x, y: rect.y, style: c.theme.heading)
        ClipCurve.draw(result, in: rect.inset(top: 1), theme: c.theme, into: &buffer)
        return true
    }

    // MARK: Per-row chart

    /// One series of the per-row chart: a label and each row's MSE.
    struct Series {
        var label: String
        var rowError: [Double]
    }

    /// Tensor vs channel from the comparisons, plus the current setting when
    /// it is neither and there is room for a third.
    static func chartSeries(_ c: ViewContext, room: Int) -> [Series]? {
        guard let comparisons = c.analysis.comparisons else { return nil }
        var series: [Series] = []
        for suffix in [" tensor", " channel:0"] {
            if let match = comparisons.first(where: { $0.label.hasSuffix(suffix) }) {
                series.append(Series(label: match.label, rowError: match.rowError))
            }
        }
        let current = "\(c.quantized.scheme) \(c.quantized.granularity)"
        if series.count < room && !series.contains(where: { $0.label == current }) {
            series.append(Series(label: current, rowError: c.analysis.rowError))
        }
        return series
    }

    static func drawRowChart(_ c: ViewContext, _ rect: Rect, barHeight: Int, _ buffer: inout CellBuffer) {
        let theme = c.theme
        let rows = c.tensor.rows
        let room = (rect.height - 2) / max(barHeight, 1)
        guard let series = chartSeries(c, room: room) else {
            buffer.put(Format.fit("error per row: comparing tensor / channel…", rect.width), x: rect.x, y: rect.y, style: theme.muted)
            return
        }
        guard rows > 1, !series.isEmpty else {
            buffer.put(Format.fit("error per row: a 1-D tensor is a single row (channel)", rect.width), x: rect.x, y: rect.y, style: theme.muted)
            return
        }
        // Rows whose x̂ holds ±Inf/NaN have an infinite MSE (drawn full height):
        // the scale comes from the finite ones.
        let top = series.reduce(0.0) { max($0, $1.rowError.lazy.filter(\.isFinite).max() ?? 0) }
        let notFinite = series.map { $0.rowError.filter { !$0.isFinite }.count }.max() ?? 0
        let title = notFinite > 0
            ? "MSE of each row, one shared scale: a full bar is \(sci(top, 2)) · \(Format.grouped(notFinite)) rows not finite"
            : "MSE of each row (output channel), one shared scale: a full bar is \(sci(top, 2))"
        buffer.put(Format.fit(title, rect.width), x: rect.x, y: rect.y, style: theme.heading)
        let labelWidth = min(series.map { CellBuffer.width(of: $0.label) }.max() ?? 0, 20) + 1
        let rightWidth = 14
        let plotWidth = max(1, rect.width - labelWidth - rightWidth)
        // Few rows: each row gets a whole number of columns; many: the worst of each column's rows.
        let perRow = rows <= plotWidth ? min(plotWidth / rows, 4) : 0
        let used = perRow > 0 ? rows * perRow : plotWidth
        func columnValues(_ v: [Double]) -> [Double] {
            perRow > 0 ? v.flatMap { Array(repeating: $0, count: perRow) } : Bars.sparkline(v, width: plotWidth)
        }
        for (i, s) in series.enumerated() where 1 + (i + 1) * barHeight <= rect.height - 1 {
            let y = rect.y + 1 + i * barHeight
            buffer.put(Format.fit(s.label, labelWidth - 1), x: rect.x, y: y + barHeight - 1, style: theme.text)
            let bars = Rect(x: rect.x + labelWidth, y: y, width: used, height: barHeight)
            Bars.draw(columnValues(s.rowError), in: bars, maximum: top, into: &buffer) { _ in theme.bar }
            let worst = s.rowError.max() ?? 0
            buffer.put(Format.fit(worst.isFinite ? "max " + sci(worst, 2) : "not finite", rightWidth - 1, alignRight: true),
                       x: rect.x + labelWidth + plotWidth + 1, y: y + barHeight - 1, style: theme.muted)
        }
        // The axis: which rows run left to right, and the cursor's row.
        let axisY = rect.y + 1 + series.count * barHeight
        guard axisY < rect.maxY else { return }
        let x0 = rect.x + labelWidth
        let cursorRow = min(c.rowColumn.row, rows - 1)
        let cursorColumn = perRow > 0 ? cursorRow * perRow + perRow / 2 : min(used - 1, cursorRow * used / rows)
        buffer.put(Format.fit("rows 0…\(rows - 1) →", labelWidth - 1), x: rect.x, y: axisY, style: theme.muted)
        let note = "cursor row \(cursorRow)", noteWidth = CellBuffer.width(of: note)
        let markX = x0 + cursorColumn
        if markX + 2 + noteWidth <= rect.maxX {
            buffer.put(note, x: markX + 2, y: axisY, style: theme.muted)
        } else {
            buffer.put(note, x: markX - 1 - noteWidth, y: axisY, style: theme.muted)
        }
        buffer[markX, axisY] = Cell("▲", style: theme.selected)
    }

    // MARK: Error histogram

    static func drawErrorHistogram(_ c: ViewContext, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme
        guard rect.height >= 3, rect.width >= 12 else { return }
        guard let h = c.analysis.errorHistogram else {
            buffer.put(Format.fit("error x̂ − x: computing…", rect.width), x: rect.x, y: rect.y, style: theme.muted)
            return
        }
        let metrics = c.quantized.metrics
        let finite = metrics.finite - metrics.nonfiniteOutput
        var parts = ["error x̂ − x"]
        if !metrics.isFinite { parts.append("\(Format.grouped(metrics.nonfiniteOutput)) ±inf/NaN left out") }
        if c.quantized.scales.count == 1, case .integer = c.quantized.scheme {
            parts.append("S/2 = " + sig(Double(c.quantized.scales[0]) / 2))
        }
        parts.append(c.state.logScale ? "log scale (L)" : "L: log scale")
        let values = " of \(Format.grouped(finite)) values"
        let title = CellBuffer.width(of: parts.joined(separator: " · ") + values) <= rect.width
            ? ([parts[0] + values] + parts.dropFirst()).joined(separator: " · ") : parts.joined(separator: " · ")
        buffer.put(Format.fit(title, rect.width), x: rect.x, y: rect.y, style: theme.heading)
        let bars = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 2)
        Bars.draw(h.rebinned(rect.width), in: bars, log: c.state.logScale, into: &buffer) { _ in theme.bar }
        // Symmetric axis: −m, 0, +m, and ±S/2 (the rounding bound) when there is one scale.
        let y = rect.maxY - 1
        let m = Double(h.upper)
        let left = "−" + sig(m), right = "+" + sig(m)
        buffer.put(left, x: rect.x, y: y, style: theme.muted)
        buffer.put(right, x: rect.maxX - CellBuffer.width(of: right), y: y, style: theme.muted)
        func column(_ v: Double) -> Int { Int(saturating: ((v + m) / (2 * m) * Double(rect.width)).rounded(.down), within: 0...(rect.width - 1)) }
        let zero = column(0)
        let occupied = CellBuffer.width(of: left) + 1..<(rect.width - CellBuffer.width(of: right) - 1)
        if occupied.contains(zero) { buffer.put("0", x: rect.x + zero, y: y, style: theme.muted) }
        if c.quantized.scales.count == 1, case .integer = c.quantized.scheme {
            let half = Double(c.quantized.scales[0]) / 2
            let marks = [column(-half), column(half)]
            if half < m, marks.allSatisfy({ occupied.contains($0) && abs($0 - zero) > 1 }) {
                for col in marks { buffer[rect.x + col, y] = Cell("┴", style: theme.level) }
                let note = "┴ ±S/2"
                if zero + 2 + CellBuffer.width(of: note) < marks[1] { buffer.put(note, x: rect.x + zero + 2, y: y, style: theme.muted) }
            }
        }
    }

    // MARK: Worst rows

    /// The `count` rows with the largest MSE (ties: the lower row first),
    /// with each one's share of the summed row error.
    /// Rows whose MSE is not finite come first, with no share (nil).
    static func worstRows(_ rowError: [Double], count: Int) -> [(row: Int, mse: Double, share: Double?)] {
        let total = rowError.lazy.filter(\.isFinite).reduce(0, +)
        // A running top-k: most rows fail the first comparison, so a frame
        // stays linear in the row count (embeddings have 100k+ rows).
        var top: [Int] = []
        let k = max(count, 0)
        for (r, e) in rowError.enumerated() where k > 0 {
            if top.count == k, let last = top.last, rowError[last] >= e { continue }
            let at = top.firstIndex { rowError[$0] < e } ?? top.count
            top.insert(r, at: at)
            if top.count > k { top.removeLast() }
        }
        return top.map { r in
            let e = rowError[r]
            return (r, e, e.isFinite ? (total > 0 ? e / total : 0) : nil)
        }
    }

    static func drawWorstRows(_ c: ViewContext, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme
        guard rect.height >= 3, rect.width >= 20 else { return }
        let digits = max(3, String(max(c.tensor.rows - 1, 0)).count)
        func line(_ marker: String, _ row: String, _ mse: String, _ share: String) -> String {
            marker + Format.fit(row, digits, alignRight: true) + Format.fit(mse, 11, alignRight: true) + Format.fit(share, 7, alignRight: true)
        }
        buffer.put(Format.fit(c.analysis.rowError.isEmpty ? "worst rows: computing…" : "worst rows now", rect.width),
                   x: rect.x, y: rect.y, style: c.analysis.rowError.isEmpty ? theme.muted : theme.heading)
        buffer.put(Format.fit(line("  ", "row", "MSE", "share"), rect.width), x: rect.x, y: rect.y + 1, style: theme.muted)
        let cursorRow = c.rowColumn.row
        for (i, w) in worstRows(c.analysis.rowError, count: rect.height - 2).enumerated() {
            let here = w.row == cursorRow
            let text = line(here ? "▶ " : "  ", "\(w.row)", w.mse.isFinite ? sci(w.mse) : "not finite", w.share.map(Format.percent) ?? "—")
            buffer.put(Format.fit(text, rect.width), x: rect.x, y: rect.y + 2 + i, style: here ? theme.selected : theme.text)
        }
    }

    // MARK: Numbers

    /// `digits` significant digits, trailing zeros kept so a column's width
    /// holds still: `0.01230`, `1.234e-05`, with the typographic minus.
    static func sig(_ value: Double, _ digits: Int = 4) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "−inf" }
        if value == 0 { return "0" }
        var text = String(format: "%#.\(digits)g", value)
        if text.hasSuffix(".") { text.removeLast() }
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }

    /// Scientific notation with `places` decimals: `1.364e-05`, so a column
    /// of very different magnitudes still lines up digit for digit.
    static func sci(_ value: Double, _ places: Int = 3) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "−inf" }
        let text = String(format: "%.\(places)e", value)
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }

    /// A fixed number of decimals, with the typographic minus.
    static func decimals(_ value: Double, _ places: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "−inf" }
        let text = String(format: "%.\(places)f", value)
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }
}
