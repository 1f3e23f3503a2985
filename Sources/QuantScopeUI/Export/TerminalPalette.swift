/// Real colours for the terminal's colour numbers, for drawing a screen
/// outside a terminal (SVG export, docs/contract.md §14): the 16 ANSI
/// colours and the 256-colour cube and greys as xterm defines them, plus the
/// default foreground and background a terminal would have.
public struct TerminalPalette: Sendable, Equatable {
    /// A 24-bit colour.
    public struct RGB: Hashable, Sendable {
        public var red: UInt8, green: UInt8, blue: UInt8

        public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        /// `#rrggbb`.
        public var hex: String {
            "#" + [red, green, blue].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }

        /// `self` moved `fraction` of the way towards `other`.
        public func blended(towards other: RGB, _ fraction: Double) -> RGB {
            func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * fraction).rounded()) }
            return RGB(mix(red, other.red), mix(green, other.green), mix(blue, other.blue))
        }
    }

    public var foreground: RGB
    public var background: RGB

    /// Light text on a dark page, as most terminals (and slides of them) look.
    public static let dark = TerminalPalette(foreground: RGB(0xd4, 0xd4, 0xd4), background: RGB(0x1c, 0x1c, 0x1c))
    /// Black on white, for the colourless theme (`--no-color`) and print.
    public static let light = TerminalPalette(foreground: RGB(0x10, 0x10, 0x10), background: RGB(0xff, 0xff, 0xff))

    /// xterm's 16 ANSI colours.
    static let ansi16: [RGB] = [
        RGB(0x00, 0x00, 0x00), RGB(0xcd, 0x00, 0x00), RGB(0x00, 0xcd, 0x00), RGB(0xcd, 0xcd, 0x00),
        RGB(0x00, 0x00, 0xee), RGB(0xcd, 0x00, 0xcd), RGB(0x00, 0xcd, 0xcd), RGB(0xe5, 0xe5, 0xe5),
        RGB(0x7f, 0x7f, 0x7f), RGB(0xff, 0x00, 0x00), RGB(0x00, 0xff, 0x00), RGB(0xff, 0xff, 0x00),
        RGB(0x5c, 0x5c, 0xff), RGB(0xff, 0x00, 0xff), RGB(0x00, 0xff, 0xff), RGB(0xff, 0xff, 0xff),
    ]

    /// The colour a terminal shows for `color`, `fallback` for its default.
    public func rgb(_ color: TerminalColor, default fallback: RGB) -> RGB {
        switch color {
        case .default: return fallback
        case .ansi(let n): return TerminalPalette.ansi16[Int(n) % 16]
        case .palette(let n): return TerminalPalette.xterm256(n)
        }
    }

    /// Entry `n` of xterm's 256-colour palette: 16 ANSI colours, a 6×6×6 cube, 24 greys.
    public static func xterm256(_ n: UInt8) -> RGB {
        let n = Int(n)
        if n < 16 { return ansi16[n] }
        if n >= 232 {
            let level = UInt8(8 + 10 * (n - 232))
            return RGB(level, level, level)
        }
        let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
        let i = n - 16
        return RGB(levels[i / 36], levels[(i / 6) % 6], levels[i % 6])
    }

    /// The foreground and background a cell of `style` shows, reverse and dim applied.
    public func colors(of style: Style) -> (foreground: RGB, background: RGB) {
        var fg = rgb(style.foreground, default: foreground), bg = rgb(style.background, default: background)
        if style.reverse { swap(&fg, &bg) }
        if style.dim { fg = fg.blended(towards: bg, 0.4) }
        return (fg, bg)
    }
}
