import QuantEngine

/// The PTQ-vs-QAT panel's run (docs/contract.md §13): started when a tour
/// scene shows the panel and no run has finished, fed by progress events,
/// stopped when the tour ends.
extension AppState {
    /// Starts training unless a run is going or has finished.
    mutating func startQATIfNeeded() -> [AppCommand] {
        if let qat, qat.running || qat.report != nil { return [] }
        qatGeneration += 1
        qat = QATPanelState(configuration: qatConfiguration)
        return [.trainQAT(qatConfiguration, generation: qatGeneration)]
    }

    /// Stops a run in flight (leaving the tour); a finished one is kept.
    mutating func stopQAT() -> [AppCommand] {
        guard qat?.running == true else { return [] }
        qat = nil
        qatGeneration += 1
        return [.cancelQAT]
    }

    mutating func handleQAT(_ event: AppEvent) -> [AppCommand] {
        switch event {
        case .qatProgress(let progress, let g):
            guard g == qatGeneration else { return [] }
            qat?.apply(progress)
        case .qatFinished(let report, let g):
            guard g == qatGeneration else { return [] }
            if let report {
                qat?.finish(report)
            } else {
                qat = nil
            }
        default:
            break
        }
        return []
    }
}
