/// An in-memory screen: every view renders into one, tests compare its
/// text, and the backend draws only the cells that changed since the last frame.
public struct CellBuffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// When true every write is turned into ASCII as it happens (box
    /// drawing to +-|, blocks to .:=#, and the hat of x̂ to a following ^),
    /// so text stays readable on terminals that are not UTF-8.
    public let ascii: Bool

    public init(width: Int, height: Int, ascii: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.ascii = ascii
        cells = [Cell](repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { (x >= 0 && x < width && y >= 0 && y < height) ? cells[y * width + x] : .blank }
        set {
            guard x >= 0 && x < width && y >= 0 && y < height else { return }
            var cell = newValue
            if ascii {
                cell.scalar = ASCIIFallback.scalar(for: cell.scalar)
                cell.mark = nil
            }
            cells[y * width + x] = cell
        }
    }

    /// Writes `text` from (x, y), clipped to `clip` (the whole screen by
    /// default); returns the column after the last cell written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        let area = clip ?? bounds
        guard y >= area.y && y < area.maxY else { return x + CellBuffer.width(of: text) }
        var column = x
        for scalar in text.unicodeScalars {
            if ascii && scalar.properties.generalCategory == .nonspacingMark {
                // x̂ becomes x^; other marks are dropped.
                if scalar == "\u{302}" {
                    if column >= area.x && column < area.maxX { self[column, y] = Cell("^", style: style) }
                    column += 1
                }
                continue
            }
            if scalar.properties.generalCategory == .nonspacingMark {
                // Combine with the cell just written (x + U+0302 = x̂).
                if column - 1 >= area.x && column - 1 < area.maxX { self[column - 1, y].mark = scalar }
                continue
            }
            if column >= area.x && column < area.maxX { self[column, y] = Cell(CellBuffer.printable(scalar), style: style) }
            column += 1
        }
        return column
    }

    /// A scalar the terminal shows as one visible cell: control and format
    /// characters (ESC, newline, BiDi overrides) that reached a view from a
    /// file become U+FFFD instead of acting on the terminal. Views show file
    /// strings through `DisplayText.sanitized`, which spells them out; this is
    /// the last line of defence for any text that did not.
    static func printable(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned: return "\u{FFFD}"
        default: return scalar
        }
    }

    /// The number of cells `text` takes (combining marks take none).
    public static func width(of text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.properties.generalCategory == .nonspacingMark ? 0 : 1) }
    }

    /// Fills a rectangle with one cell.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        for row in rect.y..<rect.maxY {
            for column in rect.x..<rect.maxX { self[column, row] = cell }
        }
    }

    /// Changes the style of cells already drawn (to highlight a span).
    public mutating func restyle(_ rect: Rect, _ change: (inout Style) -> Void) {
        for row in rect.y..<rect.maxY {
            for column in rect.x..<rect.maxX where column >= 0 && column < width && row >= 0 && row < height {
                change(&cells[row * width + column].style)
            }
        }
    }

    /// The screen's text, one string per row, trailing spaces kept.
    public var lines: [String] {
        (0..<height).map { row in
            var line = String.UnicodeScalarView()
            for column in 0..<width {
                let cell = cells[row * width + column]
                line.append(cell.scalar)
                if let mark = cell.mark { line.append(mark) }
            }
            return String(line)
        }
    }

    /// The text with trailing spaces trimmed and rows joined by newlines:
    /// what golden files hold.
    public var text: String {
        lines.map { line in
            var s = Substring(line)
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }.joined(separator: "\n")
    }

    /// Positions whose cells differ from `previous` (all of them when the size changed).
    public func changes(since previous: CellBuffer?) -> [Int] {
        guard let previous, previous.width == width, previous.height == height else { return Array(cells.indices) }
        return cells.indices.filter { cells[$0] != previous.cells[$0] }
    }
}
