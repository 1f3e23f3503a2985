@preconcurrency import Glibc
import QuantEngine

/// Turns the SIGBUS that a truncated, still-mapped input file raises into
/// one line naming the file and exit status 1 (docs/contract.md §7), instead
/// of death by signal.
///
/// Installed first thing in `main`, before any file is mapped. The handler
/// is async-signal-safe: it finds the faulting address in `MappingRegistry`
/// (no lock, no allocation), writes with `write(2)` and leaves with `_exit`.
///
/// Chaining, both ways:
/// - a SIGBUS at an address outside every mapping (or sent by another
///   process) is not ours: the previous action is put back and the fault
///   repeats under it (or the signal is raised again), so the default core
///   dump or an earlier handler still happens;
/// - a handler installed later (the explorer's terminal restorer) that
///   chains to this one by putting it back and returning from the fault,
///   or by calling it with the same `siginfo_t`, reaches the address
///   lookup. One that re-raises with `raise` loses the address: a SIGBUS
///   this process sent itself is then blamed on the only mapped file, or on
///   "a mapped input file" when several are mapped.
enum BusErrorHandler {
    nonisolated(unsafe) static var previous = sigaction()

    static let prefix: StaticString = "quantscope: "
    static let suffix: StaticString = ": the file shrank or changed while it was being read\n"
    static let unnamed: StaticString = "quantscope: a mapped input file shrank or changed while it was being read\n"

    /// Installs the handler, keeping the previous action to chain to.
    static func install() {
        MappingRegistry.prepare()
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { signal, info, context in BusErrorHandler.handle(signal, info, context) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_SIGINFO
        var old = sigaction()
        guard sigaction(SIGBUS, &action, &old) == 0 else { return }
        previous = old
    }

    static func handle(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
        guard let info else { return chain(signal, fromKernel: false) }
        let fromKernel = info.pointee.si_code > 0
        let path: UnsafeBufferPointer<UInt8>?
        if fromKernel {
            let address = UInt(bitPattern: info.pointee._sifields._sigfault.si_addr)
            path = MappingRegistry.path(containing: address)
            guard path != nil else { return chain(signal, fromKernel: true) }
        } else {
            guard info.pointee._sifields._kill.si_pid == getpid() else { return chain(signal, fromKernel: false) }
            path = MappingRegistry.onlyPath()
        }
        if let path {
            write(prefix)
            if let base = path.baseAddress, path.count > 0 { _ = Glibc.write(2, base, path.count) }
            write(suffix)
        } else {
            write(unnamed)
        }
        _exit(1)
    }

    /// Hands the signal to the action that was there before this one.
    private static func chain(_ signal: Int32, fromKernel: Bool) {
        var action = previous
        sigaction(signal, &action, nil)
        // A fault repeats when the handler returns; a sent signal must be sent again.
        if !fromKernel { raise(signal) }
    }

    private static func write(_ text: StaticString) {
        _ = Glibc.write(2, text.utf8Start, text.utf8CodeUnitCount)
    }
}
