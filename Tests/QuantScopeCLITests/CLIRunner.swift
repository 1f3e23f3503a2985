import Foundation
import Testing

/// Runs the built `quantscope` binary the way a user or a script does, and
/// captures its exit status, stdout and stderr.
enum CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stderrLines: [Substring] { stderr.split(separator: "\n") }
    }

    /// The directory holding the test bundle, which is where SwiftPM puts the
    /// `quantscope` executable of the same build.
    static var binary: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        for dir in candidates {
            let url = dir.appendingPathComponent("quantscope")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return candidates[0].appendingPathComponent("quantscope")
    }

    /// Runs `quantscope arguments…` with no terminal on stdin (`environment` set on top of ours).
    static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        environment.merge(extra) { $1 }
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Parses stdout as one JSON object (Foundation's parser, not ours).
    static func json(_ result: Result) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw Failure("stdout is not a JSON object: \(result.stdout.prefix(200))")
        }
        return object
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// A scratch directory removed when the test ends.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The engine tests' reference fixtures, read from the source tree.
enum SharedFixtures {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("QuantEngineTests/Fixtures")
    }

    static func data(_ path: String) throws -> Data { try Data(contentsOf: root.appendingPathComponent(path)) }

    static func f32(_ path: String) throws -> [Float] {
        let d = try data(path)
        return d.withUnsafeBytes { raw in (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
    }

    static func cases(_ path: String) throws -> [[String: Any]] {
        (try JSONSerialization.jsonObject(with: try data(path)) as? [[String: Any]]) ?? []
    }
}

/// A `quantscope` process started with `posix_spawn`, for tests that need
/// what `Foundation.Process` hides: stopping it (WUNTRACED) or killing it
/// after a deadline.
final class Child {
    let pid: pid_t
    let scratch: Scratch
    private var usage = rusage()

    /// Starts `quantscope arguments…` with stdin from /dev/null and stdout,
    /// stderr to files, the environment plus `environment`.
    init(_ arguments: [String], environment extra: [String: String] = [:]) throws {
        scratch = try Scratch()
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        for (key, value) in extra { environment[key] = value }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, scratch.path("out"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, scratch.path("err"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([CLI.binary.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, CLI.binary.path, &actions, nil, argv, envp)
        guard status == 0 else { throw CLI.Failure("posix_spawn failed: \(status)") }
        pid = child
    }

    /// How the child changed state: exited with a status, was killed by a
    /// signal, or stopped.
    enum State: Equatable { case exited(Int32), signaled(Int32), stopped(Int32), timedOut }

    /// Waits up to `seconds` for the child to exit (or, with `untraced`, to
    /// stop); on the deadline kills it with SIGKILL and says `.timedOut`.
    func wait(untraced: Bool = false, seconds: Double = 60) -> State {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            var status: Int32 = 0
            let done = wait4(pid, &status, WNOHANG | (untraced ? WUNTRACED : 0), &usage)
            if done == pid {
                if status & 0x7F == 0 { return .exited((status >> 8) & 0xFF) }
                if status & 0xFF == 0x7F { return .stopped((status >> 8) & 0xFF) }
                return .signaled(status & 0x7F)
            }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = wait4(pid, &status, 0, &usage)
                return .timedOut
            }
            usleep(5_000)
        }
    }

    var stdout: String { (try? String(contentsOfFile: scratch.path("out"), encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: scratch.path("err"), encoding: .utf8)) ?? "" }
}
