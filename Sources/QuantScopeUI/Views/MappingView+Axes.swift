import QuantEngine

/// The Mapping view's two number lines: floats above, codes below, joined
/// where 0.0, the cursor's x and the range ends land.
extension MappingView {
    // MARK: The two number lines

    /// Width of the end labels beside the lines (the widest number Format gives).
    static let gutter = 10

    /// Labels above, the float line, the connectors, the grid line, labels below.
    static func drawAxes(_ axis: Axis, _ c: ViewContext, _ rect: Rect, links: Int, _ buffer: inout CellBuffer) {
        let theme = c.theme
        let left = rect.x + gutter + 1, right = rect.maxX - gutter - 2
        guard right - left >= 8, rect.height >= 4 + links else { return }
        let x = c.x, xhat = c.dequantized
        var lo = min(axis.low, axis.levels.first ?? axis.low), hi = max(axis.high, axis.levels.last ?? axis.high)
        if x.isFinite { lo = min(lo, x); hi = max(hi, x) }
        if !(hi > lo) { hi = lo + 1 }
        let scale = AxisScale(lo: lo, hi: hi, left: left, right: right)
        let labelsAbove = rect.y, floatRow = rect.y + 1, gridRow = rect.y + 2 + links, labelsBelow = gridRow + 1
        let linkRows = (floatRow + 1)..<gridRow

        // The float line, with the clipped parts (beyond the grid by half an end step) marked.
        let levels = axis.levels
        let lowEdge: Float, highEdge: Float
        if levels.count > 1 {
            lowEdge = levels[0] - (levels[1] - levels[0]) / 2
            highEdge = levels[levels.count - 1] + (levels[levels.count - 1] - levels[levels.count - 2]) / 2
        } else {
            lowEdge = -.infinity
            highEdge = .infinity
        }
        for col in left...right {
            let v = scale.value(col)
            let beyond = v < lowEdge || v > highEdge
            buffer[col, floatRow] = Cell(beyond ? "═" : "─", style: beyond ? theme.clipped : theme.text)
        }
        buffer[left, floatRow] = Cell("├", style: theme.text)
        buffer[right, floatRow] = Cell("┤", style: theme.text)
        if lo <= 0 && 0 <= hi { buffer[scale.column(0), floatRow] = Cell("┼", style: theme.heading) }
        for v in axis.setters where v.isFinite { buffer[scale.column(v), floatRow] = Cell("◆", style: theme.rangeSetter) }
        if x.isFinite { buffer[scale.column(x), floatRow] = Cell("●", style: theme.selected) }
        let loText = Format.number(lo), hiText = Format.number(hi)
        buffer.put(loText, x: left - 1 - CellBuffer.width(of: loText), y: floatRow, style: theme.text)
        buffer.put(hiText, x: right + 2, y: floatRow, style: theme.text)

        // The grid line: one ┴ per level (levels closer than a column share one).
        if let first = levels.first, let last = levels.last {
            let a = scale.column(first), b = scale.column(last)
            for col in a...b { buffer[col, gridRow] = Cell("─", style: theme.level) }
            for level in levels { buffer[scale.column(level), gridRow] = Cell("┴", style: theme.level) }
            buffer[a, gridRow] = Cell("├", style: theme.level)
            buffer[b, gridRow] = Cell("┤", style: theme.level)
            if levels.contains(0) { buffer[scale.column(0), gridRow] = Cell("┼", style: theme.heading) }
            if xhat.isFinite { buffer[scale.column(xhat), gridRow] = Cell("●", style: theme.selected) }
            buffer.put(axis.lowCode, x: a - 1 - CellBuffer.width(of: axis.lowCode), y: gridRow, style: theme.level)
            buffer.put(axis.highCode, x: b + 2, y: gridRow, style: theme.level)
            // Connectors: the grid's ends and zero go straight down; the cursor
            // bends from x to the level it rounded (or was clamped) to.
            for row in linkRows {
                for v in [first, last] { buffer[scale.column(v), row] = Cell("│", style: theme.muted) }
                if levels.contains(0) { buffer[scale.column(0), row] = Cell("│", style: theme.muted) }
            }
            if x.isFinite && xhat.isFinite { link(from: scale.column(x), to: scale.column(xhat), rows: linkRows, theme.selected, &buffer) }
        }

        // Labels: the cursor's first, then zero's, moved aside when they would overlap.
        // Each label starts with its mark, so two side by side still read apart.
        var above = LabelRow(left: rect.x, right: rect.maxX)
        if x.isFinite { above.place("● x = \(Format.number(x))", at: scale.column(x), y: labelsAbove, theme.selected, &buffer) }
        if lo <= 0 && 0 <= hi { above.place("┼ 0.0", at: scale.column(0), y: labelsAbove, theme.muted, &buffer) }
        var below = LabelRow(left: rect.x, right: rect.maxX)
        if levels.first != nil && xhat.isFinite {
            let atZero = xhat == 0 && !axis.zeroCode.isEmpty && axis.zeroCode != axis.cursorCode
            below.place("● " + axis.cursorCode + (atZero ? " · " + axis.zeroCode : ""), at: scale.column(xhat), y: labelsBelow, theme.selected, &buffer)
        }
        if levels.contains(0) && !axis.zeroCode.isEmpty && !(xhat.isFinite && scale.column(xhat) == scale.column(0)) {
            below.place("┼ " + axis.zeroCode, at: scale.column(0), y: labelsBelow, theme.muted, &buffer)
        }
    }

    /// A path down `rows` from column `a` (under x) to column `b` (over
    /// x̂): straight down, with the bend in the middle row.
    static func link(from a: Int, to b: Int, rows: Range<Int>, _ style: Style, _ buffer: inout CellBuffer) {
        guard let first = rows.first else { return }
        let bend = first + (rows.count - 1) / 2
        for row in rows {
            if row < bend || a == b { buffer[a, row] = Cell("│", style: style) }
            if row > bend { buffer[b, row] = Cell("│", style: style) }
        }
        guard a != b else { return }
        for col in min(a, b)...max(a, b) { buffer[col, bend] = Cell("─", style: style) }
        buffer[a, bend] = Cell(b > a ? "╰" : "╯", style: style)
        buffer[b, bend] = Cell(b > a ? "╮" : "╭", style: style)
    }

    /// Value ↔ column for a line drawn over [lo, hi] between two columns.
    struct AxisScale {
        var lo: Float, hi: Float, left: Int, right: Int

        /// The column of `v`, clamped to the line (NaN goes to the left end; callers skip it).
        func column(_ v: Float) -> Int {
            let t = (Double(v) - Double(lo)) / (Double(hi) - Double(lo))
            guard t.isFinite else { return t > 0 ? right : left }
            return left + Int(saturating: (min(max(t, -1), 2) * Double(right - left)).rounded(), within: 0...max(right - left, 0))
        }

        func value(_ col: Int) -> Float {
            Float(Double(lo) + Double(col - left) / Double(max(right - left, 1)) * (Double(hi) - Double(lo)))
        }
    }

    /// Labels on one row: each centred on its column, slid aside when it
    /// would touch one already placed, dropped when there is no room.
    struct LabelRow {
        var left: Int
        var right: Int
        var taken: [Range<Int>] = []

        mutating func place(_ text: String, at column: Int, y: Int, _ style: Style, _ buffer: inout CellBuffer) {
            let w = CellBuffer.width(of: text)
            guard w <= right - left else { return }
            let ideal = min(max(column - w / 2, left), right - w)
            func free(_ start: Int) -> Bool {
                start >= left && start + w <= right && !taken.contains { $0.overlaps((start - 1)..<(start + w + 1)) }
            }
            for shift in 0...(right - left) {
                for start in [ideal + shift, ideal - shift] where free(start) {
                    buffer.put(text, x: start, y: y, style: style)
                    taken.append(start..<(start + w))
                    return
                }
            }
        }
    }

    // MARK: Zoom on the rounding

    /// The levels around x̂ spread over the width, with x between them: which
    /// level is nearest, and so where x went. An x far off the grid (clipped)
    /// is shown by an arrow at the edge instead of squeezing the levels.
    static func drawZoom(_ e: Explanation, _ c: ViewContext, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme, levels = e.axis.levels
        let x = c.x, xhat = c.dequantized
        guard rect.height >= zoomRows, levels.count >= 2, x.isFinite, xhat.isFinite,
              let k = levels.firstIndex(where: { $0 == xhat }) ?? levels.indices.min(by: { abs(levels[$0] - xhat) < abs(levels[$1] - xhat) })
        else { return }
        let lower = max(0, k - 2), upper = min(levels.count - 1, k + 2)
        let shown = Array(levels[lower...upper])
        let gap = k + 1 < levels.count ? levels[k + 1] - levels[k] : levels[k] - levels[k - 1]
        let far = x < shown[0] - gap || x > shown[shown.count - 1] + gap
        var lo = shown[0], hi = shown[shown.count - 1]
        if !far { lo = min(lo, x); hi = max(hi, x) }
        let pad = (hi - lo) * 0.08
        let scale = AxisScale(lo: lo - pad, hi: hi + pad, left: rect.x + 4, right: rect.maxX - 5)
        guard scale.right - scale.left >= 20 else { return }

        // The sentence: distances in units of S (or d) where the grid is uniform.
        func distance(_ d: Double) -> String {
            if let unit = e.unit, unit.value > 0 { return Format.number(d / Double(unit.value), digits: 2) + " " + unit.name }
            return Format.number(d)
        }
        var title = "zoom: "
        if x == xhat {
            title += "x = \(Format.number(x)) is exactly a level"
        } else if x < levels[0] || x > levels[levels.count - 1] {
            let end = x < levels[0] ? levels[0] : levels[levels.count - 1]
            title += "x = \(Format.number(x)) is \(distance(abs(Double(x) - Double(end)))) past the last level \(Format.number(end))"
            title += e.clipped ? " → clamped to it" : " → still rounds to it"
        } else if let below = levels.last(where: { $0 <= x }), let above = levels.first(where: { $0 >= x }) {
            title += "x lies \(distance(Double(x) - Double(below))) above \(Format.number(below)) and "
            title += "\(distance(Double(above) - Double(x))) below \(Format.number(above)) → \(Format.number(xhat))"
        }
        buffer.put(Format.fit(title, rect.width), x: rect.x, y: rect.y, style: theme.text)

        let valueRow = rect.y + 1, lineRow = rect.y + 2, codeRow = rect.y + 3
        for col in scale.left...scale.right { buffer[col, lineRow] = Cell("─", style: theme.level) }
        var values = LabelRow(left: rect.x, right: rect.maxX), codes = LabelRow(left: rect.x, right: rect.maxX)
        // The cursor's level and x first, so their labels win any collision.
        codes.place("x̂ = " + e.axis.code(xhat), at: scale.column(xhat), y: codeRow, theme.selected, &buffer)
        if !far && scale.column(x) != scale.column(xhat) { codes.place("● x", at: scale.column(x), y: codeRow, theme.selected, &buffer) }
        for level in shown.sorted(by: { abs($0 - xhat) < abs($1 - xhat) }) {
            let col = scale.column(level), mine = level == xhat
            buffer[col, lineRow] = Cell("┼", style: mine ? theme.selected : theme.level)
            values.place(Format.number(level), at: col, y: valueRow, mine ? theme.selected : theme.text, &buffer)
            if !mine { codes.place(e.axis.code(level), at: col, y: codeRow, theme.muted, &buffer) }
        }
        let more = "…"
        if far {
            // x is off this picture: an arrow on its side, in the clipped style.
            buffer.put(x < lo ? "◀" : more, x: scale.left - 2, y: lineRow, style: x < lo ? theme.clipped : theme.muted)
            buffer.put(x > hi ? "▶" : more, x: scale.right + 2, y: lineRow, style: x > hi ? theme.clipped : theme.muted)
        } else {
            buffer[scale.column(x), lineRow] = Cell("●", style: theme.selected)
            buffer.put(more, x: scale.left - 2, y: lineRow, style: theme.muted)
            buffer.put(more, x: scale.right + 2, y: lineRow, style: theme.muted)
        }
    }
}
