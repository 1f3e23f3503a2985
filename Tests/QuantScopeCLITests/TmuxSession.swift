import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private tmux server running one program in a detached session of a
/// given size, for driving the explorer like a user: send keys, resize,
/// read the screen, signal the program, and compare the tty's modes before
/// and after it ran.
///
/// Lessons from the field notes: tmux is spawned with an empty signal mask
/// and default handlers (test threads block SIGWINCH, and children inherit
/// the mask, so resizes would never arrive); output goes to files, not
/// pipes (the server inherits them); the exit status is read from a marker
/// the shell echoes after the program ends.
///
/// The pane runs `/bin/sh` (whatever the user's SHELL), which records
/// `stty -a` before and after the program, and the program gets an explicit
/// environment (`env -i`): nothing from the machine running the tests — a
/// Swift backtracer setting, a TERM — can change how it starts or crashes.
final class TmuxSession {
    let socket: String
    let name = "quantscope-e2e"
    /// The launch script, the program's pid and the two `stty -a` records.
    let folder: URL

    static var available: Bool { FileManager.default.isExecutableFile(atPath: tmuxPath) }
    static var tmuxPath: String {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/tmux"
    }

    /// The environment the program starts with; `environment` adds to it,
    /// and a nil value removes a variable.
    static let baseEnvironment: [String: String] = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/tmp",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "SWIFT_BACKTRACE": "enable=no",
    ]

    /// Starts `arguments` (the program first) at `width`×`height`.
    /// - Parameters:
    ///   - environment: variables to add (nil: remove) to `baseEnvironment`.
    ///   - stdout: a file to send the program's stdout to instead of the pane.
    init(_ arguments: [String], environment: [String: String?] = [:], stdout: String? = nil, width: Int, height: Int) throws {
        socket = "quantscope-\(getpid())-\(UUID().uuidString.prefix(8))"
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var env = Self.baseEnvironment
        for (key, value) in environment { env[key] = value }
        let assignments = env.keys.sorted().compactMap { key in env[key].map { Self.quote("\(key)=\($0)") } }
        let redirect = stdout.map { " > " + Self.quote($0) } ?? ""
        let script = """
            echo $$ > \(Self.quote(path("pid")))
            exec env -i \(assignments.joined(separator: " ")) \(arguments.map(Self.quote).joined(separator: " "))\(redirect)

            """
        try script.write(to: folder.appendingPathComponent("run.sh"), atomically: true, encoding: .utf8)
        try "set -g default-shell /bin/sh\nset -g history-limit 10000\n"
            .write(to: folder.appendingPathComponent("tmux.conf"), atomically: true, encoding: .utf8)
        let pane = "ulimit -c 0; stty -a > \(Self.quote(path("before"))); sh \(Self.quote(path("run.sh"))); echo \"[exit=$?]\"; "
            + "stty -a > \(Self.quote(path("after"))); echo '[stty saved]'; sleep 600"
        try tmux(["-u", "-L", socket, "-f", path("tmux.conf"), "new-session", "-d", "-s", name,
                  "-x", String(width), "-y", String(height), pane])
    }

    deinit {
        _ = try? tmux(["-L", socket, "kill-server"])
        try? FileManager.default.removeItem(at: folder)
    }

    func path(_ file: String) -> String { folder.appendingPathComponent(file).path }

    /// `text` in single quotes for /bin/sh.
    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

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

    /// Sends `signal` to the program (its pid is the launch script's, kept by `exec`).
    func kill(_ signal: Int32) throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: path("pid"), encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                guard Glibc.kill(pid, signal) == 0 else { throw Failure("kill(\(pid), \(signal)) failed: errno \(errno)") }
                return
            }
            usleep(50_000)
        }
        throw Failure("the program's pid never appeared in \(path("pid"))")
    }

    /// `stty -a` in the pane before the program started and after it ended
    /// (waits for the second to be written).
    func ttyModes(timeout: Double = 60) throws -> (before: String, after: String) {
        try waitFor(text: "[stty saved]", timeout: timeout)
        let before = try String(contentsOfFile: path("before"), encoding: .utf8)
        let after = try String(contentsOfFile: path("after"), encoding: .utf8)
        return (before, after)
    }

    /// The program's exit status as the shell echoed it (128+n: killed by signal n).
    func exitStatus(timeout: Double = 60) throws -> Int {
        let screen = try waitFor("the exit status", timeout: timeout) { $0.contains("[exit=") }
        let digits = screen.components(separatedBy: "[exit=").last?.prefix(while: \.isNumber) ?? ""
        guard let status = Int(digits) else { throw Failure("no exit status in:\n\(screen)") }
        return status
    }

    /// Polls the screen every 50 ms until `predicate` holds; returns the last
    /// screen. Bounds are generous: they only end a test that already failed.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 30, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = (try? capture(history: true)) ?? ""
            if predicate(screen) { return screen }
            usleep(50_000)
        }
        throw Failure("timed out after \(timeout) s waiting for \(what); screen:\n\(screen)")
    }

    @discardableResult
    func waitFor(text: String, timeout: Double = 30) throws -> String {
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
