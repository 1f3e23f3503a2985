/// Box drawing and block elements as shapes: drawn as font glyphs they leave
/// gaps between rows and depend on the viewer's fonts, drawn as lines and
/// rectangles they join up exactly at any zoom (docs/contract.md §14).
enum SVGGlyphs {
    /// A cell's rectangle in SVG units.
    struct Frame {
        var x: Double, y: Double, width: Double, height: Double
        var midX: Double { x + width / 2 }
        var midY: Double { y + height / 2 }
    }

    /// Line weights of an arm from the cell's centre: none, light, heavy, double.
    enum Weight: Int { case none = 0, light, heavy, double }

    /// The four arms (up, right, down, left) of a box-drawing character.
    static let arms: [Unicode.Scalar: [Weight]] = {
        let table: [Unicode.Scalar: [Int]] = [
            "─": [0, 1, 0, 1], "━": [0, 2, 0, 2], "│": [1, 0, 1, 0], "┃": [2, 0, 2, 0],
            "┌": [0, 1, 1, 0], "┐": [0, 0, 1, 1], "└": [1, 1, 0, 0], "┘": [1, 0, 0, 1],
            "┏": [0, 2, 2, 0], "┓": [0, 0, 2, 2], "┗": [2, 2, 0, 0], "┛": [2, 0, 0, 2],
            "├": [1, 1, 1, 0], "┤": [1, 0, 1, 1], "┬": [0, 1, 1, 1], "┴": [1, 1, 0, 1], "┼": [1, 1, 1, 1],
            "┣": [2, 2, 2, 0], "┫": [2, 0, 2, 2], "┳": [0, 2, 2, 2], "┻": [2, 2, 0, 2], "╋": [2, 2, 2, 2],
            "═": [0, 3, 0, 3], "║": [3, 0, 3, 0], "╔": [0, 3, 3, 0], "╗": [0, 0, 3, 3], "╚": [3, 3, 0, 0], "╝": [3, 0, 0, 3],
            "╧": [1, 3, 0, 3], "╤": [0, 3, 1, 3], "╪": [1, 3, 1, 3], "╞": [1, 3, 1, 0], "╡": [1, 0, 1, 3],
        ]
        return table.mapValues { $0.map { Weight(rawValue: $0) ?? .none } }
    }()

    /// Rounded corners: the two arms the arc joins (up/down, then right/left).
    static let arcs: [Unicode.Scalar: (vertical: Int, horizontal: Int)] = ["╭": (1, 1), "╮": (1, -1), "╰": (-1, 1), "╯": (-1, -1)]

    /// Whether `scalar` is drawn as lines.
    static func isBox(_ scalar: Unicode.Scalar) -> Bool { arms[scalar] != nil || arcs[scalar] != nil }

    /// Path data (for a stroke) of a box-drawing cell, per weight: light and
    /// double lines are drawn thin, heavy ones thick.
    static func boxPath(_ scalar: Unicode.Scalar, in f: Frame) -> (thin: String, thick: String) {
        if let arc = arcs[scalar] {
            let endY = arc.vertical > 0 ? f.y + f.height : f.y
            let endX = arc.horizontal > 0 ? f.x + f.width : f.x
            return ("M\(n(f.midX)) \(n(endY))Q\(n(f.midX)) \(n(f.midY)) \(n(endX)) \(n(f.midY))", "")
        }
        guard let arms = arms[scalar] else { return ("", "") }
        var thin = "", thick = ""
        let gap = f.width * 0.18
        let ends = [(f.midX, f.y), (f.x + f.width, f.midY), (f.midX, f.y + f.height), (f.x, f.midY)]
        for (i, weight) in arms.enumerated() where weight != .none {
            let (ex, ey) = ends[i]
            let vertical = i % 2 == 0
            switch weight {
            case .none: break
            case .light: thin += "M\(n(f.midX)) \(n(f.midY))L\(n(ex)) \(n(ey))"
            case .heavy: thick += "M\(n(f.midX)) \(n(f.midY))L\(n(ex)) \(n(ey))"
            case .double:
                for side in [-gap, gap] {
                    let (dx, dy) = vertical ? (side, 0.0) : (0.0, side)
                    thin += "M\(n(f.midX + dx)) \(n(f.midY + dy))L\(n(ex + dx)) \(n(ey + dy))"
                }
            }
        }
        return (thin, thick)
    }

    /// The filled rectangle (and its opacity) of a block element, or nil.
    static func block(_ scalar: Unicode.Scalar, in f: Frame) -> (Frame, opacity: Double)? {
        let v = scalar.value
        switch v {
        case 0x2580: return (Frame(x: f.x, y: f.y, width: f.width, height: f.height / 2), 1)
        case 0x2581...0x2588:
            let h = f.height * Double(v - 0x2580) / 8
            return (Frame(x: f.x, y: f.y + f.height - h, width: f.width, height: h), 1)
        case 0x2589...0x258F:
            return (Frame(x: f.x, y: f.y, width: f.width * Double(8 - (v - 0x2588)) / 8, height: f.height), 1)
        case 0x2590: return (Frame(x: f.midX, y: f.y, width: f.width / 2, height: f.height), 1)
        case 0x2591...0x2593: return (f, Double(v - 0x2590) / 4)
        case 0x2594: return (Frame(x: f.x, y: f.y, width: f.width, height: f.height / 8), 1)
        case 0x2595: return (Frame(x: f.x + f.width * 7 / 8, y: f.y, width: f.width / 8, height: f.height), 1)
        default: return nil
        }
    }

    /// Scalars a terminal draws two cells wide (CJK, fullwidth forms, emoji):
    /// squeezed into their one cell so the grid stays aligned.
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// A coordinate, with at most two decimals and no trailing zeros.
    static func n(_ value: Double) -> String {
        let r = (value * 100).rounded() / 100
        if r == r.rounded() { return String(Int(r)) }
        var s = String(r)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}
