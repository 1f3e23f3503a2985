import Foundation
import QuantEngine
@testable import QuantScopeUI

/// Runs a state's commands synchronously with the code the worker runs
/// (loads, analyses, compare analyses, details), so a key's whole effect is
/// on screen before a test looks.
enum SyncDriver {
    /// Types `keys`, running every command they start to its end.
    static func press(_ keys: [Key], _ state: inout AppState) {
        for key in keys { run(state.handle(.input(.key(key))), &state) }
    }

    static func run(_ commands: [AppCommand], _ state: inout AppState) {
        var queue = commands
        while !queue.isEmpty {
            let command = queue.removeFirst()
            var event: AppEvent?
            switch command {
            case .load(let ref, let g):
                let file = state.files[ref.file], info = file.checkpoint.tensors[ref.tensor]
                if let t = try? file.checkpoint.load(info) {
                    let stored = try? file.checkpoint.storedQuantization(for: info)
                    event = .loaded(LoadedTensor(ref: ref, info: info, fileName: file.name, tensor: t, stored: stored ?? nil), generation: g)
                }
            case .analyze(let request, let g):
                do { var a = try Analyzer.analyze(request); a.milliseconds = 1.25; event = .analyzed(a, generation: g) }
                catch { event = .failed(error.description, generation: g) }
            case .compareAnalyze(let request, let g):
                do { event = .compared(try Analyzer.analyze(request), generation: g) }
                catch { event = .compareFailed(error.description, generation: g) }
            case .matmul(let original, let g):
                var request = original
                if request.choice == .tensor, let ref = request.activationRef {
                    let info = state.files[ref.file].checkpoint.tensors[ref.tensor]
                    if let t = try? state.files[ref.file].checkpoint.load(info), let k = t.shape.last, k > 0 {
                        request.activationTensor = (info.name, t.values, t.count / k)
                    }
                }
                if var m = try? MatmulAnalyzer.analyze(request) {
                    // Timings vary run to run: golden screens show fixed ones.
                    m.f32Milliseconds = 1
                    for i in m.results.indices { m.results[i].milliseconds = 0.25 + 0.05 * Double(i) }
                    event = .matmulReady(m, generation: g)
                }
            case .trainQAT(let configuration, let g):
                // The worker posts one event per curve point, then the report.
                var points: [TrainingProgress] = []
                let report = try? QATExperiment.run(configuration) { points.append($0) }
                for p in points { queue += state.handle(.qatProgress(p, generation: g)) }
                event = .qatFinished(report, generation: g)
            case .details(let request, let analysis, let g):
                if let d = try? Analyzer.details(request, of: analysis) { event = .detailed(d, generation: g) }
            default:
                break
            }
            if let event {
                queue += state.handle(event)
                if case .analyzed = event { state.lastRecompute = 1.25 }
            }
        }
    }
}
