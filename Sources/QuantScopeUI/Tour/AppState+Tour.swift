import QuantEngine

/// The tour's keys and presets (docs/contract.md §15). PgDn / Space and
/// PgUp / Backspace step through scenes and lessons (what a presentation
/// clicker sends), 1…9 and 0 jump to lessons 1…10, T or Esc leave; every
/// other key works as in the explorer, so each scene's "try" keys do.
extension AppState {
    /// Starts the tour at `lesson` (0-based), or leaves it.
    public mutating func startTour(at lesson: Int = 0) -> [AppCommand] {
        var tour = TourState(lesson: min(max(lesson, 0), TourLessons.all.count - 1))
        tour.footprint = files.first.map { ModelFootprint($0.checkpoint) }
        self.tour = tour
        showHelp = false
        return applyScene()
    }

    /// Keys the tour takes before the explorer does; nil when it leaves the key alone.
    mutating func handleTourKey(_ key: Key) -> [AppCommand]? {
        guard var tour else { return nil }
        let lessons = TourLessons.all
        switch key {
        case .pageDown, .character(" "):
            if tour.scene + 1 < tour.currentLesson.scenes.count {
                tour.scene += 1
            } else if tour.lesson + 1 < lessons.count {
                tour.lesson += 1
                tour.scene = 0
            } else {
                message = "the last lesson · PgUp goes back · T leaves the tour"
                return []
            }
        case .pageUp, .backspace:
            if tour.scene > 0 {
                tour.scene -= 1
            } else if tour.lesson > 0 {
                tour.lesson -= 1
                tour.scene = lessons[tour.lesson].scenes.count - 1
            } else {
                message = "the first lesson"
                return []
            }
        case .character(let c) where c.isNumber:
            guard let n = c.wholeNumberValue else { return nil }
            let index = n == 0 ? 9 : n - 1
            guard index < lessons.count else { return [] }
            tour.lesson = index
            tour.scene = 0
        case .character("T"), .escape:
            self.tour = nil
            compare = nil
            message = "left the tour (T starts it again)"
            return stopQAT()
        default:
            return nil
        }
        self.tour = tour
        return applyScene()
    }

    /// Puts the explorer where the current scene wants it: tensor, settings, view, comparison.
    mutating func applyScene() -> [AppCommand] {
        guard var tour else { return [] }
        let scene = tour.current
        var next = QuantSettings(scheme: scene.scheme, granularity: scene.granularity) ?? QuantSettings()
        next.packing = settings.packing
        next.calibration = scene.calibration
        settings = next
        view = scene.view
        focus = .view
        logScale = scene.logScale
        if let format = scene.bitsFormat { bitsFormat = format }
        compare = scene.compareScheme.flatMap { QuantSettings(scheme: $0, granularity: scene.compareGranularity) }.map { b in
            var b = b
            b.clip = scene.compareClip
            return CompareState(settings: b)
        }
        let ref = tourTensor(scene.tensor)
        if let ref, ref != tensor?.ref {
            tour.pendingCursor = scene.cursor
            self.tour = tour
            return (scene.panel == .qat ? startQATIfNeeded() : []) + open(ref)
        }
        self.tour = tour
        placeTourCursor(scene.cursor)
        let training = scene.panel == .qat ? startQATIfNeeded() : []
        return training + requestAnalysis() + requestCompareAnalysis() + compareIfNeeded() + matmulIfNeeded()
    }

    /// Called when a tensor arrives during the tour: the scene's settings
    /// win over a stored tensor's own (the lessons quantize fresh), and the
    /// cursor goes where the scene wants it.
    mutating func tourLoaded() {
        guard var tour, let cursor = tour.pendingCursor else { return }
        let scene = tour.current
        if var next = QuantSettings(scheme: scene.scheme, granularity: scene.granularity) {
            next.packing = settings.packing
            next.calibration = scene.calibration
            settings = next
        }
        tour.pendingCursor = nil
        self.tour = tour
        placeTourCursor(cursor)
    }

    private mutating func placeTourCursor(_ cursor: TourScene.Cursor) {
        switch cursor {
        case .first: self.cursor = 0
        case .maxAbs: self.cursor = tensor?.summary.argmaxAbs ?? 0
        }
    }

    /// The tensor a scene names: a bundled sample's, else the first weight
    /// of the first file (the user's own model), else the first tensor.
    func tourTensor(_ choice: TourScene.TensorChoice) -> TensorRef? {
        if case .sample(let fileName, let name) = choice {
            for (f, file) in files.enumerated() where file.name == fileName {
                if let t = file.checkpoint.tensors.firstIndex(where: { $0.name == name }) { return TensorRef(file: f, tensor: t) }
            }
        }
        guard let first = files.first else { return nil }
        let weights = ModelScan.weights(of: first.checkpoint)
        if let w = weights.first, let t = first.checkpoint.tensors.firstIndex(where: { $0.name == w.name }) { return TensorRef(file: 0, tensor: t) }
        return first.checkpoint.tensors.isEmpty ? nil : TensorRef(file: 0, tensor: 0)
    }
}
