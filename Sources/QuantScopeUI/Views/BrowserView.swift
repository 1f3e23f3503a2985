/// The tensor list: files, layer groups, tensors with their dtype.
enum BrowserView {
    static func render(_ state: AppState, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        let b = state.browser
        let count = b.rows.filter { $0.ref != nil }.count
        let title = b.editingFilter || !b.filter.isEmpty ? "/\(b.filter)\(b.editingFilter ? "▏" : "") (\(count))" : "Tensors (\(count))"
        let inner = Box.draw(rect, title: title, focused: state.focus == .browser, theme: theme, into: &buffer)
        guard inner.height > 0 else { return }
        var browser = b
        browser.scroll(visible: inner.height)
        for line in 0..<inner.height {
            let index = browser.top + line
            guard b.rows.indices.contains(index) else { break }
            let y = inner.y + line
            switch b.rows[index] {
            case .file(_, let name):
                buffer.put(Format.fit(name, inner.width), x: inner.x, y: y, style: theme.heading)
            case .group(let name):
                buffer.put(Format.fit(name, inner.width), x: inner.x, y: y, style: theme.muted)
            case .tensor(let ref, let label, let dtype, _, let decodable):
                let open = state.tensor?.ref == ref || state.loading == ref
                let marker = open ? "●" : " "
                let dtypeWidth = min(CellBuffer.width(of: dtype), 8)
                let nameWidth = max(0, inner.width - dtypeWidth - 3)
                let text = marker + " " + Format.fit(label, nameWidth) + " " + Format.fit(dtype, dtypeWidth, alignRight: true)
                var style = decodable ? theme.text : theme.muted
                if index == b.selected { style = state.focus == .browser ? theme.selected : style.with(reverse: true) }
                buffer.put(Format.fit(text, inner.width), x: inner.x, y: y, style: style)
            }
        }
    }
}
