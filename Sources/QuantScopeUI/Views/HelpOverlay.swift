/// The `?` overlay: every key, from `KeyMap`, laid out for the terminal.
///
/// One column when it fits the height; two side by side when it does not
/// and the width allows; a long action wraps under itself instead of ending
/// in "…"; and whatever still does not fit (80×24, a projector) scrolls,
/// with the position and "more ↓" on the bottom border.
enum HelpOverlay {
    static let title = "Keys — Esc or ? closes"
    /// Two columns only when each keeps at least this width.
    static let minimumTwoColumnWidth = 56

    struct Line: Equatable {
        var text: String
        var heading: Bool
    }

    /// Where the help goes at one terminal size, and its lines as rows.
    struct Page: Equatable {
        var rect: Rect
        var columnWidth: Int
        /// Each row holds one line per column (the last column may run out).
        var rows: [[Line]]
        var visibleRows: Int
        var maxScroll: Int { max(0, rows.count - visibleRows) }
    }

    /// The layout for a `width`×`height` terminal (pure; the state machine
    /// uses it to clamp the scroll position).
    static func page(width: Int, height: Int) -> Page {
        let maxInnerWidth = max(1, width - 4), maxInnerHeight = max(1, height - 4)
        let keyWidth = KeyMap.sections.flatMap(\.entries).map { CellBuffer.width(of: $0.keys) }.max() ?? 0
        let natural = KeyMap.sections.flatMap(\.entries).map { 2 + keyWidth + 2 + CellBuffer.width(of: $0.action) }.max() ?? 0
        var columnWidth = min(natural, maxInnerWidth)
        var sections = KeyMap.sections.map { lines(of: $0, keyWidth: keyWidth, width: columnWidth) }
        var columns = [joined(sections)]
        if columns[0].count > maxInnerHeight && (maxInnerWidth - 3) / 2 >= minimumTwoColumnWidth {
            columnWidth = min(natural, (maxInnerWidth - 3) / 2)
            sections = KeyMap.sections.map { lines(of: $0, keyWidth: keyWidth, width: columnWidth) }
            columns = split(sections)
        }
        let rowCount = columns.map(\.count).max() ?? 0
        let rows = (0..<rowCount).map { r in columns.map { r < $0.count ? $0[r] : Line(text: "", heading: false) } }
        let innerWidth = columns.count * columnWidth + 3 * (columns.count - 1)
        let visible = min(rowCount, maxInnerHeight)
        let boxWidth = innerWidth + 2, boxHeight = visible + 2
        let rect = Rect(x: max(0, (width - boxWidth) / 2), y: max(0, (height - boxHeight) / 2), width: boxWidth, height: boxHeight)
        return Page(rect: rect, columnWidth: columnWidth, rows: rows, visibleRows: visible)
    }

    static func render(_ state: AppState, _ theme: Theme, _ buffer: inout CellBuffer) {
        let page = page(width: state.width, height: state.height)
        let top = min(max(state.helpScroll, 0), page.maxScroll)
        buffer.fill(page.rect, with: Cell(" ", style: theme.text))
        let scrolls = page.maxScroll > 0
        let hint = " · ↑↓ PgUp PgDn scroll"
        let title = scrolls && CellBuffer.width(of: title + hint) <= page.rect.width - 4 ? title + hint : title
        let inner = Box.draw(page.rect, title: title, focused: true, theme: theme, into: &buffer)
        for (r, row) in page.rows[top..<min(page.rows.count, top + inner.height)].enumerated() {
            for (c, line) in row.enumerated() {
                let x = inner.x + c * (page.columnWidth + 3)
                buffer.put(Format.fit(line.text, page.columnWidth), x: x, y: inner.y + r, style: line.heading ? theme.heading : theme.text)
            }
        }
        guard scrolls else { return }
        let last = top + inner.height
        let position = (top > 0 ? " ↑" : "") + " \(top + 1)–\(last) of \(page.rows.count)" + (last < page.rows.count ? " · more ↓ " : " ")
        let width = CellBuffer.width(of: position)
        if width <= page.rect.width - 4 {
            buffer.put(position, x: page.rect.maxX - 2 - width, y: page.rect.maxY - 1, style: theme.focusedBorder)
        }
    }

    /// A section's heading and entries at `width`: the keys in a column of
    /// `keyWidth`, the action after them, wrapped under itself when long.
    static func lines(of section: KeyMap.Section, keyWidth: Int, width: Int) -> [Line] {
        var out = [Line(text: section.title, heading: true)]
        let indent = 2 + keyWidth + 2
        for entry in section.entries {
            let keys = "  " + Format.fit(entry.keys, keyWidth) + "  "
            let room = width - indent
            guard room >= 12 else {
                out.append(Line(text: Format.fit(keys + entry.action, width), heading: false))
                continue
            }
            for (i, piece) in Format.wrap(entry.action, room).enumerated() {
                out.append(Line(text: (i == 0 ? keys : String(repeating: " ", count: indent)) + piece, heading: false))
            }
        }
        return out
    }

    /// Sections one after another, a blank line between them.
    static func joined(_ sections: [[Line]]) -> [Line] {
        sections.enumerated().flatMap { i, lines in (i > 0 ? [Line(text: "", heading: false)] : []) + lines }
    }

    /// Two columns: whole sections, the first column taking them until it
    /// holds about half the lines.
    static func split(_ sections: [[Line]]) -> [[Line]] {
        let total = joined(sections).count
        var cut = sections.count
        var count = 0
        for (i, section) in sections.enumerated() {
            let next = count + section.count + (i > 0 ? 1 : 0)
            if next >= (total + 1) / 2 {
                // Keep this section in the first column when that is closer to half.
                cut = abs(next - total / 2) <= abs(count - total / 2) ? i + 1 : max(i, 1)
                break
            }
            count = next
        }
        cut = min(max(cut, 1), sections.count - 1)
        return [joined(Array(sections[..<cut])), joined(Array(sections[cut...]))]
    }
}
