@preconcurrency import CNcursesw
@preconcurrency import Glibc

/// Decides, before anything about the terminal is changed, whether the
/// explorer can run in it, and reads the bytes that leave full-screen mode.
///
/// ncurses' `newterm` accepts TERM=dumb and then draws garbage (no cursor
/// addressing); it fails only for an unknown TERM. Loading the terminfo
/// entry first with `setupterm` lets every case get its own one-line reason.
enum TerminalProbe {
    /// Checks stdin and `fd` are terminals and TERM can address the cursor.
    /// - Parameter fd: the descriptor ncurses will draw on (stdout).
    /// - Returns: rmcup, cnorm and sgr0 of this terminal, then mouse-off.
    /// - Throws: `NcursesTerminal.StartError` naming what is missing.
    static func check(fd: Int32) throws(NcursesTerminal.StartError) -> [UInt8] {
        guard isatty(STDIN_FILENO) == 1 else { throw .notATerminal(stream: "stdin") }
        guard isatty(fd) == 1 else { throw .notATerminal(stream: "stdout") }
        guard let raw = getenv("TERM"), raw.pointee != 0 else { throw .termUnset }
        let term = printable(String(cString: raw))
        switch qs_load_terminfo(fd) {
        case 1: break
        case 0: throw .unknownTerminal(term)
        case 2: throw .cannotAddressCursor(term)
        default: throw .noTerminfoDatabase(term)
        }
        defer { qs_unload_terminfo() }
        guard capability("cup") != nil else { throw .cannotAddressCursor(term) }
        var bytes: [UInt8] = []
        for name in ["rmcup", "cnorm", "sgr0"] { bytes += capability(name) ?? [] }
        return bytes + Array("\u{1b}[?1000l\u{1b}[?1002l\u{1b}[?1003l\u{1b}[?1006l".utf8)
    }

    /// A string capability of the loaded entry; nil when it is absent.
    static func capability(_ name: String) -> [UInt8]? {
        // tigetstr answers NULL for an absent capability and (char *)-1 for a
        // name that is not a string capability.
        guard let start = tigetstr(name), Int(bitPattern: start) > 0 else { return nil }
        var bytes: [UInt8] = []
        var p = start
        while p.pointee != 0 { bytes.append(UInt8(bitPattern: p.pointee)); p += 1 }
        return bytes
    }

    /// TERM as it may be printed: control characters become `?`, at most 40 characters.
    static func printable(_ text: String) -> String {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
        return cleaned.count > 40 ? String(cleaned.prefix(39)) + "…" : cleaned
    }
}
