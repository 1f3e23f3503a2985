import QuantEngine

/// View 2: how the cursor's group maps floats onto codes, drawn and then
/// written out with the element's real numbers.
///
/// ```
///  int8-asym channel:0 · group 17 of 48: channel 17 = row 17 · 96 elements · …
///                  0         x = 0.0312
///   −0.2817 ◆──────┼─────────●───────────────────┤ 0.2931        floats of the group
///           │      │         │                   │
///      −128 ├┴┴┴┴┴┴┼┴┴┴┴┴┴┴┴┴●┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┤ 127           the codes' grid
///                Z = −3     q = 11
///  vmin = min(min x, 0) = −0.2817  ◆ (17, 5), not the cursor
///  S = (vmax − vmin) / (qmax − qmin)
///    = (0.2931 − (−0.2817)) / (127 − (−128))                 = 0.002254
///  …  Z, q, x̂ the same way, then the error in units of S
/// ```
/// Both lines share one scale, so a float sits straight above the level it
/// rounds to; `●` is the cursor, `◆` the element that set the range, `┼`
/// zero, `═` the part of the range beyond the grid (clipped, in the clipped
/// style). Rows are given out by priority for the rect's height only, so
/// the layout holds still while the cursor moves.
enum MappingView {
    static func render(_ c: ViewContext, _ rect: Rect, _ buffer: inout CellBuffer) {
        guard rect.width >= 20, rect.height >= 1 else { return }
        let e = explain(c)
        let theme = c.theme

        // The blocks in reading order, with their height and priority (0 first).
        enum Kind { case header, problems, diagram, legend, range, formulas, error, zoom, stats, checked, gap }
        // A taller drawing and spaced formulas where the height allows (decided by size only).
        let roomy = rect.height >= 30
        let links = roomy ? 3 : 1
        let formulaRows = e.formulas.reduce(0) { $0 + ($1.numeric == nil ? 1 : 2) } + (roomy ? e.formulas.count - 1 : 0)
        let blocks: [(kind: Kind, rows: Int, priority: Int)] = [
            (.header, 1, 0), (.problems, e.problems.count, 0), (.gap, 1, 6), (.diagram, 4 + links, 1), (.legend, 1, 5),
            (.gap, 1, 5), (.range, e.rangeRows.count, 2), (.gap, 1, 7), (.formulas, formulaRows, 1), (.error, 1, 2),
            (.gap, 1, 7), (.zoom, zoomRows, 3), (.gap, 1, 8), (.stats, 1, 4), (.checked, 1, 4),
        ]
        var shown = [Bool](repeating: false, count: blocks.count)
        var used = 0
        for priority in 0...8 {
            for (k, block) in blocks.enumerated() where block.priority == priority && block.rows > 0 {
                if used + block.rows <= rect.height {
                    shown[k] = true
                    used += block.rows
                }
            }
        }
        if !e.problems.isEmpty, let k = blocks.firstIndex(where: { $0.kind == .checked }) { shown[k] = false }

        var y = rect.y
        for (k, block) in blocks.enumerated() where shown[k] {
            let area = Rect(x: rect.x, y: y, width: rect.width, height: block.rows)
            switch block.kind {
            case .header:
                buffer.put(Format.fit(e.header, rect.width), x: rect.x, y: y, style: theme.heading)
            case .problems:
                for (r, problem) in e.problems.enumerated() {
                    buffer.put(Format.fit("MISMATCH with the engine (a bug, please report): " + problem, rect.width), x: rect.x, y: y + r, style: theme.bad)
                }
            case .diagram:
                drawAxes(e.axis, c, area, links: links, &buffer)
            case .legend:
                putSpans(legend(theme), x: rect.x, y: y, clip: area, &buffer)
            case .range:
                for (r, row) in e.rangeRows.enumerated() { putSpans(row, x: rect.x, y: y + r, clip: area, &buffer) }
            case .formulas:
                drawFormulas(e.formulas, area, spaced: roomy, theme, &buffer)
            case .error:
                putSpans(e.errorRow, x: rect.x, y: y, clip: area, &buffer)
            case .zoom:
                drawZoom(e, c, area, &buffer)
            case .stats:
                buffer.put(Format.fit(groupStats(c, e, width: rect.width), rect.width), x: rect.x, y: y, style: theme.text)
            case .checked:
                buffer.put(Format.fit(e.checked, rect.width), x: rect.x, y: y, style: theme.good)
            case .gap:
                break
            }
            y += block.rows
        }
    }

    static let zoomRows = 4

    // MARK: What the view shows (built in MappingView+Formulas.swift)

    /// One formula, written symbolically and then with the numbers.
    struct Formula {
        /// The left-hand side: `S`, `Z`, `q`, `x̂`.
        var name: String
        /// `(vmax − vmin) / (qmax − qmin)`.
        var symbolic: String
        /// `(0.2931 − (−0.2817)) / (127 − (−128))`; nil for a formula that is
        /// a plain statement (`Z = 0` for symmetric schemes).
        var numeric: String?
        /// `0.002254`.
        var result: String
        var resultStyle: Style
        /// After the result: `▲ clipped`.
        var note = ""
    }

    /// A run of text in one style; a line is a list of them.
    typealias Span = (text: String, style: Style)

    /// The two number lines: the group's floats over the codes' grid.
    struct Axis {
        /// The grid of values the group can dequantize to, ascending.
        var levels: [Float]
        /// The ends of the group's float range (holding 0), before clipping.
        var low: Float
        var high: Float
        /// Values of the elements that set the range (◆).
        var setters: [Float]
        /// The code at each end of the grid, and where 0.0 lands.
        var lowCode: String
        var highCode: String
        var zeroCode: String
        /// `q = 11`: the cursor's code.
        var cursorCode: String
        /// The code of a level of the grid, for the zoomed rounding line.
        var code: (Float) -> String
    }

    /// Everything the view writes about the cursor's element.
    struct Explanation {
        var header: String
        var axis: Axis
        /// Where the range came from and who set it (two rows).
        var rangeRows: [[Span]]
        var formulas: [Formula]
        var errorRow: [Span]
        /// Differences from the engine's stored numbers (none expected).
        var problems: [String]
        /// What was checked against the engine, when nothing differed.
        var checked: String
        /// The step between levels near x (S for uniform grids), to express the error in.
        var unit: (name: String, value: Float)?
        /// Whether the cursor's code was clamped (saturated) rather than rounded.
        var clipped = false
    }

    /// `group 17: 96 elements use 13 of 16 codes · 0 clipped · rms error 0.29 S`.
    static func groupStats(_ c: ViewContext, _ e: Explanation, width: Int) -> String {
        let q = c.quantized, xs = c.tensor.tensor.values, levels = e.axis.levels
        let members = q.layout.elements(ofGroup: c.group)
        var used = Set<UInt8>(), clipped = 0, finite = 0
        let lowEdge = levels.count > 1 ? levels[0] - (levels[1] - levels[0]) / 2 : -Float.infinity
        let highEdge = levels.count > 1 ? levels[levels.count - 1] + (levels[levels.count - 1] - levels[levels.count - 2]) / 2 : Float.infinity
        for i in members {
            used.insert(q.codes[i])
            guard xs[i].isFinite else { continue }
            finite += 1
            if xs[i] < lowEdge || xs[i] > highEdge { clipped += 1 }
        }
        var text = "group \(Format.grouped(c.group)): \(Format.grouped(members.count)) elements use \(used.count) of \(q.possibleCodes) codes"
        text += " · \(Format.grouped(clipped)) clipped"
        if finite > 0, c.group < q.groupSquaredError.count {
            let rms = (q.groupSquaredError[c.group] / Double(finite)).squareRoot()
            if let unit = e.unit, unit.value > 0 {
                text += " · rms error \(Format.number(rms / Double(unit.value), digits: 2)) \(unit.name)"
                let note = " (rounding alone: 0.29 \(unit.name))"
                if CellBuffer.width(of: text + note) <= width { text += note }
            } else {
                text += " · rms error \(Format.number(rms))"
            }
        }
        return text
    }

    /// What the marks on the two lines mean, each in its own style.
    static func legend(_ theme: Theme) -> [Span] {
        [("● ", theme.selected), ("the cursor: x → code   ", theme.muted), ("◆ ", theme.rangeSetter),
         ("sets the range   ", theme.muted), ("┼ ", theme.heading), ("zero   ", theme.muted), ("┴ ", theme.level),
         ("a level   ", theme.muted), ("═ ", theme.clipped), ("clipped", theme.muted)]
    }

    /// Writes styled runs one after another, clipped to `clip`.
    static func putSpans(_ spans: [Span], x: Int, y: Int, clip: Rect, _ buffer: inout CellBuffer) {
        var column = x
        for span in spans { column = buffer.put(span.text, x: column, y: y, style: span.style, clip: clip) }
        if column > clip.maxX, clip.width > 0 {
            buffer[clip.maxX - 1, y] = Cell("…", style: spans.last?.style ?? .plain)
        }
    }

    // MARK: Formulas

    /// Each formula symbolically, then with the numbers and its result
    /// right-aligned in one column so results stay put as values change.
    static func drawFormulas(_ formulas: [Formula], _ rect: Rect, spaced: Bool, _ theme: Theme, _ buffer: inout CellBuffer) {
        let nameWidth = formulas.map { CellBuffer.width(of: $0.name) }.max() ?? 1
        let resultRight = rect.x + min(rect.width - 13, nameWidth + 3 + 58)
        var y = rect.y
        for f in formulas {
            let lead = Format.fit(f.name, nameWidth)
            var end = buffer.put(lead, x: rect.x, y: y, style: theme.heading, clip: rect)
            end = buffer.put(" = " + f.symbolic, x: end, y: y, style: theme.text, clip: rect)
            if let numeric = f.numeric {
                y += 1
                end = buffer.put(String(repeating: " ", count: nameWidth) + " = " + numeric, x: rect.x, y: y, style: theme.text, clip: rect)
            }
            if !f.result.isEmpty {
                let result = "= " + f.result
                let start = max(end + 2, resultRight - CellBuffer.width(of: result) + 1)
                let after = buffer.put(result, x: start, y: y, style: f.resultStyle.with(bold: true), clip: rect)
                if !f.note.isEmpty { buffer.put(" " + f.note, x: after, y: y, style: f.resultStyle, clip: rect) }
            }
            y += spaced ? 2 : 1
        }
    }

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
            return min(right, max(left, left + Int((min(max(t, -1), 2) * Double(right - left)).rounded())))
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
