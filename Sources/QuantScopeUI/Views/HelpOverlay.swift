/// The `?` overlay: every key, from `KeyMap`.
enum HelpOverlay {
    static func render(_ state: AppState, _ theme: Theme, _ buffer: inout CellBuffer) {
        var lines: [(String, Style)] = []
        for section in KeyMap.sections {
            lines.append((section.title, theme.heading))
            for e in section.entries { lines.append(("  " + Format.fit(e.keys, 20) + " " + e.action, theme.text)) }
        }
        let twoColumns = lines.count + 4 > state.height && state.width >= 120
        let columnWidth = 66
        let perColumn = twoColumns ? (lines.count + 1) / 2 : lines.count
        let width = min(state.width - 2, twoColumns ? columnWidth * 2 + 3 : columnWidth + 2)
        let height = min(state.height - 2, perColumn + 3)
        let rect = Rect(x: (state.width - width) / 2, y: max(0, (state.height - height) / 2), width: width, height: height)
        buffer.fill(rect, with: Cell(" ", style: theme.text))
        let inner = Box.draw(rect, title: "Keys — Esc or ? closes", focused: true, theme: theme, into: &buffer)
        for (i, (text, style)) in lines.enumerated() {
            let column = twoColumns ? i / perColumn : 0
            let row = twoColumns ? i % perColumn : i
            guard row < inner.height else { continue }
            let x = inner.x + column * (columnWidth + 1)
            buffer.put(Format.fit(text, min(columnWidth, inner.maxX - x)), x: x, y: inner.y + row, style: style)
        }
    }
}
