extension NcursesTerminal {
    /// Why the explorer cannot take over this terminal: each says what to do,
    /// in one line (the CLI prints it and exits 1).
    public enum StartError: Error, CustomStringConvertible {
        case notATerminal(stream: String)
        case termUnset
        case unknownTerminal(String)
        case noTerminfoDatabase(String)
        case cannotAddressCursor(String)
        case cannotInitialise(term: String)

        static let otherwise = "the CLI commands (inspect, stats, quantize, …) work without one"

        public var description: String {
            switch self {
            case .notATerminal(let stream):
                return "the explorer needs a terminal and \(stream) is not one; run it in a terminal — \(Self.otherwise)"
            case .termUnset:
                return "TERM is not set, so the explorer cannot drive this terminal; set it (e.g. TERM=xterm-256color) — \(Self.otherwise)"
            case .unknownTerminal(let term):
                return "no terminfo entry for TERM=\(term); set TERM to your terminal (e.g. TERM=xterm-256color) — \(Self.otherwise)"
            case .noTerminfoDatabase(let term):
                return "no terminfo database found for TERM=\(term); install ncurses-base or set TERM=xterm-256color — \(Self.otherwise)"
            case .cannotAddressCursor(let term):
                return "TERM=\(term) cannot move the cursor, which the explorer needs; set TERM to your terminal (e.g. TERM=xterm-256color) — \(Self.otherwise)"
            case .cannotInitialise(let term):
                return "ncurses cannot start on TERM=\(term); try TERM=xterm-256color — \(Self.otherwise)"
            }
        }
    }
}
