import QuantEngine

/// The Compare screen (`C`, docs/contract.md §15): two settings over the
/// same tensor. One histogram carries both grids (A's ┴ under it, B's ┬
/// below that), then each side's mapping of the cursor's element with the
/// real numbers, then both error rows and what B changes.
///
/// ```
///  ┴ A int8 tensor · 255 levels          ┬ B int8-asym tensor · 256 levels
///  ▁▂▃▅▇██▇▅▃▂▁
///  ┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴┴                                  (A's grid)
///   ┬ ┬ ┬ ┬ ┬ ┬ ┬ ┬ ┬ ┬ ┬ ┬                                  (B's grid)
///  −0.17              ▲ x = 0.0521                    6.378
///  A  S = 0.0502  Z = 0  codes [−127, 127]
///     x = 0.0521 → q = round(x/S + Z) = 1 → x̂ = S·(q − Z) = 0.0502 · x̂ − x = −0.0019
///  A  SQNR 31.2 dB · MSE 2.1e-4 · max |x̂ − x| 0.0251 · 8.00 bits/w · codes 130/255
/// ```
enum CompareView {
    static func render(_ state: AppState, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        guard let t = state.tensor, rect.width >= 20, rect.height >= 3 else { return }
        let sides = CompareSide.sides(state, theme)
        let index = t.count > 0 ? min(max(state.cursor, 0), t.count - 1) : 0
        let x: Float = t.count > 0 ? t.tensor.values[index] : 0
        var y = rect.y
        func line(_ text: String, _ style: Style) {
            guard y < rect.maxY else { return }
            buffer.put(Format.fit(text, rect.width), x: rect.x, y: y, style: style)
            y += 1
        }
        // The legend: each side's mark, setting and grid size.
        let legend = sides.map { side -> (String, Style) in
            let levels = side.analysis == nil ? side.pending : "\(side.levels(at: index).count) levels"
            return ("\(side.mark) \(side.name) \(side.spelling) · \(levels)", side.style.with(bold: true))
        }
        var lx = rect.x
        for (text, style) in legend where lx < rect.maxX {
            let fitted = Format.fit(text, min(CellBuffer.width(of: text), rect.maxX - lx))
            buffer.put(fitted, x: lx, y: y, style: style)
            lx += CellBuffer.width(of: fitted) + 3
        }
        y += 1
        guard t.count > 0 else { return }

        // What fits below the histogram, most important first.
        let wide = rect.width >= 120
        let mappingRows = wide ? 2 : 2 * sides.count
        let errorRowCount = sides.count + (sides.count > 1 ? 1 : 0)
        var below = 3 + errorRowCount
        var showMapping = false
        if rect.maxY - y - below >= 3 + mappingRows { below += mappingRows; showMapping = true }
        let barsHeight = rect.maxY - y - below
        if barsHeight >= 1 {
            // The axis spans the data and both grids, so a grid's unused part (a
            // symmetric grid's negative half over a skewed tensor) shows empty.
            let grids = sides.map { $0.levels(at: index) }
            let lo = min(t.summary.min, grids.compactMap(\.first).min() ?? t.summary.min)
            let hi = max(t.summary.max, grids.compactMap(\.last).max() ?? t.summary.max)
            let scale = ColumnScale(lo: lo, hi: hi, width: rect.width)
            let bars = Rect(x: rect.x, y: y, width: rect.width, height: barsHeight)
            Bars.draw(columns(t.fineHistogram, scale), in: bars, log: state.logScale, into: &buffer) { _ in theme.bar }
            y += barsHeight
            for side in sides {
                for level in side.levels(at: index) {
                    if let col = scale.column(level) { buffer[rect.x + col, y] = Cell(side.mark, style: side.style) }
                }
                if let col = scale.column(x) { buffer[rect.x + col, y] = Cell("▲", style: theme.selected) }
                y += 1
            }
            axis(lo: lo, hi: hi, x: x, scale: scale, rect: Rect(x: rect.x, y: y, width: rect.width, height: 1), theme, &buffer)
            y += 1
        }
        if showMapping {
            if wide {
                let half = rect.width / 2
                for (i, side) in sides.enumerated() {
                    let lines = mapping(side, state: state, index: index, x: x)
                    for (row, text) in lines.prefix(2).enumerated() {
                        buffer.put(Format.fit(text, half - 1), x: rect.x + i * half, y: y + row, style: row == 0 ? side.style : theme.text)
                    }
                }
                y += 2
            } else {
                for side in sides {
                    let lines = mapping(side, state: state, index: index, x: x)
                    line(lines[0], side.style)
                    line(lines.count > 1 ? lines[1] : "", theme.text)
                }
            }
        }
        for (side, text) in zip(sides, errorRows(sides)) { line(text, side.style) }
        if sides.count == 2 { line(difference(sides[0], sides[1]), theme.heading) }
    }

    /// The histogram's counts on the axis's columns: the data's own span is
    /// rebinned onto the columns it covers, the rest stays empty.
    static func columns(_ h: Histogram, _ scale: ColumnScale) -> [Double] {
        var out = [Double](repeating: 0, count: scale.width)
        guard let a = scale.column(h.lower), let b = scale.column(h.upper), b >= a else { return out }
        for (i, v) in h.rebinned(b - a + 1).enumerated() where a + i < out.count { out[a + i] = v }
        return out
    }

    /// min, 0 and max under the grids, and the cursor's value in the middle.
    static func axis(lo: Float, hi: Float, x: Float, scale: ColumnScale, rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        let left = Format.number(lo), right = Format.number(hi)
        buffer.put(left, x: rect.x, y: rect.y, style: theme.muted)
        buffer.put(right, x: rect.maxX - CellBuffer.width(of: right), y: rect.y, style: theme.muted)
        let note = "▲ x = \(Format.number(x))"
        let start = rect.x + max(CellBuffer.width(of: left) + 2, (rect.width - CellBuffer.width(of: note)) / 2)
        if start + CellBuffer.width(of: note) < rect.maxX - CellBuffer.width(of: right) - 1 {
            buffer.put(note, x: start, y: rect.y, style: theme.selected)
        }
    }

    /// The cursor's element through one side: its group's S (and Z), then x → code → x̂.
    static func mapping(_ side: CompareSide, state: AppState, index: Int, x: Float) -> [String] {
        guard let q = side.analysis?.quantized else { return ["\(side.name)  \(side.pending)"] }
        let g = q.group(ofElement: index)
        let s = q.scales[g], xhat = q.dequantizedValue(at: index), code = q.code(at: index)
        let err = "x̂ − x = \(Format.number(xhat - x))"
        let where_ = q.scales.count > 1 ? " · group \(Format.grouped(g)) of \(Format.grouped(q.scales.count))" : ""
        switch q.scheme {
        case .integer(let i):
            let z = Int(q.zeroPoints?[g] ?? 0)
            return ["\(side.name)  S = \(Format.number(s))  Z = \(Format.integer(z))  codes [\(Format.integer(i.qmin)), \(Format.integer(i.qmax))]  q = round(x/S + Z)  x̂ = S·(q − Z)" + where_,
                    "   x = \(Format.number(x)) → q = \(Format.integer(code)) → x̂ = \(Format.number(xhat)) · " + err]
        default:
            let codeText = "code \(code)"
            return ["\(side.name)  S = \(Format.number(s)) (\(q.scheme) levels × S)" + where_,
                    "   x = \(Format.number(x)) → \(codeText) → x̂ = \(Format.number(xhat)) · " + err]
        }
    }

    /// SQNR, MSE, worst error, storage and codes used of each side, in
    /// columns aligned across the rows so A and B read against each other.
    static func errorRows(_ sides: [CompareSide]) -> [String] {
        let fields: [[String]?] = sides.map { side in
            guard let a = side.analysis else { return nil }
            let m = a.quantized.metrics
            let sqnr = m.sqnrDecibels.isFinite ? String(format: "%.2f dB", m.sqnrDecibels) : (m.isFinite ? "∞ exact" : "—")
            let bits = side.bitsPerWeight.map { String(format: "%.2f", $0) } ?? "—"
            return ["SQNR \(sqnr)", "MSE \(Format.number(m.mse))", "max|x̂−x| \(Format.number(m.maxAbsError))",
                    "\(bits) bits/w", "\(a.usedCodes)/\(a.possibleCodes) codes"]
        }
        let columns = fields.compactMap { $0 }.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in fields.compactMap { $0?[c] }.map { CellBuffer.width(of: $0) }.max() ?? 0 }
        return zip(sides, fields).map { side, f in
            guard let f else { return "\(side.name)  \(side.pending)" }
            return "\(side.name)  " + zip(f, widths).map { $0.leftAligned($1) }.joined(separator: "  ")
        }
    }

    /// `+6.02`, `−5.66`, `±0.00` (two decimals, a real minus sign).
    static func signed(_ v: Double) -> String {
        let text = String(format: "%.2f", abs(v))
        if text == "0.00" { return "±0.00" }
        return (v < 0 ? "−" : "+") + text
    }

    /// What B changes against A, in the units a class compares.
    static func difference(_ a: CompareSide, _ b: CompareSide) -> String {
        guard let ma = a.analysis?.quantized.metrics, let mb = b.analysis?.quantized.metrics else { return "B − A: waiting for both results" }
        var parts: [String] = []
        if ma.sqnrDecibels.isFinite && mb.sqnrDecibels.isFinite {
            parts.append("SQNR \(signed(mb.sqnrDecibels - ma.sqnrDecibels)) dB")
        }
        if ma.mse > 0 && ma.mse.isFinite && mb.mse.isFinite { parts.append("MSE ×\(Format.number(mb.mse / ma.mse, digits: 3))") }
        if let ba = a.bitsPerWeight, let bb = b.bitsPerWeight { parts.append("\(signed(bb - ba)) bits/w") }
        return "B − A: " + (parts.isEmpty ? "no finite difference" : parts.joined(separator: " · "))
    }
}
