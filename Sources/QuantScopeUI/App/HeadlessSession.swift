import QuantEngine

/// The explorer without a terminal: every command the state asks for runs to
/// its end on the calling thread (the jobs the worker runs, `ComputeJobs`),
/// so after each step the state is settled and renders the screen the
/// terminal would show once the work is done. `quantscope render` draws its
/// views this way (docs/contract.md §14); the UI tests drive states with it.
public struct HeadlessSession {
    /// Why a session could not settle.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The state kept asking for work: a command loop, a bug.
        case endless(commands: Int)
        /// No open file holds a tensor by that name.
        case noTensor(String)

        public var description: String {
            switch self {
            case .endless(let n): return "the explorer's state did not settle after \(n) commands"
            case .noTensor(let name): return "no tensor named '\(name)'"
            }
        }
    }

    public private(set) var state: AppState
    /// Whether whole-model jobs (the Model view's scan, the Sweep view's
    /// sweep, the diff) run too; off, they are left undone.
    public var runsBackground: Bool

    /// More commands than this for one step means the state loops.
    public static let commandLimit = 10_000

    /// - Parameter fixedTimings: show fixed timings (§14) so renders repeat exactly.
    public init(state: AppState, runsBackground: Bool = true, fixedTimings: Bool = true) {
        self.state = state
        self.state.fixedTimings = fixedTimings
        self.runsBackground = runsBackground
    }

    /// The screen as the terminal shows it now.
    public func render(theme: Theme, ascii: Bool = false) -> CellBuffer {
        ScreenRenderer.render(state, theme: theme, ascii: ascii)
    }

    /// The first tensor named `name` in the open files (file order).
    public func ref(named name: String) throws(Failure) -> TensorRef {
        for (f, file) in state.files.enumerated() {
            if let t = file.checkpoint.tensors.firstIndex(where: { $0.name == name }) { return TensorRef(file: f, tensor: t) }
        }
        throw .noTensor(name)
    }

    /// Opens a tensor, decoded and analysed under `settings` (the current
    /// ones when nil; a stored-quantized tensor opens as stored), selected
    /// in the tensor list as if chosen there.
    public mutating func open(_ ref: TensorRef, settings: QuantSettings? = nil) throws(Failure) {
        try step { state in
            if let settings { state.settings = settings }
            state.browser.rebuild(files: state.files, keep: ref)
            return state.open(ref)
        }
    }

    /// Types keys, each one's work done before the next.
    public mutating func press(_ keys: [Key]) throws(Failure) {
        for key in keys { try step { $0.handle(.input(.key(key))) } }
    }

    /// Replaces the live settings and recomputes the open tensor under them.
    public mutating func apply(_ settings: QuantSettings) throws(Failure) {
        try step { state in
            state.settings = settings
            return state.requestAnalysis() + state.matmulIfNeeded()
        }
    }

    /// Pins `b` as compare mode's B beside the live settings.
    public mutating func compare(with b: QuantSettings) throws(Failure) {
        try step { $0.startCompare(b: b) }
    }

    /// Puts the cursor on element `index` (flat, row-major) of the open tensor.
    public mutating func moveCursor(to index: Int) throws(Failure) {
        try step { state in
            state.cursor = index
            state.probe = nil
            state.refreshStoredBlock()
            return []
        }
    }

    /// Starts the tour at `lesson` and `scene` (both 0-based).
    public mutating func tour(lesson: Int, scene: Int = 0) throws(Failure) {
        try step { $0.startTour(at: lesson) }
        for _ in 0..<scene { try press([.pageDown]) }
    }

    /// Changes the state directly, then runs what it asks for.
    public mutating func step(_ change: (inout AppState) -> [AppCommand]) throws(Failure) {
        let commands = change(&state)
        try HeadlessSession.settle(commands, &state, runsBackground: runsBackground)
    }

    /// Runs `commands` and every command their results cause, in order,
    /// until none is left.
    /// - Throws: `Failure.endless` past `commandLimit` commands.
    public static func settle(_ commands: [AppCommand], _ state: inout AppState, runsBackground: Bool,
                              limit: Int = commandLimit) throws(Failure) {
        var queue = commands[...]
        var count = 0
        while let command = queue.popFirst() {
            count += 1
            guard count <= limit else { throw .endless(commands: count - 1) }
            for event in events(of: command, state: state, runsBackground: runsBackground) {
                queue += state.handle(event)
            }
        }
    }

    /// What the worker would post for `command`, computed now.
    static func events(of command: AppCommand, state: AppState, runsBackground: Bool) -> [AppEvent] {
        switch command {
        case .load(let ref, let g):
            return [ComputeJobs.load(ref, files: state.files, generation: g)]
        case .analyze(let request, let g):
            return ComputeJobs.analyze(request, generation: g).map { [$0] } ?? []
        case .compareAnalyze(let request, let g):
            return ComputeJobs.compareAnalyze(request, generation: g).map { [$0] } ?? []
        case .matmul(let request, let g):
            return [ComputeJobs.matmul(request, files: state.files, generation: g)]
        case .methods(let request, let g):
            var events: [AppEvent] = []
            ComputeJobs.methods(request, generation: g) { events.append($0) }
            return events
        case .details(let request, let analysis, let g):
            return ComputeJobs.details(request, of: analysis, generation: g).map { [$0] } ?? []
        case .background(let request, let g):
            guard runsBackground else { return [] }
            var pieces: [AppEvent] = []
            BackgroundWork.run(request, files: state.files, against: state.against, token: WorkToken(),
                               post: { pieces.append(.background($0, generation: g)) }, progress: { _ in })
            return pieces + [.backgroundDone(generation: g, cancelled: false)]
        case .trainQAT(let configuration, let g):
            // The worker posts one event per curve point, then the report.
            var points: [AppEvent] = []
            let report = try? QATExperiment.run(configuration) { points.append(.qatProgress($0, generation: g)) }
            return points + [.qatFinished(report, generation: g)]
        case .recycle, .cancelBackground, .cancelQAT, .quit:
            return []
        }
    }
}
