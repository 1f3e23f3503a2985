/// A terminal colour: the terminal's default, one of the 16 ANSI colours, or
/// one of the 256-colour palette.
public enum TerminalColor: Hashable, Sendable {
    case `default`
    /// 0–15: black, red, green, yellow, blue, magenta, cyan, white, then bright.
    case ansi(UInt8)
    /// 16–255 of the xterm 256-colour palette.
    case palette(UInt8)
}

/// How a cell is drawn: colours and attributes.
public struct Style: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var underline: Bool
    public var reverse: Bool
    public var dim: Bool

    public init(foreground: TerminalColor = .default, background: TerminalColor = .default, bold: Bool = false,
                underline: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.dim = dim
    }

    public static let plain = Style()

    public func with(bold: Bool? = nil, reverse: Bool? = nil, underline: Bool? = nil) -> Style {
        var s = self
        if let bold { s.bold = bold }
        if let reverse { s.reverse = reverse }
        if let underline { s.underline = underline }
        return s
    }
}
