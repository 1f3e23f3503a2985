/// A bordered panel with a title in its top edge.
public enum Box {
    /// Draws the border of `rect` and returns the area inside it.
    @discardableResult
    public static func draw(_ rect: Rect, title: String, focused: Bool, theme: Theme, into buffer: inout CellBuffer) -> Rect {
        guard rect.width >= 2 && rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let style = focused ? theme.focusedBorder : theme.border
        let horizontal: Unicode.Scalar = focused ? "━" : "─", vertical: Unicode.Scalar = focused ? "┃" : "│"
        let corners: [Unicode.Scalar] = focused ? ["┏", "┓", "┗", "┛"] : ["╭", "╮", "╰", "╯"]
        for x in rect.x..<rect.maxX {
            buffer[x, rect.y] = Cell(horizontal, style: style)
            buffer[x, rect.maxY - 1] = Cell(horizontal, style: style)
        }
        for y in rect.y..<rect.maxY {
            buffer[rect.x, y] = Cell(vertical, style: style)
            buffer[rect.maxX - 1, y] = Cell(vertical, style: style)
        }
        buffer[rect.x, rect.y] = Cell(corners[0], style: style)
        buffer[rect.maxX - 1, rect.y] = Cell(corners[1], style: style)
        buffer[rect.x, rect.maxY - 1] = Cell(corners[2], style: style)
        buffer[rect.maxX - 1, rect.maxY - 1] = Cell(corners[3], style: style)
        if !title.isEmpty && rect.width > 4 {
            let text = " " + Format.fit(title, rect.width - 4) + " "
            buffer.put(text, x: rect.x + 1, y: rect.y, style: focused ? theme.focusedBorder : theme.heading)
        }
        return rect.inset(1)
    }
}
