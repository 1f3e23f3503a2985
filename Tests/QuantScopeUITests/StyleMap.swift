@testable import QuantScopeUI

/// Style goldens: which semantic style each cell was drawn in.
///
/// `theme` gives every `Theme` field its own foreground (palette 16, 17, …)
/// and nothing else, so a cell's foreground names the field it came from,
/// whatever bold/reverse a view adds. `map` writes one character per cell:
///
/// ```
///  ' ' text or untouched   m muted        H heading      A accent
///  b border                F focused box  T top bar      U status bar
///  S selected              R range setter C clipped      # bar
///  G group bar             L level        + good         W warning
///  X bad                   s sign bits    e exponent     n mantissa
///  l low nibble            h high nibble  N selected nibble   ? other
///  1…5 heat map bands, worst to best
/// ```
enum StyleMap {
    /// The fields in palette order, with their characters.
    static var fields: [(WritableKeyPath<Theme, Style>, Character)] { [
        (\.text, " "), (\.muted, "m"), (\.heading, "H"), (\.accent, "A"), (\.border, "b"), (\.focusedBorder, "F"),
        (\.topBar, "T"), (\.statusBar, "U"), (\.selected, "S"), (\.rangeSetter, "R"), (\.clipped, "C"), (\.bar, "#"),
        (\.groupBar, "G"), (\.level, "L"), (\.good, "+"), (\.warning, "W"), (\.bad, "X"), (\.signBits, "s"),
        (\.exponentBits, "e"), (\.mantissaBits, "n"), (\.nibbleLow, "l"), (\.nibbleHigh, "h"), (\.nibbleSelected, "N"),
        (\.heat[0], "1"), (\.heat[1], "2"), (\.heat[2], "3"), (\.heat[3], "4"), (\.heat[4], "5"),
    ] }

    static let theme: Theme = {
        var t = Theme.monochrome
        for (i, (field, _)) in fields.enumerated() { t[keyPath: field] = Style(foreground: .palette(UInt8(16 + i))) }
        return t
    }()

    /// One line per row, one character per cell.
    static func map(_ buffer: CellBuffer) -> String {
        let fields = fields
        return (0..<buffer.height).map { y in
            String((0..<buffer.width).map { x -> Character in
                switch buffer[x, y].style.foreground {
                case .default: return " "
                case .palette(let p) where Int(p) >= 16 && Int(p) < 16 + fields.count: return fields[Int(p) - 16].1
                default: return "?"
                }
            })
        }.joined(separator: "\n")
    }
}
