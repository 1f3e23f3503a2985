@preconcurrency import Glibc

/// Puts the terminal back when the process dies from a signal — SIGTERM,
/// SIGINT, SIGHUP, or a crash — using only async-signal-safe calls: write the
/// precomputed reset bytes, restore the saved termios, then re-raise.
enum SignalRestorer {
    nonisolated(unsafe) static var resetBytes: UnsafeMutablePointer<UInt8>?
    nonisolated(unsafe) static var resetCount = 0
    nonisolated(unsafe) static var savedTermios = termios()
    nonisolated(unsafe) static var haveTermios = false
    nonisolated(unsafe) static var terminalFD: Int32 = 1
    nonisolated(unsafe) static var previous: [Int32: sigaction] = [:]

    static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]
    static let exitSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Saves the terminal state and installs the handlers.
    static func install(reset: [UInt8], fd: Int32) {
        terminalFD = fd
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(reset.count, 1))
        bytes.initialize(from: reset, count: reset.count)
        resetBytes = bytes
        resetCount = reset.count
        haveTermios = tcgetattr(fd, &savedTermios) == 0
        for signal in fatalSignals + exitSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in SignalRestorer.handle(signal) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous[signal] = old
        }
    }

    /// Puts back the handlers that were there before.
    static func uninstall() {
        for (signal, old) in previous {
            var action = old
            sigaction(signal, &action, nil)
        }
        previous = [:]
    }

    /// Writes the reset sequence and restores termios (safe in a handler).
    static func restoreTerminal() {
        if let bytes = resetBytes, resetCount > 0 { _ = write(terminalFD, bytes, resetCount) }
        if haveTermios { _ = tcsetattr(terminalFD, TCSANOW, &savedTermios) }
    }

    static func handle(_ signal: Int32) {
        restoreTerminal()
        if exitSignals.contains(signal) { _exit(128 + signal) }
        // A crash: let the default action (core dump, backtrace) happen.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = nil
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
        raise(signal)
    }
}
