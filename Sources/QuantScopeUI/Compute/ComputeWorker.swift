import Foundation
import QuantEngine

/// Runs loads and analyses off the UI thread, one at a time, and hands the
/// results back as events. A new analysis cancels the one in flight (its
/// `WorkToken`), so toggling quickly never queues stale work.
public final class ComputeWorker: @unchecked Sendable {
    private let queue = DispatchQueue(label: "quantscope.compute", qos: .userInitiated)
    private let lock = NSLock()
    private var inbox: [AppEvent] = []
    private var inFlight: [WorkToken] = []
    private var current: WorkToken?
    private let files: [OpenFile]
    private let against: OpenFile?
    /// Whole-model work (scan, sweep, diff) runs here, one job at a time, beside the analyses.
    private let backgroundQueue = DispatchQueue(label: "quantscope.background", qos: .utility)
    private var backgroundToken: WorkToken?
    /// Compare mode's analysis of B: cancelled only by a newer one or a new
    /// tensor, never by A's toggles, so both sides finish.
    private var compareToken: WorkToken?
    private var backgroundFraction = 0.0
    /// A result no longer on screen whose buffers the next analysis reuses.
    private var spare: QuantizedTensor?
    /// The PTQ-vs-QAT training run: one at a time, on a queue of its own.
    private let trainingQueue = DispatchQueue(label: "quantscope.training", qos: .utility)
    private var trainingToken: WorkToken?
    /// The Methods view's run: one at a time, on a queue of its own (GPTQ and
    /// AWQ take seconds on a large layer; the analyses must not wait).
    private let methodsQueue = DispatchQueue(label: "quantscope.methods", qos: .utility)
    private var methodsToken: WorkToken?

    public init(files: [OpenFile], against: OpenFile? = nil) {
        self.files = files
        self.against = against
    }

    /// Starts the work a command asks for.
    public func submit(_ command: AppCommand) {
        switch command {
        case .methods(let request, let generation):
            let token = WorkToken()
            lock.lock()
            methodsToken?.cancel()
            methodsToken = token
            lock.unlock()
            methodsQueue.async {
                guard !token.isCancelled else { return }
                ComputeJobs.methods(request, token: token, generation: generation) { self.post($0) }
                self.lock.lock()
                if self.methodsToken === token { self.methodsToken = nil }
                self.lock.unlock()
            }
        case .quit:
            lock.lock()
            methodsToken?.cancel()
            lock.unlock()
            cancelAll()
            cancelBackground()
            cancelTraining()
        case .cancelBackground:
            cancelBackground()
        case .cancelQAT:
            cancelTraining()
        case .trainQAT(let configuration, let generation):
            cancelTraining()
            let token = WorkToken()
            lock.lock()
            trainingToken = token
            lock.unlock()
            trainingQueue.async {
                let report = try? QATExperiment.run(configuration, token: token) { progress in
                    self.post(.qatProgress(progress, generation: generation))
                }
                self.lock.lock()
                if self.trainingToken === token { self.trainingToken = nil }
                self.lock.unlock()
                self.post(.qatFinished(report, generation: generation))
            }
        case .background(let request, let generation):
            cancelBackground()
            let token = WorkToken()
            lock.lock()
            backgroundToken = token
            backgroundFraction = 0
            lock.unlock()
            backgroundQueue.async { [files, against] in
                BackgroundWork.run(request, files: files, against: against, token: token,
                                   post: { piece in self.post(.background(piece, generation: generation)) },
                                   progress: { fraction in
                                       self.lock.lock()
                                       if self.backgroundToken === token { self.backgroundFraction = fraction }
                                       self.lock.unlock()
                                   })
                self.lock.lock()
                let current = self.backgroundToken === token
                if current { self.backgroundToken = nil }
                self.lock.unlock()
                if current { self.post(.backgroundDone(generation: generation, cancelled: token.isCancelled)) }
            }
        case .recycle(let old):
            lock.lock()
            spare = old
            lock.unlock()
        case .compareAnalyze(let request, let generation):
            let token = WorkToken()
            lock.lock()
            compareToken?.cancel()
            compareToken = token
            lock.unlock()
            queue.async {
                defer {
                    self.lock.lock()
                    if self.compareToken === token { self.compareToken = nil }
                    self.lock.unlock()
                }
                guard !token.isCancelled else { return }
                if let event = ComputeJobs.compareAnalyze(request, token: token, generation: generation) { self.post(event) }
            }
        case .load(let ref, let generation):
            cancelAll()
            lock.lock()
            compareToken?.cancel()
            lock.unlock()
            let token = begin()
            queue.async { [files] in
                defer { self.finish(token) }
                self.post(ComputeJobs.load(ref, files: files, generation: generation))
            }
        case .analyze(let request, let generation):
            cancelAll()
            let token = begin()
            queue.async {
                defer { self.finish(token) }
                guard !token.isCancelled else { return }
                self.lock.lock()
                var reuse = self.spare.take()
                self.lock.unlock()
                if let event = ComputeJobs.analyze(request, token: token, recycling: reuse.take(), generation: generation) { self.post(event) }
            }
        case .matmul(let original, let generation):
            let token = begin()
            queue.async { [files] in
                defer { self.finish(token) }
                self.post(ComputeJobs.matmul(original, files: files, token: token, generation: generation))
            }
        case .details(let request, let analysis, let generation):
            let token = begin()
            queue.async {
                defer { self.finish(token) }
                guard !token.isCancelled else { return }
                if let event = ComputeJobs.details(request, of: analysis, token: token, generation: generation) { self.post(event) }
            }
        }
    }

    /// The events that arrived since the last call.
    public func drain() -> [AppEvent] {
        lock.lock()
        defer { lock.unlock() }
        let events = inbox
        inbox.removeAll()
        return events
    }

    /// Whether anything is queued or running.
    public var isBusy: Bool {
        lock.lock()
        defer { lock.unlock() }
        return !inFlight.isEmpty || compareToken != nil
    }

    /// How far the background job got (nil when none runs).
    public var backgroundProgress: Double? {
        lock.lock()
        defer { lock.unlock() }
        return backgroundToken == nil ? nil : backgroundFraction
    }

    /// Whether the Methods view's run is going on.
    public var methodsRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return methodsToken != nil
    }

    /// How far the training run got (nil when none runs).
    public var trainingProgress: Double? {
        lock.lock()
        defer { lock.unlock() }
        return trainingToken?.fraction
    }

    private func cancelTraining() {
        lock.lock()
        trainingToken?.cancel()
        trainingToken = nil
        lock.unlock()
    }

    private func cancelBackground() {
        lock.lock()
        backgroundToken?.cancel()
        backgroundToken = nil
        lock.unlock()
    }

    /// How far the running work got (nil when it reports nothing).
    public var progress: Double? {
        lock.lock()
        defer { lock.unlock() }
        guard let current, current.fraction > 0 else { return nil }
        return current.fraction
    }

    private func begin() -> WorkToken {
        let token = WorkToken()
        lock.lock()
        inFlight.append(token)
        current = token
        lock.unlock()
        return token
    }

    private func finish(_ token: WorkToken) {
        lock.lock()
        inFlight.removeAll { $0 === token }
        if current === token { current = inFlight.last }
        lock.unlock()
    }

    private func cancelAll() {
        lock.lock()
        for token in inFlight { token.cancel() }
        lock.unlock()
    }

    private func post(_ event: AppEvent) {
        lock.lock()
        inbox.append(event)
        lock.unlock()
    }
}
