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
    /// Keys whose effect waits for work (a decode, an analysis), with when
    /// they arrived: each is traced at the first complete frame after it.
    private var pendingKeys: [(key: String, at: Double)] = []
    private var lastTick = 0.0
    private var lastBackgroundTick = 0.0

    /// Input handled before a frame is drawn: keys typed during a slow frame
    /// are all applied, then drawn once, never dropped.
    static let inputBatch = 64

    public init(state: AppState, backend: TerminalBackend, theme: Theme, trace: TraceLog? = nil) {
        self.state = state
        self.backend = backend
        self.theme = theme
        self.trace = trace
        worker = ComputeWorker(files: state.files, against: state.against)
    }

    /// Runs until the user quits. Returns the final state.
    @discardableResult
    /// - Parameter tourLesson: start the guided tour at this lesson (0-based) instead of opening the first tensor.
    public func run(openFirstTensor: Bool = true, tourLesson: Int? = nil) -> AppState {
        state.width = backend.width
        state.height = backend.height
        if let tourLesson {
            execute(state.startTour(at: tourLesson))
        } else if openFirstTensor, state.browser.selectedRef != nil {
            apply(.key(.enter), at: Clock.milliseconds())
        }
        draw()
        while !state.quit {
            var changed = false
            var immediate: [(key: String, at: Double)] = []
            // A training run streams curve points: poll as for a background job.
            let backgroundBusy = worker.backgroundProgress != nil || worker.trainingProgress != nil || worker.methodsRunning
            var next = backend.nextEvent(timeoutMilliseconds: worker.isBusy ? 4 : (backgroundBusy ? 40 : 120))
            var handled = 0
            while let input = next {
                if let key = apply(input, at: Clock.milliseconds()) { immediate.append(key) }
                changed = true
                handled += 1
                if state.quit || handled >= ExplorerRunner.inputBatch { break }
                next = backend.nextEvent(timeoutMilliseconds: 0)
            }
            for event in worker.drain() {
                execute(state.handle(event))
                changed = true
            }
            if worker.isBusy {
                let now = Clock.milliseconds()
                if now - lastTick > 80 {
                    lastTick = now
                    execute(state.handle(.tick(progress: worker.progress)))
                    changed = true
                }
            } else if state.progress != nil {
                execute(state.handle(.tick(progress: nil)))
                changed = true
            }
            if let fraction = worker.backgroundProgress, Clock.milliseconds() - lastBackgroundTick > 80 {
                lastBackgroundTick = Clock.milliseconds()
                execute(state.handle(.backgroundTick(fraction)))
                changed = true
            }
            if changed { draw() }
            for (key, at) in immediate {
                trace?.record(key: key, milliseconds: Clock.milliseconds() - at, recomputed: false)
            }
        }
        worker.submit(.quit)
        return state
    }

    /// Applies one input. Returns the key when its effect is already in the
    /// state (traced after the next frame); a key that started work waits
    /// in `pendingKeys` instead.
    @discardableResult
    private func apply(_ input: InputEvent, at started: Double) -> (key: String, at: Double)? {
        let before = state.generation
        execute(state.handle(.input(input)))
        guard case .key(let k) = input else { return nil }
        if state.generation != before {
            pendingKeys.append(("\(k)", started))
            return nil
        }
        return ("\(k)", started)
    }

    /// Hands each command to the worker, letting go of it first: a recycled
    /// result still referenced here would make the worker copy its buffers.
    private func execute(_ commands: consuming [AppCommand]) {
        var queue = consume commands
        queue.reverse()
        while let command = queue.popLast() {
            if case .quit = command { state.quit = true }
            worker.submit(command)
        }
    }

    /// Whether the frame shows everything the last key asked for: nothing is
    /// being decoded or quantized (the Error view's comparisons may follow).
    private var frameIsComplete: Bool { state.loading == nil && !state.computing }

    private func draw() {
        let buffer = ScreenRenderer.render(state, theme: theme, ascii: !backend.capabilities.unicode)
        backend.present(buffer)
        guard !pendingKeys.isEmpty, frameIsComplete else { return }
        let now = Clock.milliseconds()
        var detail = state.analysis.map { "\($0.spelling) analysis \(Format.number($0.milliseconds, digits: 3)) ms" }
        if let t = state.tensor { detail = "\(t.info.name) \(Format.shape(t.shape))" + (detail.map { " · " + $0 } ?? "") }
        if let message = state.message { detail = (detail.map { $0 + " · " } ?? "") + message }
        for (key, at) in pendingKeys { trace?.record(key: key, milliseconds: now - at, recomputed: true, detail: detail) }
        pendingKeys.removeAll()
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
