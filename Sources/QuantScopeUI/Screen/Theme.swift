/// The styles of everything the explorer draws, by meaning: the same colour
/// always means the same thing, and every colour is paired with a glyph or an
/// attribute so nothing depends on colour alone (teaching, NO_COLOR).
public struct Theme: Sendable {
    public var text: Style
    public var muted: Style
    public var heading: Style
    public var accent: Style
    public var border: Style
    public var focusedBorder: Style
    public var topBar: Style
    public var statusBar: Style
    /// The element the cursor follows through every view.
    public var selected: Style
    /// The element that set its group's range (its |x| is the group's max).
    public var rangeSetter: Style
    /// Values beyond the clipping range, saturated to qmin/qmax.
    public var clipped: Style
    /// Histogram bars of the values.
    public var bar: Style
    /// The selected group's own histogram.
    public var groupBar: Style
    /// Quantization levels marked on an axis.
    public var level: Style
    public var good: Style
    public var warning: Style
    public var bad: Style
    /// The three fields of a float's bits.
    public var signBits: Style
    public var exponentBits: Style
    public var mantissaBits: Style
    /// Alternating nibbles of packed bytes, and the element's own nibble.
    public var nibbleLow: Style
    public var nibbleHigh: Style
    public var nibbleSelected: Style
    /// The Model view's heat map, five bands from the worst to the best
    /// (each cell also prints its number, so colour is never the only cue).
    public var heat: [Style]

    /// A theme for a terminal's colour depth.
    public static func forColors(_ colors: TerminalCapabilities.Colors) -> Theme {
        switch colors {
        case .palette256: return .palette256
        case .ansi: return .ansi
        case .none: return .monochrome
        }
    }

    /// 256 colours: soft but high-contrast on dark and light backgrounds.
    public static let palette256 = Theme(
        text: .plain, muted: Style(foreground: .palette(245)), heading: Style(bold: true),
        accent: Style(foreground: .palette(39), bold: true), border: Style(foreground: .palette(240)),
        focusedBorder: Style(foreground: .palette(39), bold: true),
        topBar: Style(foreground: .palette(231), background: .palette(24), bold: true),
        statusBar: Style(foreground: .palette(252), background: .palette(236)),
        selected: Style(foreground: .palette(16), background: .palette(220), bold: true),
        rangeSetter: Style(foreground: .palette(201), bold: true, underline: true),
        clipped: Style(foreground: .palette(196), bold: true),
        bar: Style(foreground: .palette(75)), groupBar: Style(foreground: .palette(214)),
        level: Style(foreground: .palette(120)), good: Style(foreground: .palette(77)),
        warning: Style(foreground: .palette(214)), bad: Style(foreground: .palette(203), bold: true),
        signBits: Style(foreground: .palette(203), bold: true), exponentBits: Style(foreground: .palette(75), bold: true),
        mantissaBits: Style(foreground: .palette(120), bold: true),
        nibbleLow: Style(foreground: .palette(117)), nibbleHigh: Style(foreground: .palette(222)),
        nibbleSelected: Style(foreground: .palette(16), background: .palette(220), bold: true),
        heat: [Style(foreground: .palette(196), bold: true), Style(foreground: .palette(208)), Style(foreground: .palette(220)),
               Style(foreground: .palette(148)), Style(foreground: .palette(40))])

    /// 8 colours.
    public static let ansi = Theme(
        text: .plain, muted: Style(dim: true), heading: Style(bold: true),
        accent: Style(foreground: .ansi(6), bold: true), border: Style(dim: true),
        focusedBorder: Style(foreground: .ansi(6), bold: true),
        topBar: Style(foreground: .ansi(7), background: .ansi(4), bold: true),
        statusBar: Style(reverse: true),
        selected: Style(foreground: .ansi(0), background: .ansi(3), bold: true),
        rangeSetter: Style(foreground: .ansi(5), bold: true, underline: true),
        clipped: Style(foreground: .ansi(1), bold: true),
        bar: Style(foreground: .ansi(4)), groupBar: Style(foreground: .ansi(3)), level: Style(foreground: .ansi(2)),
        good: Style(foreground: .ansi(2)), warning: Style(foreground: .ansi(3)), bad: Style(foreground: .ansi(1), bold: true),
        signBits: Style(foreground: .ansi(1), bold: true), exponentBits: Style(foreground: .ansi(4), bold: true),
        mantissaBits: Style(foreground: .ansi(2), bold: true),
        nibbleLow: Style(foreground: .ansi(6)), nibbleHigh: Style(foreground: .ansi(3)),
        nibbleSelected: Style(foreground: .ansi(0), background: .ansi(3), bold: true),
        heat: [Style(foreground: .ansi(1), bold: true), Style(foreground: .ansi(1)), Style(foreground: .ansi(3)),
               Style(foreground: .ansi(2)), Style(foreground: .ansi(2), bold: true)])

    /// No colour (NO_COLOR, --no-color): bold, underline, reverse and dim only.
    public static let monochrome = Theme(
        text: .plain, muted: Style(dim: true), heading: Style(bold: true), accent: Style(bold: true),
        border: .plain, focusedBorder: Style(bold: true), topBar: Style(reverse: true), statusBar: Style(reverse: true),
        selected: Style(reverse: true), rangeSetter: Style(bold: true, underline: true), clipped: Style(bold: true),
        bar: .plain, groupBar: Style(bold: true), level: Style(bold: true), good: .plain, warning: Style(bold: true),
        bad: Style(bold: true, underline: true), signBits: Style(bold: true, underline: true), exponentBits: Style(bold: true),
        mantissaBits: Style(underline: true), nibbleLow: .plain, nibbleHigh: Style(dim: true), nibbleSelected: Style(reverse: true),
        heat: [Style(bold: true, underline: true), Style(bold: true), .plain, Style(dim: true), Style(dim: true)])
}
