/// A key the explorer understands, already decoded from the terminal's bytes.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
    /// Ctrl plus a letter (Ctrl-C is `.control("c")`).
    case control(Character)
}

/// A mouse action at a cell.
public struct MouseEvent: Hashable, Sendable {
    public enum Button: Hashable, Sendable { case left, scrollUp, scrollDown }
    public var x: Int
    public var y: Int
    public var button: Button

    public init(x: Int, y: Int, button: Button) {
        self.x = x
        self.y = y
        self.button = button
    }
}

/// What the terminal reports.
public enum InputEvent: Hashable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
}

/// What a terminal can show.
public struct TerminalCapabilities: Hashable, Sendable {
    public enum Colors: Hashable, Sendable { case none, ansi, palette256 }
    public var colors: Colors
    /// Whether non-ASCII glyphs (blocks, box drawing, ×) can be shown.
    public var unicode: Bool

    public init(colors: Colors, unicode: Bool) {
        self.colors = colors
        self.unicode = unicode
    }
}

/// The terminal as the explorer's loop sees it. `NcursesBackend` is the real
/// one; tests drive the loop with an in-memory one.
public protocol TerminalBackend: AnyObject {
    var width: Int { get }
    var height: Int { get }
    var capabilities: TerminalCapabilities { get }
    /// Waits up to `timeoutMilliseconds` for input; nil when none came.
    func nextEvent(timeoutMilliseconds: Int) -> InputEvent?
    /// Shows `buffer`, drawing only what changed since the last call.
    func present(_ buffer: CellBuffer)
    /// Restores the terminal as it was.
    func stop()
}
