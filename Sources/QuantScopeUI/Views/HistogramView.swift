import QuantEngine

/// View 1: the values' histogram with the quantization grid over it.
///
/// ```
///  codes used 212 of 255 · clipped ▼ 0 ▲ 12 (0.01%) · 255 levels in group 17
///  ▁▂▃▅▇██▇▅▃▂▁                                            (all values, eighth blocks)
///  ┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴▲┴┴┴                                      (the group's levels, ▲ = cursor)
///  −0.2817                  0                       0.2931
///  group 17 (channel:0): its own histogram and grid          (per-channel / per-group only)
/// ```
/// Bins beyond the selected group's grid are drawn in the clipped colour,
/// and the counts of clipped values are given in numbers as well.
enum HistogramView {
    static func render(_ c: ViewContext, _ rect: Rect, _ buffer: inout CellBuffer) {
        if let page = StoredPages.page(c) { return StoredPages.histogram(c, page, rect, &buffer) }
        let theme = c.theme, a = c.analysis, q = c.quantized
        let clippedTotal = a.clippedBelow + a.clippedAbove
        var header = "codes used \(a.usedCodes) of \(a.possibleCodes) · clipped ▼ \(Format.grouped(a.clippedBelow)) ▲ \(Format.grouped(a.clippedAbove))"
        if clippedTotal > 0 { header += " (\(Format.percent(Double(clippedTotal) / Double(max(c.tensor.count, 1)))))" }
        header += c.state.logScale ? " · log scale" : ""
        buffer.put(Format.fit(header, rect.width), x: rect.x, y: rect.y, style: clippedTotal > 0 ? theme.warning : theme.text)
        let levels = q.levels(group: c.group)
        let perGroup = q.scales.count > 1
        var body = rect.inset(top: 1)
        var groupArea: Rect?
        if perGroup && body.height >= 12 {
            let (top, bottom) = body.splitBottom(max(5, body.height / 3))
            body = top
            groupArea = bottom
        }
        let lo = c.tensor.summary.min, hi = c.tensor.summary.max
        plot(values: c.tensor.fineHistogram.rebinned(max(body.width, 1)), lo: lo, hi: hi, levels: levels, cursor: c.x,
             label: "all \(Format.grouped(c.tensor.count)) values", c, body, &buffer)
        if let area = groupArea {
            let s = c.summary, range = s.histogramRange
            let title = "group \(c.group) of \(Format.grouped(q.scales.count)) (\(q.granularity)): \(Format.grouped(s.count)) values, \(levels.count) levels, S = \(Format.number(q.scales[c.group]))"
            buffer.put(Format.fit(title, area.width), x: area.x, y: area.y, style: theme.groupBar.with(bold: true))
            plot(values: s.histogram(bins: area.width), lo: range.lowerBound, hi: range.upperBound, levels: levels, cursor: c.x,
                 label: nil, c, area.inset(top: 1), &buffer, barStyle: theme.groupBar)
        }
    }

    /// Bars of `values` over [lo, hi], the level marks under them, the cursor
    /// and the axis labels.
    static func plot(values: [Double], lo: Float, hi: Float, levels: [Float], cursor: Float, label: String?,
                     _ c: ViewContext, _ rect: Rect, _ buffer: inout CellBuffer, barStyle: Style? = nil) {
        let theme = c.theme
        guard rect.height >= 3, rect.width >= 10 else { return }
        let (bars, axes) = rect.splitBottom(2)
        let span = Double(hi) - Double(lo)
        func column(_ v: Float) -> Int? {
            guard span > 0 else { return 0 }
            let t = (Double(v) - Double(lo)) / span
            guard t >= -1e-9 && t <= 1 + 1e-9 else { return nil }
            return Int(saturating: t * Double(rect.width - 1) + 0.5, within: 0...max(rect.width - 1, 0))
        }
        // Bins beyond the grid (by half an end step) are clipped.
        let step = levels.count > 1 ? (levels[1] - levels[0]) / 2 : 0
        let topStep = levels.count > 1 ? (levels[levels.count - 1] - levels[levels.count - 2]) / 2 : 0
        let gridLow = (levels.first ?? lo) - step, gridHigh = (levels.last ?? hi) + topStep
        Bars.draw(values, in: bars, log: c.state.logScale, into: &buffer) { i in
            let center = Double(lo) + (Double(i) + 0.5) / Double(max(values.count, 1)) * span
            return center < Double(gridLow) || center > Double(gridHigh) ? theme.clipped : (barStyle ?? theme.bar)
        }
        if let label { buffer.put(label, x: bars.maxX - CellBuffer.width(of: label), y: bars.y, style: theme.muted) }
        // The grid: one mark per level (several levels may share a column).
        let markRow = axes.y
        var marked = 0
        for level in levels {
            guard let col = column(level) else { continue }
            buffer[rect.x + col, markRow] = Cell("┴", style: theme.level)
            marked += 1
        }
        if let col = column(0) { buffer[rect.x + col, markRow] = Cell("╧", style: theme.level.with(bold: true)) }
        if let col = column(cursor) { buffer[rect.x + col, markRow] = Cell("▲", style: theme.selected) }
        // Axis labels: min, 0, max, and the cursor's value.
        let labelRow = axes.y + 1
        let left = Format.number(lo), right = Format.number(hi)
        buffer.put(left, x: rect.x, y: labelRow, style: theme.muted)
        buffer.put(right, x: rect.maxX - CellBuffer.width(of: right), y: labelRow, style: theme.muted)
        if let col = column(0), col > CellBuffer.width(of: left) + 1, col < rect.width - CellBuffer.width(of: right) - 2 {
            buffer.put("0", x: rect.x + col, y: labelRow, style: theme.muted)
        }
        let gridNote = "┴ \(levels.count) levels" + (marked < levels.count ? " (\(levels.count - marked) off-axis)" : "")
        let cursorNote = "▲ x = \(Format.number(cursor))  " + gridNote
        let middle = rect.x + max(CellBuffer.width(of: left) + 2, (rect.width - CellBuffer.width(of: cursorNote)) / 2)
        if middle + CellBuffer.width(of: cursorNote) < rect.maxX - CellBuffer.width(of: right) - 1 {
            buffer.put(cursorNote, x: middle, y: labelRow, style: theme.text)
        }
    }
}
