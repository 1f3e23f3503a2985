import QuantEngine

/// Everything the explorer shows, in one value. `handle(_:)` (in
/// `AppState+Update.swift`) turns events into a new state plus commands for
/// the runner; rendering reads the state and nothing else.
public struct AppState: Sendable {
    public var files: [OpenFile]
    public var browser = BrowserState()
    public var settings = QuantSettings()
    public var view: ViewKind = .histogram
    public var focus: Focus = .browser
    public var showHelp = false
    /// The first help row shown (the help scrolls on a small terminal).
    public var helpScroll = 0
    public var logScale = false
    /// The format the Float-bits view breaks the selected value down in.
    public var bitsFormat: FloatFormat = .e4m3fn
    /// The element followed through every view (flat, row-major).
    public var cursor = 0
    public var tensor: LoadedTensor?
    /// The tensor being decoded, when one is.
    public var loading: TensorRef?
    public var analysis: Analysis?
    /// The stored block (or group) holding the cursor, read when the cursor
    /// or the tensor changes, while the `stored:` scheme shows.
    public var storedBlock: StoredBlock?
    /// True while an analysis for the current settings is being computed.
    public var computing = false
    /// Why the current settings have no result (the engine refused them),
    /// shown in every view until the settings change; nil otherwise.
    public var analysisFailure: String?
    /// True while the Error view's comparisons are being computed.
    public var comparing = false
    /// Bumped on every request; results of older ones are dropped.
    public var generation = 0
    /// The Matmul view: activations choice, result, and its own request counter
    /// (it does not depend on the scheme, so toggles do not outdate it).
    public var matmulChoice: ActivationChoice = .outliers
    public var matmul: MatmulAnalysis?
    public var matmulComputing = false
    public var matmulGeneration = 0
    /// The Methods view (9): results so far, the method shown (`M`), the
    /// GPTQ step shown (← →), and its own request counter (docs/contract.md §16.6).
    public var methods: MethodsAnalysis?
    /// The key of the request running (nil when none).
    public var methodsPendingKey: String?
    public var methodsGeneration = 0
    public var methodsShown = 1
    public var methodsStep = 0
    /// The settings key whose methods failed (not asked for again).
    public var methodsFailedKey: String?
    /// Calibration tokens (and as many held out) the view's run uses.
    public var methodsTokens = 128
    /// A message for the status bar (errors, hints); cleared by the next key.
    public var message: String?
    /// Fraction of the running work done (nil when idle), and a counter that
    /// turns the spinner; both set by the runner's ticks.
    public var progress: Double?
    public var spinner = 0
    /// Milliseconds the last analysis took.
    public var lastRecompute: Double?
    /// Shows fixed timings instead of measured ones (`render`, golden tests:
    /// docs/contract.md §14), so the same setting always draws the same screen.
    public var fixedTimings = false
    public var width: Int
    public var height: Int
    public var quit = false
    /// The Model and Sweep views: heat map cursor, colouring, and the scans, sweeps and diff so far.
    public var model: ModelViewState
    /// The original the Model view measures the open file against (`--against FILE`).
    public var against: OpenFile?
    /// The whole-model job running beside the analyses (nil when none), its
    /// request counter, and how far it got (set by the runner's ticks).
    public var background: BackgroundRequest?
    public var backgroundGeneration = 0
    public var backgroundProgress: Double?
    /// The job Esc stopped: not restarted until something else is wanted.
    public var backgroundStopped: String?
    /// Compare mode: a second setting pinned beside the live one (nil when off).
    public var compare: CompareState?
    /// The guided tour, while it runs (`T`, `quantscope tour`).
    public var tour: TourState?
    /// The value prompt's text while it is open (`i`), and the typed value
    /// the Mapping and Float bits views follow instead of the cursor's element.
    public var valuePrompt: String?
    public var probe: Float?
    /// The PTQ-vs-QAT panel's training run (lesson 8 of the tour), its
    /// request counter, and the configuration it runs (tests shorten it).
    public var qat: QATPanelState?
    public var qatGeneration = 0
    public var qatConfiguration = QATConfiguration()

    public init(files: [OpenFile], width: Int, height: Int, against: OpenFile? = nil) {
        self.files = files
        self.width = width
        self.height = height
        self.against = against
        model = ModelViewState(grids: files.map { ModelGrid($0.checkpoint) })
        model.coloring = AppState.defaultColoring(files.first?.checkpoint, against: against != nil)
        browser.rebuild(files: files, keep: nil)
    }

    /// The Model view opens on the diff when there is an original, on what
    /// the file spends per weight when most weights are stored quantized (a
    /// GGUF mix), and on SQNR under the current scheme otherwise.
    static func defaultColoring(_ checkpoint: Checkpoint?, against: Bool) -> ModelViewState.Coloring {
        if against { return .diff }
        guard let checkpoint else { return .sqnr }
        let weights = ModelScan.weights(of: checkpoint)
        let quantized = weights.filter { info in
            switch info.storage {
            case .prequantized: return true
            case .ggml(let t): return t.blockSize > 1
            default: return false
            }
        }
        return !weights.isEmpty && quantized.count * 2 >= weights.count ? .storedBits : .sqnr
    }

    /// Tensors of more elements than this (32 MB of float32) drop the shown
    /// analysis while the next one is computed, so the explorer holds one
    /// quantization at a time: the tensor, x̂ and the codes come to 2.25×
    /// its float32 size, within the budget of 2.5× + 100 MB (docs/contract.md).
    public static let keepWhileRecomputingLimit = 1 << 23

    /// The smallest terminal everything essential fits in.
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public var isTooSmall: Bool { width < AppState.minimumWidth || height < AppState.minimumHeight }

    /// Whether the views show the open tensor as its file stores it.
    public var showsStored: Bool { settings.showsStored && tensor?.stored != nil }

    /// The scheme as the top bar spells it: `stored: Q4_K`, or as `quantscope stats` takes it.
    public var schemeSpelling: String {
        if showsStored, let stored = tensor?.stored { return "stored: \(stored.formatName)" }
        let spelling = settings.spelling(rank: tensor?.shape.count ?? 0)
        // A calibration shows the clip it chose, once the analysis for these settings has it.
        if settings.calibration != nil, let a = analysis, a.spelling == spelling, let c = a.calibration {
            return spelling + ": clip " + Format.number(Double(c.clip), digits: 3)
        }
        return spelling
    }

    /// Reads the stored block under the cursor when it is not the one held.
    mutating func refreshStoredBlock() {
        guard showsStored, let stored = tensor?.stored, let t = tensor, t.count > 0 else {
            storedBlock = nil
            return
        }
        let index = stored.blockIndex(ofElement: min(max(cursor, 0), t.count - 1))
        if storedBlock?.index == index { return }
        storedBlock = try? stored.block(index)
    }

    /// The open tensor's info, if any.
    public var openInfo: TensorInfo? { tensor?.info }

    /// The row and column of the cursor in the 2-D picture ([shape[0], rest]).
    public var cursorRowColumn: (row: Int, column: Int) {
        guard let t = tensor, t.columns > 0 else { return (0, 0) }
        return (cursor / t.columns, cursor % t.columns)
    }

    /// Whether a view is on screen (itself, or as the companion on a wide terminal).
    public func isVisible(_ v: ViewKind) -> Bool {
        view == v || (showsTwoViews && view.companion == v)
    }

    /// Whether two views stand side by side (never during the tour, whose panel takes the room).
    public var showsTwoViews: Bool { tour == nil && Layout.showsTwoViews(width: width, height: height) }

    /// Whether the Error view (or its companion) is on screen, so the
    /// comparisons are worth computing.
    public var errorViewVisible: Bool { isVisible(.error) }
}

/// What happens to the explorer: input, and results coming back from work.
public enum AppEvent: Sendable {
    case input(InputEvent)
    case loaded(LoadedTensor, generation: Int)
    case analyzed(Analysis, generation: Int)
    case detailed(Analysis.Details, generation: Int)
    case failed(String, generation: Int)
    /// Sent by the runner while work runs: how far it got.
    case tick(progress: Double?)
    case matmulReady(MatmulAnalysis, generation: Int)
    case matmulFailed(String, generation: Int)
    /// The weight methods so far on the open weight, or why they cannot run.
    case methodsReady(MethodsAnalysis, generation: Int)
    case methodsFailed(String, key: String, generation: Int)
    /// Compare mode's second analysis (B), or why the engine refused it.
    case compared(Analysis, generation: Int)
    case compareFailed(String, generation: Int)
    /// A scan, sweep or diff result, as soon as it is measured.
    case background(BackgroundPiece, generation: Int)
    /// The background job ended (ran out, or was cancelled).
    case backgroundDone(generation: Int, cancelled: Bool)
    /// Sent by the runner while a background job runs: how far it got.
    case backgroundTick(Double?)
    /// A curve point of the PTQ-vs-QAT training run.
    case qatProgress(TrainingProgress, generation: Int)
    /// The run's report, or nil when it was stopped.
    case qatFinished(QATReport?, generation: Int)
}

/// What the state asks the runner to do.
public enum AppCommand: Sendable {
    /// Decode a tensor (off the UI thread).
    case load(TensorRef, generation: Int)
    /// Quantize and analyse (off the UI thread); a newer request cancels it.
    case analyze(AnalysisRequest, generation: Int)
    /// Compute the Error view's second pass for an analysis.
    case details(AnalysisRequest, Analysis, generation: Int)
    /// Quantize the open tensor under compare mode's pinned setting (B).
    case compareAnalyze(AnalysisRequest, generation: Int)
    /// Run every matmul kernel on the open weight.
    case matmul(MatmulRequest, generation: Int)
    /// Run the weight methods on the open weight (a newer request cancels it).
    case methods(MethodsRequest, generation: Int)
    /// Hand a no-longer-shown result back to the worker to reuse its buffers.
    case recycle(QuantizedTensor)
    /// Start a whole-model job, cancelling the one running.
    case background(BackgroundRequest, generation: Int)
    /// Stop the background job (Esc in the Model or Sweep view).
    case cancelBackground
    /// Train the PTQ-vs-QAT model (off the UI thread), stopping a run in flight.
    case trainQAT(QATConfiguration, generation: Int)
    case cancelQAT
    case quit
}
