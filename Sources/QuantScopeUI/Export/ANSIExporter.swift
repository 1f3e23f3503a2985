/// A screen as ANSI text (docs/contract.md §14): each cell's style as the
/// SGR sequence a terminal draws it with (bold, dim, underline, reverse,
/// the 16 colours as 30–37/90–97, the 256-colour palette as 38;5;N), a reset
/// at every line end, so `cat x.ansi` shows the screen in any terminal.
public enum ANSIExporter {
    static let escape = "\u{1B}["

    /// The text of `buffer` with its colours, one line per row, trailing
    /// unstyled blanks dropped.
    public static func export(_ buffer: CellBuffer) -> String {
        var out = ""
        for row in 0..<buffer.height {
            var last = buffer.width
            while last > 0, buffer[last - 1, row].scalar == " ", buffer[last - 1, row].style == .plain { last -= 1 }
            var current = Style.plain
            for column in 0..<last {
                let cell = buffer[column, row]
                if cell.style != current {
                    out += sgr(cell.style)
                    current = cell.style
                }
                out.unicodeScalars.append(cell.scalar)
                if let mark = cell.mark { out.unicodeScalars.append(mark) }
            }
            if current != .plain { out += escape + "0m" }
            out += "\n"
        }
        return out
    }

    /// The sequence that sets exactly `style`: a reset, then its attributes and colours.
    public static func sgr(_ style: Style) -> String {
        var codes = ["0"]
        if style.bold { codes.append("1") }
        if style.dim { codes.append("2") }
        if style.underline { codes.append("4") }
        if style.reverse { codes.append("7") }
        codes += color(style.foreground, base: 30, bright: 90, extended: 38)
        codes += color(style.background, base: 40, bright: 100, extended: 48)
        return escape + codes.joined(separator: ";") + "m"
    }

    private static func color(_ color: TerminalColor, base: Int, bright: Int, extended: Int) -> [String] {
        switch color {
        case .default: return []
        case .ansi(let n): return n < 8 ? ["\(base + Int(n))"] : ["\(bright + Int(n % 16) - 8)"]
        case .palette(let n): return ["\(extended)", "5", "\(n)"]
        }
    }
}
