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
        if let page = StoredPages.page(c) { return StoredPages.mapping(c, page, rect, &buffer) }
        let e = explain(c)
        let theme = c.theme

        // The blocks in reading order, with their height and priority (0 first).
        enum Kind { case header, seed, problems, diagram, legend, range, formulas, error, zoom, stats, checked, gap }
        // A taller drawing and spaced formulas where the height allows (decided by size only).
        let roomy = rect.height >= 30
        let links = roomy ? 3 : 1
        let formulaRows = e.formulas.reduce(0) { $0 + ($1.numeric == nil ? 1 : 2) } + (roomy ? e.formulas.count - 1 : 0)
        let blocks: [(kind: Kind, rows: Int, priority: Int)] = [
            (.header, 1, 0), (.seed, e.seedNote == nil ? 0 : 1, 2), (.problems, e.problems.count, 0), (.gap, 1, 6), (.diagram, 4 + links, 1), (.legend, 1, 5),
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
            case .seed:
                buffer.put(Format.fit(e.seedNote ?? "", rect.width), x: rect.x, y: y, style: theme.muted)
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
        /// How the scheme differs from the seed's text, in one line (docs/contract.md §10).
        var seedNote: String? = nil
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
        let q = c.quantized, s = c.summary
        let clipped = s.clipped, finite = s.finite
        var text = "group \(Format.grouped(c.group)): \(Format.grouped(s.count)) elements use \(s.usedCodes) of \(q.possibleCodes) codes"
        text += " · \(Format.grouped(clipped)) clipped"
        if finite > 0, c.group < q.groupSquaredError.count {
            let rms = (q.groupSquaredError[c.group] / Double(finite)).squareRoot()
            guard rms.isFinite else { return text + " · rms error not finite (the scale overflowed)" }
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

}
