/// A screen as an SVG picture (docs/contract.md §14), for slides: the cell
/// grid at 10×20 units per cell, each run of same-style text one `<text>`
/// in a monospace font stretched to its exact cells (`textLength`), the
/// backgrounds as rectangles, box drawing as lines and block elements as
/// rectangles (`SVGGlyphs`), and every colour the theme used as a CSS class
/// of a real RGB value. It holds the screen's text, so it can be searched
/// and copied from.
public enum SVGExporter {
    public static let cellWidth = 10.0
    public static let cellHeight = 20.0
    static let fontSize = 16.0
    /// The text baseline below a row's top: the glyphs centred in the cell.
    static let baseline = 15.0
    static let fontFamily = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace"

    /// The SVG document of `buffer`.
    /// - Parameters:
    ///   - palette: the default colours and the page (dark, or light without colours).
    ///   - title: the picture's `<title>` (what it shows), if any.
    public static func export(_ buffer: CellBuffer, palette: TerminalPalette = .dark, title: String? = nil) -> String {
        var colors = ColorTable()
        var backgrounds = "", blocks = "", texts = ""
        var strokes: [StrokeKey: String] = [:]
        for row in 0..<buffer.height {
            let y = Double(row) * cellHeight
            backgrounds += backgroundRects(buffer, row: row, palette: palette, colors: &colors)
            var run: Run?
            func flush() {
                if let r = run, let element = r.element(y: y, colors: &colors) { texts += element }
                run = nil
            }
            for column in 0..<buffer.width {
                let cell = buffer[column, row]
                let fg = palette.colors(of: cell.style).foreground
                let frame = SVGGlyphs.Frame(x: Double(column) * cellWidth, y: y, width: cellWidth, height: cellHeight)
                if let (rect, opacity) = SVGGlyphs.block(cell.scalar, in: frame) {
                    flush()
                    blocks += "<rect x=\"\(n(rect.x))\" y=\"\(n(rect.y))\" width=\"\(n(rect.width))\" height=\"\(n(rect.height))\" class=\"f\(colors.index(fg))\""
                        + (opacity < 1 ? " opacity=\"\(n(opacity))\"" : "") + "/>\n"
                } else if SVGGlyphs.isBox(cell.scalar) {
                    flush()
                    let (thin, thick) = SVGGlyphs.boxPath(cell.scalar, in: frame)
                    strokes[StrokeKey(color: colors.index(fg), thick: false), default: ""] += thin
                    strokes[StrokeKey(color: colors.index(fg), thick: true), default: ""] += thick
                } else if SVGGlyphs.isWide(cell.scalar) {
                    flush()
                    run = Run(column: column, key: TextKey(cell.style, fg), squeeze: true)
                    run?.append(cell, column: column)
                    flush()
                } else if cell.scalar == " " && !cell.style.underline {
                    run?.appendSpace()
                } else {
                    let key = TextKey(cell.style, fg)
                    if run?.key != key {
                        flush()
                        run = Run(column: column, key: key, squeeze: false)
                    }
                    run?.append(cell, column: column)
                }
            }
            flush()
        }
        let width = n(Double(buffer.width) * cellWidth), height = n(Double(buffer.height) * cellHeight)
        var svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\""
        svg += " font-family=\"\(fontFamily)\" font-size=\"\(n(fontSize))\" xml:space=\"preserve\">\n"
        if let title { svg += "<title>\(escaped(title))</title>\n" }
        let page = colors.index(palette.background)
        svg += "<style>\ntext{white-space:pre}\n" + colors.css + "</style>\n"
        svg += "<rect width=\"\(width)\" height=\"\(height)\" class=\"f\(page)\"/>\n"
        svg += "<g>\n" + backgrounds + "</g>\n<g>\n" + blocks + "</g>\n"
        svg += "<g fill=\"none\" stroke-linecap=\"square\">\n"
        for (key, d) in strokes.sorted(by: { ($0.key.color, $0.key.thick ? 1 : 0) < ($1.key.color, $1.key.thick ? 1 : 0) }) where !d.isEmpty {
            svg += "<path class=\"s\(key.color)\" stroke-width=\"\(key.thick ? "2.6" : "1.2")\" d=\"\(d)\"/>\n"
        }
        svg += "</g>\n<g>\n" + texts + "</g>\n</svg>\n"
        return svg
    }

    /// One rectangle per run of cells whose background is not the page's.
    static func backgroundRects(_ buffer: CellBuffer, row: Int, palette: TerminalPalette, colors: inout ColorTable) -> String {
        var out = ""
        var column = 0
        while column < buffer.width {
            let bg = palette.colors(of: buffer[column, row].style).background
            var end = column + 1
            while end < buffer.width, palette.colors(of: buffer[end, row].style).background == bg { end += 1 }
            if bg != palette.background {
                out += "<rect x=\"\(n(Double(column) * cellWidth))\" y=\"\(n(Double(row) * cellHeight))\" width=\"\(n(Double(end - column) * cellWidth))\""
                    + " height=\"\(n(cellHeight))\" class=\"f\(colors.index(bg))\"/>\n"
            }
            column = end
        }
        return out
    }

    /// `text` with XML's special characters escaped, and characters XML
    /// cannot hold at all (controls, U+FFFE, U+FFFF) as U+FFFD.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = scalar.value
                let allowed = v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }

    static func n(_ value: Double) -> String { SVGGlyphs.n(value) }

    struct StrokeKey: Hashable {
        var color: Int
        var thick: Bool
    }

    /// What makes two cells' text drawable as one `<text>`.
    struct TextKey: Equatable {
        var color: TerminalPalette.RGB
        var bold: Bool
        var underline: Bool

        init(_ style: Style, _ color: TerminalPalette.RGB) {
            self.color = color
            bold = style.bold
            underline = style.underline
        }
    }

    /// Cells being gathered into one `<text>`.
    struct Run {
        var column: Int
        var key: TextKey
        /// A wide glyph: squeezed into its one cell.
        var squeeze: Bool
        var text = String.UnicodeScalarView()
        var pendingSpaces = 0
        var lastColumn = 0

        init(column: Int, key: TextKey, squeeze: Bool) {
            self.column = column
            self.key = key
            self.squeeze = squeeze
            lastColumn = column
        }

        mutating func append(_ cell: Cell, column: Int) {
            text.append(contentsOf: String(repeating: " ", count: pendingSpaces).unicodeScalars)
            pendingSpaces = 0
            text.append(cell.scalar)
            if let mark = cell.mark { text.append(mark) }
            lastColumn = column
        }

        mutating func appendSpace() { pendingSpaces += 1 }

        func element(y: Double, colors: inout ColorTable) -> String? {
            guard !text.isEmpty else { return nil }
            let cells = Double(lastColumn - column + 1)
            var attributes = "x=\"\(n(Double(column) * cellWidth))\" y=\"\(n(y + baseline))\" class=\"f\(colors.index(key.color))\""
            attributes += " textLength=\"\(n(cells * cellWidth))\" lengthAdjust=\"\(squeeze ? "spacingAndGlyphs" : "spacing")\""
            if key.bold { attributes += " font-weight=\"bold\"" }
            if key.underline { attributes += " text-decoration=\"underline\"" }
            return "<text \(attributes)>\(escaped(String(text)))</text>\n"
        }
    }

    /// The colours used, numbered in order of first use: `.fN` fills and `.sN` strokes.
    struct ColorTable {
        private(set) var colors: [TerminalPalette.RGB] = []
        private var indices: [TerminalPalette.RGB: Int] = [:]

        mutating func index(_ color: TerminalPalette.RGB) -> Int {
            if let i = indices[color] { return i }
            indices[color] = colors.count
            colors.append(color)
            return colors.count - 1
        }

        var css: String {
            colors.enumerated().map { ".f\($0.offset){fill:\($0.element.hex)}.s\($0.offset){stroke:\($0.element.hex)}\n" }.joined()
        }
    }
}
