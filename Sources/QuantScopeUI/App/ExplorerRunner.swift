import Foundation
import QuantEngine

/// The explorer's loop: read input, apply it to the state, start work,
/// collect results, draw. The terminal is a `TerminalBackend`, so tests run
/// the same loop against an in-memory one.
public final class ExplorerRunner {
    public private(set) var state: AppState
    private let backend: TerminalBackend
    private let theme: Theme
    private let worker: ComputeWorker
    private let trace: TraceLog?
    /// The key that started the pending recompute, and when it arrived.
    private var pendingKey: (key: String, at: Double, generation: Int)?
    private var lastTick = 0.0

    public init(state: AppState, backend: TerminalBackend, theme: Theme, trace: TraceLog? = nil) {
        self.state = state
        self.backend = backend
        self.theme = theme
        self.trace = trace
        worker = ComputeWorker(files: state.files)
    }

    /// Runs until the user quits. Returns the final state.
    @discardableResult
    public func run(openFirstTensor: Bool = true) -> AppState {
        state.width = backend.width
        state.height = backend.height
        if openFirstTensor, state.browser.selectedRef != nil {
            execute(state.handle(.input(.key(.enter))))
        }
        draw()
        while !state.quit {
            let busy = worker.isBusy
            var changed = false
            if let input = backend.nextEvent(timeoutMilliseconds: busy ? 4 : 120) {
                let started = Clock.milliseconds()
                let before = state.generation
                execute(state.handle(.input(input)))
                if case .key(let k) = input {
                    if state.generation != before {
                        pendingKey = ("\(k)", started, state.generation)
                    } else {
                        draw()
                        trace?.record(key: "\(k)", milliseconds: Clock.milliseconds() - started, recomputed: false)
                        continue
                    }
                }
                changed = true
            }
            for event in worker.drain() {
                execute(state.handle(event))
                changed = true
            }
            if worker.isBusy {
                let now = Clock.milliseconds()
                if now - lastTick > 80 {
                    lastTick = now
                    _ = state.handle(.tick(progress: worker.progress))
                    changed = true
                }
            } else if state.progress != nil {
                _ = state.handle(.tick(progress: nil))
                changed = true
            }
            if changed { draw() }
        }
        worker.submit(.quit)
        return state
    }

    private func execute(_ commands: [AppCommand]) {
        for command in commands {
            if case .quit = command { state.quit = true }
            worker.submit(command)
        }
    }

    private func draw() {
        let buffer = ScreenRenderer.render(state, theme: theme, ascii: !backend.capabilities.unicode)
        backend.present(buffer)
        if let pending = pendingKey, state.generation == pending.generation, !state.computing, state.loading == nil {
            trace?.record(key: pending.key, milliseconds: Clock.milliseconds() - pending.at, recomputed: true,
                          detail: state.analysis.map { "\($0.spelling) analysis \(Format.number($0.milliseconds, digits: 3)) ms" })
            pendingKey = nil
        }
    }
}

/// `--trace FILE`: one JSON line per key, with the milliseconds from the key
/// arriving to the frame that shows its effect (after the recompute, when it
/// caused one).
public final class TraceLog {
    private let handle: FileHandle

    public init(path: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw TensorFileError.cannotWrite(path: path, reason: "cannot open the trace file")
        }
        self.handle = handle
    }

    func record(key: String, milliseconds: Double, recomputed: Bool, detail: String? = nil) {
        var members: [JSONValue.Member] = [
            .init("key", .string(key)), .init("ms_to_frame", .number((milliseconds * 1000).rounded() / 1000)),
            .init("recomputed", .bool(recomputed)),
        ]
        if let detail { members.append(.init("detail", .string(detail))) }
        handle.write(Data((JSONValue.object(members).serialized(pretty: false) + "\n").utf8))
    }

    deinit { try? handle.close() }
}
