import QuantEngine

/// The tour's lesson panel (docs/contract.md §15): the lesson's title and
/// place in its border, the scene's text, the keys to try, and the tour's
/// own keys along the bottom edge.
///
/// ```
///  ╭ Tour 3/10 · Symmetric vs asymmetric · 1 of 2 ──────────────────────╮
///  │Symmetric (A) centres the grid on 0: Z = 0 and only S is stored. …   │
///  │try  X: swap A and B · L: log scale · + −: bits of A                 │
///  ╰ PgDn next · PgUp back · 1…9 0 lesson · T leave ─────────────────────╯
/// ```
enum TourPanel {
    /// The panel's lines (text and the try line) at the state's width.
    static func lines(_ state: AppState) -> [(text: String, isTry: Bool)] {
        guard let tour = state.tour else { return [] }
        let width = max(10, textWidth(state))
        let scene = tour.current
        var out: [(String, Bool)] = []
        for paragraph in scene.text {
            // A paragraph that starts with two spaces is a formula: kept as written.
            if paragraph.hasPrefix("  ") { out.append((Format.fit(paragraph, width), false)); continue }
            out += Format.wrap(paragraph, width).map { ($0, false) }
        }
        out += Format.wrap("try  " + scene.tryKeys, width).map { ($0, true) }
        return out
    }

    /// How many rows the panel's text takes (its border adds two).
    static func lineCount(_ state: AppState) -> Int { lines(state).count }

    /// The text width inside the panel's border.
    static func textWidth(_ state: AppState) -> Int {
        (state.width >= Layout.tourSideBySideWidth ? Layout.tourPanelWidth(width: state.width) : state.width) - 2
    }

    static func render(_ state: AppState, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        guard let tour = state.tour else { return }
        let lesson = tour.currentLesson
        var title = "Tour \(tour.lesson + 1)/\(TourLessons.all.count) · \(lesson.title)"
        if lesson.scenes.count > 1 { title += " · \(tour.scene + 1) of \(lesson.scenes.count)" }
        let inner = Box.draw(rect, title: title, focused: true, theme: theme, into: &buffer)
        guard inner.height > 0 else { return }
        let all = lines(state)
        for (row, line) in all.prefix(inner.height).enumerated() {
            let style = line.isTry ? theme.accent : (line.text.hasPrefix("  ") ? theme.heading : theme.text)
            buffer.put(Format.fit(line.text, inner.width), x: inner.x, y: inner.y + row, style: style)
        }
        if all.count > inner.height, inner.height > 0 {
            buffer.put(Format.fit("… (a taller window shows the rest)", inner.width), x: inner.x, y: inner.maxY - 1, style: theme.muted)
        }
        let keys = " PgDn next · PgUp back · 1…9 0 lesson · T leave "
        if rect.width > 6 {
            buffer.put(Format.fit(keys, rect.width - 4), x: rect.x + 2, y: rect.maxY - 1, style: theme.focusedBorder)
        }
    }
}
