@preconcurrency import CNcursesw
@preconcurrency import Glibc
import QuantScopeUI

/// The real terminal, through the system's ncursesw: the only code in
/// quantscope that calls ncurses.
///
/// It starts with `newterm` (not `initscr`, which exits by itself on a bad
/// TERM), draws only the cells that changed since the last frame, decodes
/// keys, mouse clicks and resizes, and restores the terminal on `stop()`, on
/// `exit()`, on SIGTERM/SIGINT/SIGHUP/SIGQUIT and on a crash (`SignalRestorer`).
public final class NcursesTerminal: TerminalBackend {
    public private(set) var capabilities: TerminalCapabilities
    private let screen: OpaquePointer
    private var previous: CellBuffer?
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private var stopped = false

    private struct PairKey: Hashable {
        var foreground: TerminalColor
        var background: TerminalColor
    }

    /// Takes over the terminal, after checking it can run the explorer.
    /// - Parameters:
    ///   - color: false for monochrome (`--no-color`, `NO_COLOR`).
    ///   - ascii: true to draw ASCII only even in a UTF-8 locale.
    /// - Throws: `StartError` when stdin/stdout is not a terminal or TERM
    ///   cannot address the cursor; the terminal is then untouched.
    public init(color: Bool, ascii: Bool = false) throws(StartError) {
        // ncurses draws on stdout's descriptor and sets that tty's modes.
        let fd = STDOUT_FILENO
        let reset = try TerminalProbe.check(fd: fd)
        // Follow the user's locale for what to draw; ncurses itself always gets
        // a UTF-8 LC_CTYPE (C.UTF-8 exists here) so its wide-char calls work.
        let userLocale = setlocale(LC_ALL, "").map { String(cString: $0) } ?? ""
        let userCType = setlocale(LC_CTYPE, nil).map { String(cString: $0) } ?? userLocale
        let unicode = !ascii && NcursesTerminal.isUTF8(userCType)
        if !NcursesTerminal.isUTF8(userCType) { _ = setlocale(LC_CTYPE, "C.UTF-8") }
        // Before newterm: it already changes the tty's modes.
        SignalRestorer.install(reset: reset, fd: fd)
        guard let screen = newterm(nil, stdout, stdin) else {
            SignalRestorer.restoreTerminal(leaveFullScreen: false)
            SignalRestorer.uninstall()
            throw StartError.cannotInitialise(term: TerminalProbe.printable(getenv("TERM").map { String(cString: $0) } ?? "unset"))
        }
        self.screen = screen
        set_term(screen)
        raw()
        noecho()
        keypad(qs_stdscr(), true)
        set_escdelay(60)
        curs_set(0)
        mousemask(qs_mouse_all(), nil)
        mouseinterval(0)
        var colors = TerminalCapabilities.Colors.none
        if color && has_colors() {
            start_color()
            use_default_colors()
            colors = qs_colors() >= 256 ? .palette256 : .ansi
        }
        capabilities = TerminalCapabilities(colors: colors, unicode: unicode)
    }

    deinit { stop() }

    static func isUTF8(_ locale: String) -> Bool {
        let l = locale.lowercased()
        return l.contains("utf-8") || l.contains("utf8")
    }

    public var width: Int { Int(qs_cols()) }
    public var height: Int { Int(qs_lines()) }

    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        wtimeout(qs_stdscr(), Int32(timeoutMilliseconds))
        var ch: wint_t = 0
        let kind = wget_wch(qs_stdscr(), &ch)
        if kind == ERR { return nil }
        if kind == KEY_CODE_YES {
            return functionKey(Int32(ch))
        }
        return characterKey(UInt32(ch))
    }

    private func functionKey(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_ENTER: return .key(.enter)
        case KEY_BTAB: return .key(.backTab)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_RESIZE:
            previous = nil
            clear()
            return .resize(width: width, height: height)
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let state = mmask_t(event.bstate)
            let button: MouseEvent.Button
            if state & (qs_button1_pressed() | qs_button1_clicked()) != 0 {
                button = .left
            } else if state & qs_button4_pressed() != 0 {
                button = .scrollUp
            } else if qs_button5_pressed() != 0 && state & qs_button5_pressed() != 0 {
                button = .scrollDown
            } else {
                return nil
            }
            return .mouse(MouseEvent(x: Int(event.x), y: Int(event.y), button: button))
        default:
            if code >= KEY_F0 && code <= KEY_F0 + 24 { return .key(.function(Int(code - KEY_F0))) }
            return nil
        }
    }

    private func characterKey(_ value: UInt32) -> InputEvent? {
        switch value {
        case 27: return .key(.escape)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 127, 8: return .key(.backspace)
        case 1...26:
            return .key(.control(Character(Unicode.Scalar(UInt8(96 + value)))))
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    public func present(_ buffer: CellBuffer) {
        if previous?.width != buffer.width || previous?.height != buffer.height {
            previous = nil
            clear()
        }
        let ascii = !capabilities.unicode
        for index in buffer.changes(since: previous) {
            let cell = buffer.cells[index]
            let y = Int32(index / buffer.width), x = Int32(index % buffer.width)
            // The bottom-right cell scrolls some terminals; ncurses handles it via insch, we skip it.
            if Int(y) == buffer.height - 1 && Int(x) == buffer.width - 1 { continue }
            let scalar = ascii ? ASCIIFallback.scalar(for: cell.scalar) : cell.scalar
            let mark = ascii ? nil : cell.mark
            _ = qs_put_cell(y, x, wchar_t(scalar.value), wchar_t(mark?.value ?? 0), attributes(cell.style), pair(for: cell.style))
        }
        previous = buffer
        refresh()
    }

    private func attributes(_ style: Style) -> attr_t {
        var a = qs_attr_normal()
        if style.bold { a |= qs_attr_bold() }
        if style.underline { a |= qs_attr_underline() }
        if style.reverse { a |= qs_attr_reverse() }
        if style.dim { a |= qs_attr_dim() }
        return a
    }

    private func pair(for style: Style) -> Int32 {
        guard capabilities.colors != .none else { return 0 }
        let key = PairKey(foreground: style.foreground, background: style.background)
        if key.foreground == .default && key.background == .default { return 0 }
        if let known = pairs[key] { return known }
        let number = nextPair
        nextPair += 1
        init_extended_pair(number, colorNumber(key.foreground), colorNumber(key.background))
        pairs[key] = number
        return number
    }

    private func colorNumber(_ color: TerminalColor) -> Int32 {
        switch color {
        case .default: return -1
        case .ansi(let n): return Int32(capabilities.colors == .ansi ? n % 8 : n)
        case .palette(let n): return capabilities.colors == .palette256 ? Int32(n) : Int32(n % 8)
        }
    }

    /// Gives the terminal back: ncurses' `endwin`, then the tty modes saved
    /// before `newterm`, written last.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        mousemask(0, nil)
        curs_set(1)
        endwin()
        delscreen(screen)
        SignalRestorer.restoreTerminal(leaveFullScreen: false)
        SignalRestorer.uninstall()
    }
}
