import QuantEngine

/// The explorer's state machine: an event in, a new state and commands out.
/// Pure (no I/O, no clock), so every key is testable without a terminal.
extension AppState {
    /// Applies `event`; returns what the runner must start.
    public mutating func handle(_ event: AppEvent) -> [AppCommand] {
        let commands = apply(event)
        refreshStoredBlock()
        return commands + backgroundIfNeeded() + methodsIfNeeded()
    }

    private mutating func apply(_ event: AppEvent) -> [AppCommand] {
        switch event {
        case .input(.resize(let w, let h)):
            let wasVisible = errorViewVisible
            width = w
            height = h
            helpScroll = min(helpScroll, HelpOverlay.page(width: w, height: h).maxScroll)
            return (!wasVisible && errorViewVisible ? compareIfNeeded() : []) + matmulIfNeeded()
        case .input(.key(let key)):
            message = nil
            return handleKey(key)
        case .input(.mouse(let mouse)):
            return handleMouse(mouse)
        case .loaded(let loaded, let g):
            guard g == generation else { return [] }
            tensor = loaded
            loading = nil
            analysis = nil
            storedBlock = nil
            // A stored-quantized tensor opens as stored, over its closest fresh scheme.
            if let stored = loaded.stored {
                settings.showsStored = settings.selectFresh(of: stored)
            } else {
                settings.showsStored = false
            }
            matmul = nil
            matmulComputing = false
            methods = nil
            methodsStep = 0
            cursor = 0
            probe = nil
            tourLoaded()
            if settings.channelAxis >= loaded.shape.count { settings.channelAxis = 0 }
            if compare != nil, compare!.settings.channelAxis >= loaded.shape.count { compare!.settings.channelAxis = 0 }
            return requestAnalysis() + requestCompareAnalysis() + matmulIfNeeded()
        case .tick(let fraction):
            progress = fraction
            spinner += 1
            return []
        case .background(let piece, _):
            // Every piece is a correct result for its setting or tensor, even from a replaced job.
            model.add(piece)
            return []
        case .backgroundDone(let g, let cancelled):
            guard g == backgroundGeneration else { return [] }
            if !cancelled { markBackgroundComplete() }
            background = nil
            backgroundProgress = nil
            return []
        case .qatProgress, .qatFinished:
            return handleQAT(event)
        case .methodsReady, .methodsFailed:
            return handleMethods(event)
        case .backgroundTick(let fraction):
            backgroundProgress = fraction
            spinner += 1
            return []
        case .analyzed(let result, let g):
            guard g == generation else { return [.recycle(result.quantized)] }
            let old = analysis?.quantized
            analysis = result
            analysisFailure = nil
            lastRecompute = fixedTimings ? AppState.fixedRecomputeMilliseconds : result.milliseconds
            computing = false
            progress = nil
            return (old.map { [AppCommand.recycle($0)] } ?? []) + compareIfNeeded()
        case .detailed(let details, let g):
            guard g == generation else { return [] }
            analysis?.add(details)
            comparing = false
            progress = nil
            return []
        case .matmulReady(let result, let g):
            guard g == matmulGeneration else { return [] }
            matmul = fixedTimings ? AppState.withFixedTimings(result) : result
            matmulComputing = false
            return []
        case .compared(let result, let g):
            guard g == compare?.generation else { return [] }
            compare?.analysis = result
            compare?.computing = false
            return []
        case .compareFailed(let text, let g):
            guard g == compare?.generation else { return [] }
            compare?.failure = text
            compare?.computing = false
            return []
        case .matmulFailed(let text, let g):
            guard g == matmulGeneration else { return [] }
            message = text
            matmulComputing = false
            return []
        case .failed(let text, let g):
            guard g == generation else { return [] }
            message = text
            comparing = false
            if loading != nil {
                loading = nil
                return []
            }
            // The settings have no result: an older one left on screen would
            // be read as theirs, so it goes (its buffers to the worker).
            computing = false
            analysisFailure = text
            let old = analysis?.quantized
            analysis = nil
            return old.map { [AppCommand.recycle($0)] } ?? []
        }
    }

    // MARK: Requests

    /// Starts a new analysis of the open tensor with the current settings.
    /// A large tensor's shown analysis is handed to the worker first (its
    /// buffers become the new one's): two at once would hold x̂ and the codes
    /// twice, past the memory budget (`keepWhileRecomputingLimit`).
    mutating func requestAnalysis() -> [AppCommand] {
        guard let tensor else { return [] }
        generation += 1
        computing = true
        comparing = false
        analysisFailure = nil
        var commands: [AppCommand] = []
        if tensor.count > AppState.keepWhileRecomputingLimit, let old = analysis {
            analysis = nil
            commands.append(.recycle(old.quantized))
        }
        return commands + [.analyze(AnalysisRequest(tensor: tensor, settings: settings), generation: generation)]
    }

    /// Asks for the Error view's comparisons when they are on screen and missing.
    mutating func compareIfNeeded() -> [AppCommand] {
        guard errorViewVisible, let tensor, let analysis, analysis.comparisons == nil, !computing, !comparing else { return [] }
        comparing = true
        return [.details(AnalysisRequest(tensor: tensor, settings: settings), analysis, generation: generation)]
    }

    /// Asks for the Matmul view's kernels when it shows a 2-D weight without them.
    mutating func matmulIfNeeded() -> [AppCommand] {
        guard isVisible(.matmul), let tensor, tensor.shape.count == 2, tensor.count > 0, matmul == nil, !matmulComputing else { return [] }
        matmulGeneration += 1
        matmulComputing = true
        let k = tensor.columns
        let candidate = files.enumerated().lazy.flatMap { f, file in
            file.checkpoint.tensors.enumerated().map { (TensorRef(file: f, tensor: $0.offset), $0.element) }
        }.first { ref, info in ref != tensor.ref && info.isDecodable && info.shape.last == k && info.elementCount >= k }
        return [.matmul(MatmulRequest(weight: tensor, choice: matmulChoice, activationRef: candidate?.0), generation: matmulGeneration)]
    }

    mutating func open(_ ref: TensorRef) -> [AppCommand] {
        guard files.indices.contains(ref.file), files[ref.file].checkpoint.tensors.indices.contains(ref.tensor) else { return [] }
        if tensor?.ref == ref { focus = .view; return [] }
        let info = files[ref.file].checkpoint.tensors[ref.tensor]
        guard info.isDecodable else {
            message = "\(info.name): decoding \(info.dtype) is not supported yet"
            return []
        }
        generation += 1
        loading = ref
        computing = false
        focus = .view
        return [.load(ref, generation: generation)]
    }

    /// Applies a settings change; recomputes when it changed anything.
    mutating func change(_ body: (inout QuantSettings) -> Bool, otherwise hint: String) -> [AppCommand] {
        var next = settings
        guard body(&next) else {
            message = hint
            return []
        }
        guard next != settings else { return [] }
        // Any other choice leaves the stored view for a fresh quantization.
        var others = next
        others.showsStored = settings.showsStored
        if others != settings { next.showsStored = false }
        let recompute = others != settings
        settings = next
        return recompute ? requestAnalysis() : []
    }

    /// Why `<` / `>` changed nothing under the current settings.
    func sizeHint(larger: Bool) -> String {
        let rank = tensor?.shape.count ?? 2
        if settings.granularityIsFixed { return "\(settings.scheme) always uses \(settings.granularity(rank: rank))" }
        if settings.rule == .any && (settings.granularityKind == .tensor || settings.granularityKind == .channel) {
            return "< and > size groups and blocks; c cycles the granularity to them"
        }
        return larger ? "largest size already" : "smallest size already"
    }

    // MARK: Keys

    mutating func handleKey(_ key: Key) -> [AppCommand] {
        if key == .control("c") { quit = true; return [.quit] }
        if showHelp { return handleHelpKey(key) }
        if browser.editingFilter { return handleFilterKey(key) }
        if valuePrompt != nil { return handleProbeKey(key) }
        if probe != nil, key == .escape { probe = nil; return [] }
        if tour != nil, let commands = handleTourKey(key) { return commands }
        switch key {
        case .character("q"): quit = true; return [.quit]
        case .character("?"), .function(1):
            showHelp = true
            helpScroll = 0
            return []
        case .tab, .backTab:
            focus = focus == .browser && (tensor != nil || view == .model) ? .view : .browser
            return []
        case .character(let c) where c.isNumber:
            if let n = c.wholeNumberValue, let v = ViewKind(rawValue: n) {
                if compare != nil && (ViewKind.tensorViews.contains(v) || v == .methods) {
                    compare = nil
                    message = "compare closed (C pins the setting again)"
                }
                view = v
                if v == .model || v == .sweep { enterModelViews() }
                if v == .matmul, let t = tensor, t.shape.count != 2 { message = "the Matmul view needs a 2-D weight [out, in]; this tensor is \(Format.shape(t.shape))" }
                if v == .methods, let t = tensor, t.shape.count != 2 || t.count == 0 { message = "the Methods view needs a 2-D weight [out, in]; this tensor is \(Format.shape(t.shape))" }
                return compareIfNeeded() + matmulIfNeeded()
            }
            return []
        case .character("L"): logScale.toggle(); return []
        case .character("T"): return startTour()
        case .character("i"): return startProbePrompt()
        case .character("C"): return toggleCompare()
        case .character("X"): return swapCompare()
        case .character("v"):
            guard isVisible(.model) else { message = "v chooses what the Model view (7) colours by"; return [] }
            cycleColoring()
            return []
        case .character("e"):
            model.showsErrorColumn.toggle()
            return []
        case .escape where background != nil && (view == .model || view == .sweep) && focus == .view:
            return stopBackground()
        case .character("M"):
            return cycleMethodShown()
        case .character("t"):
            matmulChoice = matmulChoice.next
            matmul = nil
            matmulComputing = false
            return matmulIfNeeded()
        case .character("s"), .character("S"):
            // From `stored:` the first step is the fresh re-quantization at the closest scheme.
            if showsStored { return change({ $0.showsStored = false; return true }, otherwise: "") }
            let forward = key == .character("s")
            return change({ $0.nextScheme(forward: forward); return true }, otherwise: "")
        case .character("o"):
            guard let stored = tensor?.stored else { return change({ _ in false }, otherwise: "this tensor is stored as plain \(tensor?.info.dtype ?? "floats"); o shows quantized tensors as stored") }
            if showsStored { return change({ $0.showsStored = false; return true }, otherwise: "") }
            return change({ $0.showsStored = $0.selectFresh(of: stored); return $0.showsStored }, otherwise: "no view of \(stored.formatName) as stored")
        case .character("+"), .character("="):
            return change({ $0.changeBits(by: 1) },
                          otherwise: settings.isInteger ? "already 8 bits" : "bits apply to int schemes; \(settings.scheme) has \(settings.scheme.codeBits)")
        case .character("-"), .character("_"):
            return change({ $0.changeBits(by: -1) },
                          otherwise: settings.isInteger ? "already 2 bits" : "bits apply to int schemes; \(settings.scheme) has \(settings.scheme.codeBits)")
        case .character("a"):
            return change({ $0.cycleSymmetry() }, otherwise: "symmetry applies to int schemes; \(settings.scheme) is symmetric around 0")
        case .character("c"):
            return change({ $0.cycleGranularity() }, otherwise: "\(settings.scheme) always uses \(settings.granularity(rank: rank))")
        case .character(">"), .character("."):
            return change({ $0.changeSize(larger: true) }, otherwise: sizeHint(larger: true))
        case .character("<"), .character(","):
            return change({ $0.changeSize(larger: false) }, otherwise: sizeHint(larger: false))
        case .character("x"):
            let r = rank
            return change({ $0.cycleAxis(rank: r) }, otherwise: "a 1-D tensor has one axis")
        case .character("["):
            return change({ $0.changeClip(narrower: true) }, otherwise: "narrowest clip already (\(settings.clip))")
        case .character("]"):
            return change({ $0.changeClip(narrower: false) }, otherwise: "no clipping already")
        case .character("K"):
            // Off the UI loop like any analysis: the worker calibrates, then quantizes (docs/contract.md §12).
            return change({ $0.cycleCalibration(); return true }, otherwise: "")
        case .character("p"):
            settings.cyclePacking()
            return []
        case .character("f"):
            let formats = AppState.bitsFormats
            bitsFormat = formats[((formats.firstIndex(of: bitsFormat) ?? 0) + 1) % formats.count]
            return []
        case .character("m"):
            if let i = tensor?.summary.argmaxAbs { cursor = i; focus = .view }
            return []
        case .character("w"):
            if let i = worstErrorIndex() { cursor = i; focus = .view }
            return []
        case .character("/"):
            // A fresh filter each time: typing after a kept one must not append to it.
            browser.editingFilter = true
            focus = .browser
            if !browser.filter.isEmpty {
                browser.filter = ""
                browser.rebuild(files: files, keep: browser.selectedRef)
            }
            return []
        default:
            if view == .model && focus == .view { return handleModelKey(key) }
            if view == .methods && focus == .view, let commands = handleMethodsKey(key) { return commands }
            return focus == .browser || tensor == nil ? handleBrowserKey(key) : handleCursorKey(key)
        }
    }

    /// Formats `f` steps through in the Float-bits view.
    public static let bitsFormats: [FloatFormat] = [.e4m3fn, .e5m2, .bf16, .fp16, .e2m1, .e2m3, .e3m2, .e4m3fnuz, .e5m2fnuz, .e8m0]

    var rank: Int { tensor?.shape.count ?? 2 }

    /// Under the help only closing, quitting and scrolling it do anything.
    mutating func handleHelpKey(_ key: Key) -> [AppCommand] {
        let page = HelpOverlay.page(width: width, height: height)
        let step = max(1, page.visibleRows - 1)
        switch key {
        case .escape, .character("?"), .function(1): showHelp = false
        case .character("q"): quit = true; return [.quit]
        case .up, .character("k"): helpScroll -= 1
        case .down, .character("j"): helpScroll += 1
        case .pageUp: helpScroll -= step
        case .pageDown: helpScroll += step
        case .home, .character("g"): helpScroll = 0
        case .end, .character("G"): helpScroll = page.maxScroll
        default: break
        }
        helpScroll = min(max(helpScroll, 0), page.maxScroll)
        return []
    }

    mutating func handleCursorKey(_ key: Key) -> [AppCommand] {
        guard let t = tensor, t.count > 0 else { return [] }
        // Moving the cursor goes back from a typed value to the elements.
        probe = nil
        let columns = max(t.columns, 1)
        let (row, column) = cursorRowColumn
        func set(_ r: Int, _ c: Int) {
            let rr = min(max(r, 0), max(t.rows - 1, 0)), cc = min(max(c, 0), columns - 1)
            cursor = min(rr * columns + cc, t.count - 1)
        }
        switch key {
        case .left, .character("h"): set(row, column - 1)
        case .right, .character("l"): set(row, column + 1)
        case .up, .character("k"): set(row - 1, column)
        case .down, .character("j"): set(row + 1, column)
        case .pageUp: set(row - 16, column)
        case .pageDown: set(row + 16, column)
        case .home: set(row, 0)
        case .end: set(row, columns - 1)
        case .character("g"): cursor = 0
        case .character("G"): cursor = t.count - 1
        case .escape: focus = .browser
        case .enter: break
        default: break
        }
        return []
    }

    /// The element with the largest |x − x̂| under the current analysis.
    func worstErrorIndex() -> Int? { analysis?.worstIndex }
}
