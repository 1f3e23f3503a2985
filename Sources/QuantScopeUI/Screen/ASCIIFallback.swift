/// ASCII stand-ins for the glyphs quantscope draws, for terminals whose
/// locale is not UTF-8 (and for `--ascii`).
public enum ASCIIFallback {
    /// The ASCII scalar drawn instead of `scalar` (itself when already ASCII).
    public static func scalar(for scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.isASCII { return scalar }
        return table[scalar] ?? "?"
    }

    /// The whole text of a buffer as an ASCII terminal shows it.
    public static func text(_ buffer: CellBuffer) -> String {
        String(String.UnicodeScalarView(buffer.text.unicodeScalars
            .filter { $0.properties.generalCategory != .nonspacingMark }
            .map { scalar(for: $0) }))
    }

    static let table: [Unicode.Scalar: Unicode.Scalar] = [
        // Eighth blocks, bottom to top, then shades.
        "▁": ".", "▂": ".", "▃": ":", "▄": ":", "▅": "=", "▆": "=", "▇": "#", "█": "#",
        "░": ".", "▒": ":", "▓": "#", "▏": "|", "▕": "|", "▌": "|", "▐": "|",
        "▎": "|", "▍": "|", "▋": "|", "▊": "|", "▉": "#",
        // Box drawing.
        "─": "-", "━": "=", "│": "|", "┃": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+",
        "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "╭": "+", "╮": "+", "╰": "+", "╯": "+",
        "═": "=", "║": "|", "╔": "+", "╗": "+", "╚": "+", "╝": "+",
        "┏": "+", "┓": "+", "┗": "+", "┛": "+", "┣": "+", "┫": "+", "┳": "+", "┻": "+", "╋": "+",
        "╧": "+", "╤": "+", "╪": "+", "╞": "+", "╡": "+", "┊": ":", "┆": ":", "╎": ":", "┄": "-", "┈": "-",
        // Arrows and markers.
        "→": ">", "←": "<", "↑": "^", "↓": "v", "▲": "^", "▼": "v", "◀": "<", "▶": ">", "●": "*", "•": "*",
        "◆": "*", "·": ".", "…": "~", "⇒": ">", "↦": ">",
        // Mathematics.
        "×": "x", "−": "-", "≈": "~", "√": "V", "≤": "<", "≥": ">", "±": "+", "∞": "i", "Σ": "E", "μ": "u",
        "σ": "s", "α": "a", "ᵀ": "T", "²": "2", "⁻": "-", "¹": "1", "⋯": "~", "‖": "|",
        // Spinner.
        "⠋": "|", "⠙": "/", "⠹": "-", "⠸": "\\", "⠼": "|", "⠴": "/", "⠦": "-", "⠧": "\\", "⠇": "|", "⠏": "/",
    ]
}
