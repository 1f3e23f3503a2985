@preconcurrency import Glibc

/// Gives the terminal back exactly as the shell had it, however the process
/// ends: `stop()`, `exit()`, SIGTERM/SIGINT/SIGHUP, or a crash.
///
/// The tty modes are read by `install` BEFORE ncurses changes them (newterm
/// already turns echo and CR mapping off), and writing them back is the last
/// thing done. A handler uses only async-signal-safe calls and fixed storage:
/// it writes the precomputed reset bytes, restores the saved termios, puts
/// back the handler that was installed before it (a crash reporter, the
/// CLI's SIGBUS message, or the default action) and re-raises, so that one
/// still runs — after the terminal is usable again.
enum SignalRestorer {
    nonisolated(unsafe) static var resetBytes: UnsafeMutablePointer<UInt8>?
    nonisolated(unsafe) static var resetCount = 0
    nonisolated(unsafe) static var savedTermios = termios()
    nonisolated(unsafe) static var haveTermios = false
    nonisolated(unsafe) static var terminalFD: Int32 = 1
    /// True between `install` and `uninstall`: the terminal is ours to restore.
    nonisolated(unsafe) static var active = false
    nonisolated(unsafe) static var atexitRegistered = false
    /// The action each signal had before `install`, indexed by signal number.
    nonisolated(unsafe) static var previous = UnsafeMutablePointer<sigaction>.allocate(capacity: signalSlots)
    nonisolated(unsafe) static var caught = UnsafeMutablePointer<Bool>.allocate(capacity: signalSlots)

    static let signalSlots = 65
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]
    static let exitSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT]

    /// Saves the tty modes of `fd` and installs the handlers. Call it before
    /// `newterm`: the modes are then the shell's, and ncurses, seeing
    /// handlers in place, does not install its own for SIGINT/SIGTERM.
    /// - Parameters:
    ///   - reset: the bytes that leave full-screen mode (see `TerminalProbe`).
    ///   - fd: the tty ncurses draws on.
    static func install(reset: [UInt8], fd: Int32) {
        terminalFD = fd
        haveTermios = tcgetattr(fd, &savedTermios) == 0
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(reset.count, 1))
        bytes.initialize(from: reset, count: reset.count)
        resetBytes = bytes
        resetCount = reset.count
        caught.initialize(repeating: false, count: signalSlots)
        for signal in crashSignals + exitSignals {
            var old = sigaction()
            sigaction(signal, nil, &old)
            // A signal the caller chose to ignore (nohup's SIGHUP) stays ignored.
            if exitSignals.contains(signal) && isIgnore(old) { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = { signal, info, _ in SignalRestorer.handle(signal, info) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(SA_SIGINFO | SA_ONSTACK | SA_RESTART)
            previous[Int(signal)] = old
            caught[Int(signal)] = true
            sigaction(signal, &action, nil)
        }
        active = true
        if !atexitRegistered {
            atexitRegistered = true
            atexit { SignalRestorer.restoreIfActive() }
        }
    }

    /// Puts back the handlers that were there before `install`.
    static func uninstall() {
        active = false
        for signal in crashSignals + exitSignals where caught[Int(signal)] {
            var action = previous[Int(signal)]
            sigaction(signal, &action, nil)
            caught[Int(signal)] = false
        }
    }

    /// Writes back the saved tty modes, after the reset bytes when
    /// `leaveFullScreen` (a signal: ncurses could not run `endwin`).
    /// Async-signal-safe.
    static func restoreTerminal(leaveFullScreen: Bool) {
        if leaveFullScreen, let bytes = resetBytes, resetCount > 0 { _ = write(terminalFD, bytes, resetCount) }
        if haveTermios { _ = tcsetattr(terminalFD, TCSANOW, &savedTermios) }
    }

    /// For `exit()` called while the explorer still holds the terminal.
    static func restoreIfActive() {
        guard active else { return }
        restoreTerminal(leaveFullScreen: true)
        active = false
    }

    static func handle(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?) {
        restoreTerminal(leaveFullScreen: true)
        guard signal > 0 && Int(signal) < signalSlots && caught[Int(signal)] else { _exit(128 + signal) }
        var action = previous[Int(signal)]
        sigaction(signal, &action, nil)
        caught[Int(signal)] = false
        // A fault the kernel raised (bad access, ud2, division by zero) repeats
        // when the handler returns, and reaches the handler put back with its
        // real siginfo (the faulting address). Anything else — kill, abort(),
        // a trap — is raised again: blocked while this handler runs, it stays
        // pending and is delivered as the handler returns.
        let faults: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE]
        if let info, info.pointee.si_code > 0, faults.contains(signal) { return }
        raise(signal)
    }

    static func isIgnore(_ action: sigaction) -> Bool {
        unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == 1
    }
}
