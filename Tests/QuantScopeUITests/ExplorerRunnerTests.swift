import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// The explorer's loop against an in-memory terminal: keys typed in a burst
/// (as during a slow frame) are all applied, and `--trace` logs each key,
/// the Enter that opens the first tensor included.
@Suite struct ExplorerRunnerTests {
    /// A terminal that hands out bursts of keys, each once the screen shows
    /// no work in progress (or after a generous bound), then `q`.
    final class ScriptedBackend: TerminalBackend {
        var bursts: [[Key]]
        var queue: [Key] = []
        var lastText = ""
        var waited = 0.0
        let width = 200, height = 50
        let capabilities = TerminalCapabilities(colors: .none, unicode: true)

        init(bursts: [[Key]]) { self.bursts = bursts }

        func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
            if !queue.isEmpty { return .key(queue.removeFirst()) }
            let idle = !["quantizing", "decoding", "opening"].contains { lastText.contains($0) }
            if timeoutMilliseconds > 0, !bursts.isEmpty, idle || waited > 60_000 {
                queue = bursts.removeFirst()
                waited = 0
                return .key(queue.removeFirst())
            }
            if timeoutMilliseconds > 0 {
                usleep(UInt32(timeoutMilliseconds) * 1000)
                waited += Double(timeoutMilliseconds)
            }
            return nil
        }

        func present(_ buffer: CellBuffer) { lastText = buffer.text }
        func stop() {}
    }

    @Test func aBurstOfKeysIsAppliedInFullAndTraced() throws {
        let file = try TestStates.file(TestStates.weight(rows: 64, columns: 128, seed: 2), name: "runner.weight")
        let keys: [Key] = [.character("s"), .character("S"), .character("a"), .character("c"), .character("c"), .character("2")]
        let backend = ScriptedBackend(bursts: [keys, [.character("q")]])
        let tracePath = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-runner-\(getpid()).jsonl").path
        let runner = ExplorerRunner(state: AppState(files: [file], width: 200, height: 50), backend: backend, theme: .monochrome,
                                    trace: try TraceLog(path: tracePath))
        let final = runner.run()

        var expected = QuantSettings()
        expected.nextScheme(forward: true)
        expected.nextScheme(forward: false)
        _ = expected.cycleSymmetry()
        _ = expected.cycleGranularity()
        _ = expected.cycleGranularity()
        #expect(final.settings == expected)
        #expect(final.view == .mapping)

        let lines = try String(contentsOfFile: tracePath, encoding: .utf8).split(separator: "\n")
        let records = lines.compactMap { try? JSONParser.parse(String($0)) }
        let traced = records.compactMap { $0["key"]?.stringValue }
        #expect(traced.first == "enter", "the Enter that opens the first tensor is traced")
        #expect(traced.filter { $0 != "enter" && $0 != "character(\"q\")" }.count == keys.count, "\(traced)")
        let enter = try #require(records.first)
        #expect(enter["recomputed"] == .bool(true))
        #expect(enter["detail"]?.stringValue?.contains("runner.weight") == true)
    }
}
