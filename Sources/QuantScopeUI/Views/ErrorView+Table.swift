import QuantEngine

/// The Error view's table: the current quantization's metrics, then the
/// same scheme per tensor, per channel and per group side by side (or, for
/// schemes with fixed blocks, the scheme next to int at those granularities).
///
/// ```
///     granularity               MSE  SQNR dB    max |e|    cosine RMSE/S vs 1/√12
///  now int4 channel:0     3.036e-04    22.31  4.309e-02  0.997048  0.289    1.00×
///  ── int4 at each granularity (▶ = the current setting) ──────────────────────
///     int4 tensor         …
///   ▶ int4 channel:0      3.036e-04    22.31  4.309e-02  0.997048  0.289    1.00×
/// ```
extension ErrorView {
    /// One line of the table.
    struct TableRow: Equatable {
        var label: String
        var mse: Double
        var sqnr: Double
        var maxError: Double
        var cosine: Double?
        /// Nil when the error is not finite.
        var rmseOverScale: Double?
        /// Finite x whose x̂ is ±Inf or NaN: the row's figures are not numbers then.
        var nonfiniteOutput: Int
        /// Whether 1/√12 is the ideal RMSE/S (grids with an even step S).
        var evenGrid: Bool
    }

    static let markerWidth = 4
    /// MSE, SQNR dB, max |e|, cosine, RMSE/S, vs 1/√12.
    static let columnWidths = [11, 9, 11, 10, 8, 9]
    /// The same columns with one space less, for long labels on narrow screens.
    static let narrowColumnWidths = [10, 8, 10, 9, 7, 9]
    static let columnTitles = ["MSE", "SQNR dB", "max |e|", "cosine", "RMSE/S", "vs 1/√12"]
    static let idealRMSEOverScale = 1 / 12.0.squareRoot()

    /// The current quantization as a table row.
    static func currentRow(_ c: ViewContext) -> TableRow {
        let m = c.quantized.metrics
        return TableRow(label: currentLabel(c), mse: m.mse, sqnr: m.sqnrDecibels, maxError: m.maxAbsError, cosine: m.cosine,
                        rmseOverScale: c.quantized.rmseOverScale, nonfiniteOutput: m.nonfiniteOutput,
                        evenGrid: hasEvenGrid(c.quantized.scheme))
    }

    /// The comparisons as table rows (nil while they are being computed).
    static func comparisonRows(_ c: ViewContext) -> [TableRow]? {
        c.analysis.comparisons.map { list in
            list.map { comparison in
                let m = comparison.metrics
                let scheme = comparison.label.split(separator: " ").first.flatMap { try? Scheme(parsing: String($0)) }
                return TableRow(label: comparison.label, mse: m.mse, sqnr: m.sqnrDecibels, maxError: m.maxAbsError, cosine: m.cosine,
                                rmseOverScale: comparison.rmseOverScale, nonfiniteOutput: m.nonfiniteOutput,
                                evenGrid: scheme.map(hasEvenGrid) ?? false)
            }
        }
    }

    /// Integer and GGUF grids have one step S, so plain rounding leaves an
    /// error of RMSE/S = 1/√12; float grids' steps vary with the exponent.
    static func hasEvenGrid(_ scheme: Scheme) -> Bool {
        switch scheme {
        case .integer, .gguf: return true
        default: return false
        }
    }

    /// The label the current setting has among the comparisons.
    static func currentLabel(_ c: ViewContext) -> String { "\(c.quantized.scheme) \(c.quantized.granularity)" }

    static func drawTable(_ c: ViewContext, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme
        let comparisons = comparisonRows(c)
        let labels = [currentRow(c).label] + (comparisons ?? []).map(\.label)
        // Labels keep their length; the columns narrow, then the last one goes.
        let longest = max(11, labels.map { CellBuffer.width(of: $0) }.max() ?? 0)
        var widths = columnWidths
        if markerWidth + longest + widths.reduce(0, +) > rect.width { widths = narrowColumnWidths }
        if markerWidth + min(longest, 14) + widths.reduce(0, +) > rect.width { widths.removeLast() }
        let labelWidth = max(11, min(longest, rect.width - markerWidth - widths.reduce(0, +)))
        func line(_ marker: String, _ label: String, _ cells: [String]) -> String {
            var text = Format.fit(marker, markerWidth) + Format.fit(label, labelWidth)
            for (cell, width) in zip(cells, widths) { text += Format.fit(cell, width, alignRight: true) }
            return Format.fit(text, rect.width)
        }
        func cells(_ row: TableRow) -> [String] {
            // docs/contract.md §6: an error with ±Inf/NaN in it has no size.
            guard row.nonfiniteOutput == 0, let rmseOverScale = row.rmseOverScale else {
                return ["not finite", "—", "—", "—", "—", "—"]
            }
            return [sci(row.mse), decimals(row.sqnr, 2), sci(row.maxError), row.cosine.map { decimals($0, 6) } ?? "—",
                    decimals(rmseOverScale, 3), row.evenGrid ? decimals(rmseOverScale / idealRMSEOverScale, 2) + "×" : "—"]
        }
        var y = rect.y
        func put(_ text: String, _ style: Style) {
            guard y < rect.maxY else { return }
            buffer.put(text, x: rect.x, y: y, style: style)
            y += 1
        }
        put(line("", "granularity", columnTitles), theme.muted)
        put(line("now", currentRow(c).label, cells(currentRow(c))), theme.heading)
        let scheme = c.quantized.scheme
        let title: String
        if let comparisons, !comparisons.isEmpty {
            // Fixed-block schemes come first, then int at the three granularities.
            let other = comparisons.count > 3 ? comparisons[1].label.split(separator: " ").first.map(String.init) : nil
            title = (other.map { "\(scheme) next to \($0) at each granularity" } ?? "\(scheme) at each granularity") + " (▶ = the current setting)"
        } else if comparisons == nil {
            title = "comparing \(scheme) per tensor, per channel and per group…"
        } else if c.tensor.count > Analyzer.comparisonElementLimit {
            title = "no comparisons above \(Format.grouped(Analyzer.comparisonElementLimit)) elements (each would hold another copy of the tensor)"
        } else {
            title = "no comparison applies to this tensor"
        }
        let rule = "── " + title + " "
        put(Format.fit(rule + String(repeating: "─", count: max(0, rect.width - CellBuffer.width(of: rule))), rect.width), theme.muted)
        let slots = 4
        let current = currentLabel(c)
        for i in 0..<slots {
            guard let rows = comparisons, i < rows.count else {
                if comparisons == nil && i == 0 { put(line("", "comparing…", []), theme.muted) } else { y += 1 }
                continue
            }
            let row = rows[i]
            let isCurrent = row.label == current
            put(line(isCurrent ? " ▶" : "", row.label, cells(row)), isCurrent ? theme.accent : theme.text)
        }
        if !c.quantized.metrics.isFinite, y < rect.maxY {
            put(Format.fit(notFiniteNote(c.quantized.metrics), rect.width), theme.warning)
        }
        if rect.maxY - y >= 2 {
            put(Format.fit("RMSE/S is the error in units of the step S: rounding values spread over many steps", rect.width), theme.muted)
            put(Format.fit("gives 1/√12 ≈ 0.289 (1.00×); above means clipping, below that many sit on a level.", rect.width), theme.muted)
        }
    }

    /// What the table says instead of figures when some x̂ is not finite.
    static func notFiniteNote(_ m: ErrorMetrics) -> String {
        "not finite: \(Format.grouped(m.nonfiniteOutput)) of \(Format.grouped(m.finite)) dequantized values are ±inf/NaN (a scale overflowed)"
    }
}
