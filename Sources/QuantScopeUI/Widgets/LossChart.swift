import Foundation

/// Loss against training step on a log scale, one glyph per series (so
/// the lines stay apart without colour), with labelled ends on the y axis
/// and vertical rules at the steps where one phase hands over to the next.
///
/// ```
/// 2.59┤        2
///     │        22
///     │•        2 33
///     │ ••      3   2222
/// 0.01┤   •••••••44444333332
///     └────── float ┴── QAT ─
/// ```
struct LossChart {
    struct Series {
        var glyph: Unicode.Scalar
        var style: Style
        /// (step, loss), in step order; non-positive losses are drawn at the floor.
        var points: [(x: Double, y: Double)]
    }

    var series: [Series]
    /// The steps the x axis spans.
    var xRange: ClosedRange<Double>
    /// Phase boundaries: a rule at each step, and the label of the part after it.
    var sections: [(x: Double, label: String)] = []
    var firstLabel = ""

    /// The smallest loss drawn: lower ones sit on the bottom row. Log scale
    /// needs a floor, and below 0.01 a converged run's loss is noise that
    /// would fill the chart.
    static let floor = 0.01

    func render(_ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        guard rect.width >= 12, rect.height >= 3 else { return }
        let values = series.flatMap { $0.points.map { max($0.y, Self.floor) } }.filter(\.isFinite)
        guard let low = values.min(), let high = values.max() else {
            buffer.put(Format.fit("no points yet", rect.width), x: rect.x, y: rect.y, style: theme.muted)
            return
        }
        // Whole-decade padding keeps the scale still while points arrive.
        let top = log10(high), bottom = min(log10(low), top - 1)
        let labelTop = Format.number(high, digits: 2), labelBottom = Format.number(pow(10, bottom), digits: 2)
        let labelWidth = max(CellBuffer.width(of: labelTop), CellBuffer.width(of: labelBottom))
        let plot = Rect(x: rect.x + labelWidth + 1, y: rect.y, width: rect.width - labelWidth - 1, height: rect.height - 1)
        guard plot.width > 2, plot.height > 1 else { return }

        for row in 0..<plot.height {
            buffer[plot.x - 1, plot.y + row] = Cell(row == 0 || row == plot.height - 1 ? "┤" : "│", style: theme.muted)
        }
        buffer.put(labelTop.rightAligned(labelWidth), x: rect.x, y: plot.y, style: theme.muted)
        buffer.put(labelBottom.rightAligned(labelWidth), x: rect.x, y: plot.maxY - 1, style: theme.muted)
        axis(plot, theme, &buffer)

        let span = max(xRange.upperBound - xRange.lowerBound, 1e-9)
        func column(_ x: Double) -> Int {
            Int(saturating: ((x - xRange.lowerBound) / span * Double(plot.width - 1)).rounded(), within: 0...(plot.width - 1))
        }
        func row(_ y: Double) -> Int {
            let v = log10(max(y, Self.floor))
            let t = top > bottom ? (top - v) / (top - bottom) : 0
            return Int(saturating: (t * Double(plot.height - 1)).rounded(), within: 0...(plot.height - 1))
        }
        for s in series {
            var previous: (column: Int, row: Int)?
            for p in s.points where p.y.isFinite {
                let c = column(p.x), r = row(p.y)
                if let (pc, pr) = previous {
                    // Join to the previous point: a step across the columns between,
                    // and a vertical run where the loss jumps (PTQ's damage).
                    for cc in (pc + 1)...max(pc + 1, c) where cc <= c {
                        let t = Double(cc - pc) / Double(max(1, c - pc))
                        let rr = Int((Double(pr) + t * Double(r - pr)).rounded())
                        buffer[plot.x + cc, plot.y + rr] = Cell(s.glyph, style: s.style)
                    }
                    if c == pc || abs(r - pr) > 1 {
                        for rr in min(pr, r)...max(pr, r) { buffer[plot.x + c, plot.y + rr] = Cell(s.glyph, style: s.style) }
                    }
                } else {
                    buffer[plot.x + c, plot.y + r] = Cell(s.glyph, style: s.style)
                }
                previous = (c, r)
            }
        }
    }

    /// The x axis: a line with the phase labels and a mark at each boundary.
    private func axis(_ plot: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        let y = plot.maxY
        buffer[plot.x - 1, y] = Cell("└", style: theme.muted)
        for c in 0..<plot.width { buffer[plot.x + c, y] = Cell("─", style: theme.muted) }
        let span = max(xRange.upperBound - xRange.lowerBound, 1e-9)
        var starts = [(column: 0, label: firstLabel)]
        for s in sections {
            let c = Int(saturating: ((s.x - xRange.lowerBound) / span * Double(plot.width - 1)).rounded(), within: 0...(plot.width - 1))
            buffer[plot.x + c, y] = Cell("┴", style: theme.muted)
            starts.append((c, s.label))
        }
        for (i, start) in starts.enumerated() where !start.label.isEmpty {
            let end = i + 1 < starts.count ? starts[i + 1].column : plot.width
            let room = end - start.column - 2
            let text = " \(start.label) "
            guard room >= CellBuffer.width(of: text) else { continue }
            buffer.put(text, x: plot.x + start.column + 1 + (room - CellBuffer.width(of: text)) / 2, y: y, style: theme.muted)
        }
    }
}
