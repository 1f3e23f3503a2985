import Foundation
import QuantEngine

/// The Model view (docs/contract.md §11): the open file's weights as layers ×
/// roles, each cell printing its number and coloured in five bands between
/// the model's worst and best — SQNR under the current scheme, what the file
/// spends per weight, or SQNR against the `--against` original. It reads the
/// results the background job streamed into the state; it computes nothing.
enum ModelView {
    /// A cell's number, or why it has none.
    enum Value: Equatable {
        case pending
        /// The setting does not fit the tensor (a K-quant on 384 columns), or it has no counterpart.
        case none
        case number(Double)
    }

    static func render(_ state: AppState, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        let grid = state.model.grid
        let values = grid.cells.map { value(of: $0, state) }
        let lines = headline(state, values)
        for (i, line) in lines.enumerated() where i < rect.height {
            buffer.put(Format.fit(line.text, rect.width), x: rect.x, y: rect.y + i, style: line.style(theme))
        }
        guard !grid.cells.isEmpty else {
            if rect.height > 2 {
                buffer.put(Format.fit("no weights of rank ≥ 2 in this file: nothing to map", rect.width), x: rect.x, y: rect.y + 2, style: theme.muted)
            }
            return
        }
        let bands = HeatBands(values.compactMap { if case .number(let v) = $0 { return v } else { return nil } })
        let legendY = rect.y + lines.count
        if legendY < rect.maxY { legend(state, bands, rect, legendY, theme, &buffer) }

        // Header, rows, and the cursor's line at the bottom.
        let labelWidth = max(5, grid.rows.map { CellBuffer.width(of: $0) }.max() ?? 0) + 1
        let cellWidth = max(6, (grid.columns.map { CellBuffer.width(of: $0) }.max() ?? 0) + 1)
        let headerY = legendY + 1
        let visibleRows = max(0, rect.maxY - 1 - (headerY + 1))
        let visibleColumns = max(1, (rect.width - labelWidth) / cellWidth)
        var m = state.model
        m.scroll(rows: visibleRows, columns: visibleColumns)
        guard headerY < rect.maxY - 1 else { return }
        let shownColumns = m.left..<min(grid.columns.count, m.left + visibleColumns)
        var header = Format.fit("layer", labelWidth)
        for c in shownColumns { header += Format.fit(grid.columns[c], cellWidth, alignRight: true) }
        if shownColumns.upperBound < grid.columns.count { header += " →" }
        if m.left > 0 { header = "←" + header.dropFirst() }
        buffer.put(Format.fit(header, rect.width), x: rect.x, y: headerY, style: theme.heading)
        let byCell = Dictionary(uniqueKeysWithValues: zip(grid.cells, values).map { ($0.0.row * grid.columns.count + $0.0.column, $0.1) })
        for line in 0..<visibleRows {
            let r = m.top + line
            guard grid.rows.indices.contains(r) else { break }
            let y = headerY + 1 + line
            buffer.put(Format.fit(grid.rows[r], labelWidth), x: rect.x, y: y, style: theme.muted)
            for (i, c) in shownColumns.enumerated() {
                let x = rect.x + labelWidth + i * cellWidth
                let selected = r == m.row && c == m.column
                guard let v = byCell[r * grid.columns.count + c] else {
                    if selected { buffer.put(Format.fit("", cellWidth), x: x, y: y, style: theme.selected) }
                    continue
                }
                let text = Format.fit(spell(v, state.model.coloring), cellWidth - 1, alignRight: true)
                var style: Style
                switch v {
                case .number(let n): style = theme.heat[bands.band(of: n)]
                case .pending, .none: style = theme.muted
                }
                if selected { style = state.focus == .view && state.view == .model ? theme.selected : style.with(reverse: true) }
                buffer.put(" " + text, x: x, y: y, style: style)
            }
        }
        if let cell = m.selectedCell, rect.height > 4 {
            let v = byCell[cell.row * grid.columns.count + cell.column] ?? .pending
            buffer.put(Format.fit(detail(cell, v, state), rect.width), x: rect.x, y: rect.maxY - 1, style: theme.text)
        }
    }

    /// The number a cell shows under the current colouring.
    static func value(of cell: ModelGrid.Cell, _ state: AppState) -> Value {
        let m = state.model
        switch m.coloring {
        case .sqnr:
            guard let table = state.currentScan else { return .pending }
            if let r = table.results[cell.name] { return r.metrics.isFinite ? .number(r.metrics.sqnrDecibels) : .none }
            return table.skipped[cell.name] != nil ? .none : .pending
        case .storedBits:
            let checkpoint = state.files[m.file].checkpoint
            return .number(checkpoint.storedBitsPerWeight(of: checkpoint.tensors[cell.tensor]))
        case .diff:
            if let r = m.diffResults[cell.name] { return r.metrics.isFinite ? .number(r.metrics.sqnrDecibels) : .none }
            return m.diffSkipped[cell.name] != nil || m.diffComplete ? .none : .pending
        }
    }

    static func spell(_ v: Value, _ coloring: ModelViewState.Coloring) -> String {
        switch v {
        case .pending: return "·"
        case .none: return "—"
        case .number(let n):
            if n == .infinity { return "inf" }
            return String(format: coloring == .storedBits ? "%.2f" : "%.1f", n)
        }
    }

    struct Line {
        var text: String
        var emphasis = false
        func style(_ theme: Theme) -> Style { emphasis ? theme.heading : theme.muted }
    }

    /// What the map shows, how far its job got, and the worst weight.
    static func headline(_ state: AppState, _ values: [Value]) -> [Line] {
        let m = state.model, total = m.grid.cells.count
        let measured = values.filter { $0 != .pending }.count
        let running = state.background.map { running -> String in
            let p = state.backgroundProgress.map { " " + Format.percent($0) } ?? ""
            return " · \(running.label)\(p), Esc stops"
        } ?? ""
        switch m.coloring {
        case .sqnr:
            var text = "SQNR dB under \(state.scanKey) · \(measured)/\(total) weights"
            if let worst = state.currentScan?.worst { text += " · worst \(DisplayText.brief(worst.tensor)) \(spell(.number(worst.sqnr), .sqnr))" }
            return [Line(text: text + running, emphasis: true)]
        case .storedBits:
            let file = state.files[m.file].checkpoint
            let bits = m.grid.cells.reduce(0.0) { sum, cell in
                let info = file.tensors[cell.tensor]
                if case .number(let b) = value(of: cell, state) { return sum + b * Double(info.elementCount) }
                return sum
            }
            let elements = m.grid.cells.reduce(0) { $0 + file.tensors[$1.tensor].elementCount }
            return [Line(text: "bits per weight as stored, parameters included · \(total) weights · \(String(format: "%.3f", bits / Double(max(1, elements)))) bits/w over them"
                         + running, emphasis: true)]
        case .diff:
            let name = state.against.map { DisplayText.sanitized($0.name) } ?? "the original"
            let matched = m.grid.cells.filter { m.diffResults[$0.name] != nil }.count
            var text = "SQNR dB as stored against \(name) · \(matched)/\(total) matched"
            if let worst = m.diffResults.values.filter({ $0.metrics.isFinite }).min(by: { $0.metrics.sqnrDecibels < $1.metrics.sqnrDecibels }) {
                text += " · worst \(DisplayText.brief(worst.pair.quantized.name)) \(spell(.number(worst.metrics.sqnrDecibels), .diff))"
            }
            return [Line(text: text + running, emphasis: true)]
        }
    }

    /// The five bands' edges, and the keys.
    static func legend(_ state: AppState, _ bands: HeatBands, _ rect: Rect, _ y: Int, _ theme: Theme, _ buffer: inout CellBuffer) {
        var x = rect.x
        let unit = state.model.coloring == .storedBits ? "bits/w" : "dB"
        let digits = state.model.coloring == .storedBits ? "%.2f" : "%.1f"
        let labels = bands.edges.isEmpty ? [bands.count == 0 ? "no numbers yet" : "every number is inf (lossless)"] : (0..<5).map { i in
            i == 0 ? "<" + String(format: digits, bands.edges[0]) : (i == 4 ? "≥" + String(format: digits, bands.edges[3]) : String(format: digits, bands.edges[i - 1]) + "–")
        }
        for (i, label) in labels.enumerated() where !bands.edges.isEmpty {
            x = buffer.put("█", x: x, y: y, style: theme.heat[i], clip: rect)
            x = buffer.put(label + " ", x: x, y: y, style: theme.muted, clip: rect)
        }
        if bands.edges.isEmpty { x = buffer.put(labels[0] + " ", x: x, y: y, style: theme.muted, clip: rect) }
        let keys = "\(unit) · v colour by · Enter opens"
        if x + CellBuffer.width(of: keys) < rect.maxX { buffer.put(keys, x: x, y: y, style: theme.muted, clip: rect) }
    }

    /// The cursor's weight: name, shape, dtype, and its numbers.
    static func detail(_ cell: ModelGrid.Cell, _ v: Value, _ state: AppState) -> String {
        let info = state.files[state.model.file].checkpoint.tensors[cell.tensor]
        var text = "\(DisplayText.sanitized(cell.name)) \(Format.shape(info.shape)) \(DisplayText.brief(info.dtype))"
        switch state.model.coloring {
        case .sqnr:
            if let r = state.currentScan?.results[cell.name] {
                text += " · SQNR \(spell(.number(r.metrics.sqnrDecibels), .sqnr)) dB · \(String(format: "%.3f", r.cost.bitsPerWeight)) bits/w"
            } else if let why = state.currentScan?.skipped[cell.name] {
                text += " · " + DisplayText.brief(why)
            }
        case .storedBits:
            text += " · " + spell(v, .storedBits) + " bits/w"
        case .diff:
            if let r = state.model.diffResults[cell.name] {
                text += " · SQNR \(spell(.number(r.metrics.sqnrDecibels), .diff)) dB vs \(DisplayText.brief(r.pair.original.name))"
            } else if let why = state.model.diffSkipped[cell.name] {
                text += " · " + DisplayText.brief(why)
            }
        }
        return text
    }
}
