import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// The Methods view's run on the compute worker (docs/contract.md §16.6):
/// on a queue of its own, so an analysis asked for after it is not kept
/// waiting, and stopped by quitting.
@Suite struct MethodsWorkerTests {
    @Test func anAnalysisDoesNotWaitForTheMethodsAndQuitStopsThem() throws {
        let s = try TestStates.state(TestStates.weight(rows: 64, columns: 512), settings: try #require(QuantSettings(scheme: "int4", granularity: "group:128")),
                                     comparisons: false)
        let tensor = try #require(s.tensor)
        let worker = ComputeWorker(files: s.files)
        var request = MethodsRequest(weight: tensor, settings: s.settings)
        request.tokens = 256
        worker.submit(.methods(request, generation: 1))
        worker.submit(.analyze(AnalysisRequest(tensor: tensor, settings: s.settings), generation: 1))
        var analyzedFirst = false, methodsDone = false
        let start = Date()
        while Date().timeIntervalSince(start) < 60, !analyzedFirst && !methodsDone {
            for event in worker.drain() {
                if case .analyzed = event, !methodsDone { analyzedFirst = true }
                if case .methodsReady(let m, _) = event, m.complete { methodsDone = true }
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        #expect(analyzedFirst, "the analysis came only after every method")
        #expect(worker.methodsRunning, "the methods should still be running")
        worker.submit(.quit)
        let stop = Date()
        while worker.methodsRunning && Date().timeIntervalSince(stop) < 30 { Thread.sleep(forTimeInterval: 0.01) }
        #expect(!worker.methodsRunning)
        let late = worker.drain().filter { if case .methodsReady(let m, _) = $0 { return m.complete }; return false }
        #expect(late.isEmpty, "quitting cancels the run before its last method")
    }
}
