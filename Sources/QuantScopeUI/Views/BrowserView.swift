/// The tensor list: files, layer groups, tensors with their dtype (and,
/// with `e`, their SQNR under the current scheme). A name
/// too long for the column is cut in the middle, keeping its distinguishing
/// end; a filter that matches nothing says so where the list would be.
enum BrowserView {
    static func render(_ state: AppState, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        let b = state.browser
        let count = b.rows.filter { $0.ref != nil }.count
        let title = b.editingFilter || !b.filter.isEmpty ? "/\(b.filter)\(b.editingFilter ? "▏" : "") (\(count))" : "Tensors (\(count))"
        let inner = Box.draw(rect, title: title, focused: state.focus == .browser, theme: theme, into: &buffer)
        guard inner.height > 0 else { return }
        if b.rows.isEmpty && !b.filter.isEmpty {
            buffer.put(Format.fitMiddle("no matches for '\(b.filter)'", inner.width), x: inner.x, y: inner.y, style: theme.warning)
            if inner.height > 1 {
                let hint = b.editingFilter ? "Backspace edits, Esc clears" : "Esc or / clears"
                buffer.put(Format.fit(hint, inner.width), x: inner.x, y: inner.y + 1, style: theme.muted)
            }
            return
        }
        var browser = b
        browser.scroll(visible: inner.height)
        for line in 0..<inner.height {
            let index = browser.top + line
            guard b.rows.indices.contains(index) else { break }
            let y = inner.y + line
            switch b.rows[index] {
            case .file(_, let name):
                buffer.put(Format.fitMiddle(name, inner.width), x: inner.x, y: y, style: theme.heading)
            case .group(let name):
                buffer.put(Format.fitMiddle(name, inner.width), x: inner.x, y: y, style: theme.muted)
            case .tensor(let ref, let label, let dtype, _, let decodable):
                let open = state.tensor?.ref == ref || state.loading == ref
                let marker = open ? "●" : " "
                let dtypeWidth = min(CellBuffer.width(of: dtype), 8)
                let column = state.model.showsErrorColumn ? errorColumn(state, ref) : ""
                let nameWidth = max(0, inner.width - dtypeWidth - 3 - CellBuffer.width(of: column))
                let text = marker + " " + Format.fitMiddle(label, nameWidth) + column + " " + Format.fit(dtype, dtypeWidth, alignRight: true)
                var style = decodable ? theme.text : theme.muted
                if index == b.selected { style = state.focus == .browser ? theme.selected : style.with(reverse: true) }
                buffer.put(Format.fit(text, inner.width), x: inner.x, y: y, style: style)
            }
        }
    }

    /// The `e` column: the tensor's SQNR under the current scheme, from the
    /// whole-model scan (`·` until it is measured, `—` when the scheme does
    /// not fit it or it is not a weight the scan covers).
    static func errorColumn(_ state: AppState, _ ref: TensorRef) -> String {
        let width = 6
        guard ref.file == state.model.file else { return String(repeating: " ", count: width) }
        let name = state.files[ref.file].checkpoint.tensors[ref.tensor].name
        let text: String
        if let r = state.currentScan?.results[name] {
            text = ModelView.spell(r.metrics.isFinite ? .number(r.metrics.sqnrDecibels) : .none, .sqnr)
        } else if state.currentScan?.skipped[name] != nil || state.model.grid.position(ofTensor: ref.tensor) == nil {
            text = "—"
        } else {
            text = "·"
        }
        return text.rightAligned(width)
    }
}
