import Foundation
import Testing

/// The explorer in a real terminal (tmux): open the bundled samples, switch
/// every view, toggle scheme, bits and granularity, resize to 80×24 and
/// 60×15 and back, quit — and check the screens, the exit status, and that
/// the shell gets its tty back exactly as it was (`stty -a` before = after)
/// however the explorer ends.
///
/// `.ci/run` points `QUANTSCOPE_E2E_BINARY` at the release build; otherwise
/// the debug binary of this test build is used. Every wait is generous (a
/// loaded two-core machine running a debug build): a bound only ends a test
/// that has already failed.
@Suite(.serialized, .enabled(if: TmuxSession.available, "tmux is not installed"))
struct ExplorerEndToEndTests {
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["QUANTSCOPE_E2E_BINARY"], !path.isEmpty { return path }
        return CLI.binary.path
    }

    /// How long the first screen (decode + quantize of the first tensor) may take.
    static let firstScreen = 90.0

    /// The top line of the screen (the top bar).
    static func topBar(_ screen: String) -> String { String(screen.split(separator: "\n").first ?? "") }

    /// Checks the shell's tty modes came back unchanged.
    static func expectTtyRestored(_ session: TmuxSession, _ how: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let modes = try session.ttyModes()
        let before = Set(modes.before.split(whereSeparator: \.isWhitespace)), after = Set(modes.after.split(whereSeparator: \.isWhitespace))
        #expect(modes.before == modes.after,
                "after \(how), stty -a differs: was \(before.subtracting(after).sorted()), now \(after.subtracting(before).sorted())",
                sourceLocation: sourceLocation)
    }

    @Test func aSessionAsAUserWouldHaveIt() throws {
        let session = try TmuxSession([Self.binary], width: 120, height: 40)
        var screen = try session.waitFor(text: "codes used", timeout: Self.firstScreen)
        #expect(screen.contains("minilm-l6-layer0.safetensors"))
        #expect(Self.topBar(screen).contains("int8 tensor"))

        for (key, title) in [("2", "2 Mapping"), ("3", "3 Error"), ("4", "4 Packing"), ("5", "5 Float bits"), ("6", "6 Matmul"), ("1", "1 Histogram")] {
            try session.send(key)
            screen = try session.waitFor(text: "┏ \(title)")
            if key == "6" { try session.waitFor(text: "W8A8 for y[0,", timeout: 60) }
        }

        try session.send("s")
        screen = try session.waitFor("fp8-e4m3 in the top bar") { Self.topBar($0).contains("fp8-e4m3 tensor") }
        try session.send("S")
        try session.waitFor("int8 again") { Self.topBar($0).contains("int8 tensor") }
        try session.send("-")
        try session.waitFor("int7") { Self.topBar($0).contains("int7 tensor") }
        try session.send("a")
        try session.waitFor("int7-asym") { Self.topBar($0).contains("int7-asym tensor") }
        try session.send("c")
        screen = try session.waitFor("channel granularity") { Self.topBar($0).contains("int7-asym channel:0") }
        try session.waitFor(text: "recomputed in")

        try session.resize(width: 80, height: 24)
        screen = try session.waitFor("an 80×24 layout") { s in
            let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
            return Self.topBar(s).contains("int7-asym channel:0") && s.contains("codes used") && lines.count <= 25
        }
        #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 80 })

        // The help at a projector's size scrolls to its last line.
        try session.send("?")
        try session.waitFor(text: "more ↓")
        try session.send("G")
        try session.waitFor("the help's last key") { $0.contains("Matmul activations") && !$0.contains("more ↓") }
        try session.send("Escape")
        try session.waitFor("help closed") { !$0.contains("Keys — Esc or ? closes") }

        try session.resize(width: 60, height: 15)
        try session.waitFor(text: "enlarge the window")

        try session.resize(width: 120, height: 40)
        try session.waitFor("the full layout again") { $0.contains("codes used") && !$0.contains("enlarge the window") }

        try session.send("?")
        try session.waitFor(text: "Keys — Esc or ? closes")
        try session.send("Escape")
        try session.waitFor("help closed") { !$0.contains("Keys — Esc or ? closes") }

        try session.send("q")
        #expect(try session.exitStatus() == 0)
        try Self.expectTtyRestored(session, "q")
    }

    /// Every way out: the two quit keys, and the signals a shell, a window
    /// closing or `kill` sends. Each must leave the alternate screen and give
    /// the tty back as it was (the bug: -isig -icanon -echo -icrnl remained).
    @Test(arguments: [
        ("q", "key q", 0),
        ("C-c", "key Ctrl-C", 0),
        ("SIGTERM", "SIGTERM", 128 + Int(SIGTERM)),
        ("SIGINT", "SIGINT", 128 + Int(SIGINT)),
        ("SIGHUP", "SIGHUP", 128 + Int(SIGHUP)),
    ])
    func everyWayOutRestoresTheTty(how: String, label: String, status: Int) throws {
        let session = try TmuxSession([Self.binary], width: 100, height: 30)
        try session.waitFor(text: "codes used", timeout: Self.firstScreen)
        switch how {
        case "SIGTERM": try session.kill(SIGTERM)
        case "SIGINT": try session.kill(SIGINT)
        case "SIGHUP": try session.kill(SIGHUP)
        default: try session.send(how)
        }
        #expect(try session.exitStatus() == status, "exit status after \(label)")
        try Self.expectTtyRestored(session, label)
        #expect(!(try session.capture()).contains("codes used"), "the alternate screen should be gone after \(label)")
    }

    @Test func aCrashStillRestoresTheTerminal() throws {
        let trigger = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-crash-\(UUID().uuidString)").path
        defer { unlink(trigger) }
        let session = try TmuxSession([Self.binary], environment: ["QUANTSCOPE_TEST_CRASH_WHEN": trigger], width: 100, height: 30)
        try session.waitFor(text: "codes used", timeout: Self.firstScreen)
        #expect(FileManager.default.createFile(atPath: trigger, contents: nil))
        // The backtracer is off (SWIFT_BACKTRACE=enable=no in an `env -i`
        // environment), so the status comes at once; the bound is for a loaded machine.
        let status = try session.exitStatus(timeout: 60)
        #expect([128 + Int(SIGILL), 128 + Int(SIGTRAP), 128 + Int(SIGABRT)].contains(status), "killed by SIGILL/SIGTRAP/SIGABRT, got \(status)")
        try Self.expectTtyRestored(session, "a crash")
        #expect(!(try session.capture()).contains("codes used"), "the alternate screen should be gone after a crash")
    }

    /// Terminals that cannot address the cursor, and a stdout that is not a
    /// terminal: one line saying what to do, exit 1, the tty untouched.
    @Test(arguments: [
        (["TERM": "dumb"], false, "TERM=dumb cannot move the cursor"),
        (["TERM": nil], false, "TERM is not set"),
        (["TERM": "no-such-terminal-42"], false, "no terminfo entry for TERM=no-such-terminal-42"),
        ([:], true, "stdout is not one"),
    ] as [([String: String?], Bool, String)])
    func terminalsTheExplorerCannotDriveAreRefused(environment: [String: String?], redirect: Bool, reason: String) throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-out-\(UUID().uuidString)").path
        defer { unlink(output) }
        let session = try TmuxSession([Self.binary], environment: environment, stdout: redirect ? output : nil, width: 200, height: 30)
        #expect(try session.exitStatus() == 1)
        let screen = try session.capture()
        let lines = screen.split(separator: "\n").filter { $0.hasPrefix("quantscope:") }
        #expect(lines.count == 1, "one line on stderr:\n\(screen)")
        #expect(lines.first?.contains(reason) == true, "expected '\(reason)' in:\n\(screen)")
        #expect(lines.first?.contains("xterm-256color") == true || redirect, "the line says what to set")
        #expect(lines.first?.contains("CLI commands") == true)
        try Self.expectTtyRestored(session, "a refusal")
    }
}
