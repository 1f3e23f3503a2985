import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private tmux server running one program in a detached session of a
/// given size, for driving the explorer like a user: send keys, resize,
/// read the screen.
///
/// Lessons from the field notes: tmux is spawned with an empty signal mask
/// and default handlers (test threads block SIGWINCH, and children inherit
/// the mask, so resizes would never arrive); output goes to files, not
/// pipes (the server inherits them); the exit status is read from a marker
/// the shell echoes after the program ends.
final class TmuxSession {
    let socket: String
    let name = "quantscope-e2e"

    static var available: Bool { FileManager.default.isExecutableFile(atPath: tmuxPath) }
    static var tmuxPath: String {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/tmux"
    }

    /// Starts `command` (a shell command line) at `width`×`height`.
    init(command: String, width: Int, height: Int) throws {
        socket = "quantscope-\(getpid())-\(UUID().uuidString.prefix(8))"
        let wrapped = "env TERM=xterm-256color LANG=C.UTF-8 SWIFT_BACKTRACE=enable=no \(command); echo \"[exit=$?]\"; sleep 60"
        try tmux(["-u", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", name,
                  "-x", String(width), "-y", String(height), wrapped])
    }

    deinit { try? tmux(["-L", socket, "kill-server"]) }

    func send(_ keys: String...) throws {
        try tmux(["-L", socket, "send-keys", "-t", name] + keys)
    }

    /// Sends literal text (each character as typed).
    func type(_ text: String) throws {
        try tmux(["-L", socket, "send-keys", "-t", name, "-l", text])
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["-L", socket, "resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// The visible screen (and, with `history`, what scrolled off).
    func capture(history: Bool = false) throws -> String {
        try tmux(["-L", socket, "capture-pane", "-p", "-t", name] + (history ? ["-S", "-"] : []))
    }

    /// Polls the screen every 20 ms until `predicate` holds; returns the last screen.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 10, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = (try? capture(history: true)) ?? ""
            if predicate(screen) { return screen }
            usleep(20_000)
        }
        throw Failure("timed out after \(timeout) s waiting for \(what); screen:\n\(screen)")
    }

    @discardableResult
    func waitFor(text: String, timeout: Double = 10) throws -> String {
        try waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// Runs tmux with an emptied signal mask and default handlers; waits for it.
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)").path
        defer { unlink(out) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([TmuxSession.tmuxPath] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, TmuxSession.tmuxPath, &actions, &attributes, argv, environ)
        guard status == 0 else { throw Failure("cannot start tmux: \(String(cString: strerror(status)))") }
        var exitStatus: Int32 = 0
        waitpid(pid, &exitStatus, 0)
        return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    }
}
