import Foundation
import Testing

/// The explorer in a real terminal (tmux): open the bundled samples, switch
/// every view, toggle scheme, bits and granularity, resize to 80×24 and
/// 60×15 and back, quit — and check the screens and the exit status.
///
/// `.ci/run` points `QUANTSCOPE_E2E_BINARY` at the release build; otherwise
/// the debug binary of this test build is used.
@Suite(.serialized, .enabled(if: TmuxSession.available, "tmux is not installed"))
struct ExplorerEndToEndTests {
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["QUANTSCOPE_E2E_BINARY"], !path.isEmpty { return path }
        return CLI.binary.path
    }

    /// The top line of the screen (the top bar).
    static func topBar(_ screen: String) -> String { String(screen.split(separator: "\n").first ?? "") }

    @Test func aSessionAsAUserWouldHaveIt() throws {
        let session = try TmuxSession(command: Self.binary, width: 120, height: 40)
        var screen = try session.waitFor(text: "codes used", timeout: 20)
        #expect(screen.contains("minilm-l6-layer0.safetensors"))
        #expect(Self.topBar(screen).contains("int8 tensor"))

        for (key, title) in [("2", "2 Mapping"), ("3", "3 Error"), ("4", "4 Packing"), ("5", "5 Float bits"), ("6", "6 Matmul"), ("1", "1 Histogram")] {
            try session.send(key)
            screen = try session.waitFor(text: "┏ \(title)")
            if key == "6" { try session.waitFor(text: "W8A8 for y[0,", timeout: 20) }
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

        try session.resize(width: 60, height: 15)
        try session.waitFor(text: "enlarge the window")

        try session.resize(width: 120, height: 40)
        try session.waitFor("the full layout again") { $0.contains("codes used") && !$0.contains("enlarge the window") }

        try session.send("?")
        try session.waitFor(text: "Keys — Esc or ? closes")
        try session.send("Escape")
        try session.waitFor("help closed") { !$0.contains("Keys — Esc or ? closes") }

        try session.send("q")
        screen = try session.waitFor(text: "[exit=0]")
    }

    @Test func ctrlCAndSIGTERMRestoreTheTerminal() throws {
        let session = try TmuxSession(command: Self.binary, width: 100, height: 30)
        try session.waitFor(text: "codes used", timeout: 20)
        try session.send("C-c")
        let screen = try session.waitFor(text: "[exit=0]")
        #expect(!screen.contains("codes used"), "the alternate screen should be gone after quitting")

        // SIGTERM from outside: the trace file's unique name finds the process.
        let marker = "quantscope-e2e-\(UUID().uuidString).jsonl"
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent(marker).path
        defer { unlink(trace) }
        let killed = try TmuxSession(command: "\(Self.binary) --trace \(trace)", width: 100, height: 30)
        try killed.waitFor(text: "codes used", timeout: 20)
        let pkill = Process()
        pkill.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
        pkill.arguments = ["-TERM", "-f", "^\(Self.binary) --trace \(trace)"]
        try pkill.run()
        pkill.waitUntilExit()
        let after = try killed.waitFor(text: "[exit=143]", timeout: 20)
        #expect(!after.contains("codes used"), "the alternate screen should be gone after SIGTERM")
    }

    @Test func aCrashStillRestoresTheTerminal() throws {
        let session = try TmuxSession(command: "env QUANTSCOPE_TEST_CRASH_AFTER_MS=1500 \(Self.binary)", width: 100, height: 30)
        try session.waitFor(text: "codes used", timeout: 20)
        let screen = try session.waitFor("the crash's exit status") { $0.contains("[exit=1") && !$0.contains("[exit=0]") }
        #expect(!screen.contains("codes used"), "the alternate screen should be gone after a crash")
        let status = screen.components(separatedBy: "[exit=").last?.prefix(while: \.isNumber) ?? ""
        #expect(["132", "133", "134"].contains(String(status)), "killed by SIGILL/SIGTRAP/SIGABRT, got \(status)")
    }
}
