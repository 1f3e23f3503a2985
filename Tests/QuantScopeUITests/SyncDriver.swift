import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// Runs a state's commands synchronously with the code the worker runs
/// (`HeadlessSession.settle` over `ComputeJobs`: loads, analyses, compare
/// analyses, details, matmuls), so a key's whole effect is on screen before
/// a test looks. Timings are fixed (golden screens) and whole-model jobs are
/// left undone, as the tests of those views drive them themselves.
enum SyncDriver {
    /// Types `keys`, running every command they start to its end.
    static func press(_ keys: [Key], _ state: inout AppState) {
        for key in keys { run(state.handle(.input(.key(key))), &state) }
    }

    static func run(_ commands: [AppCommand], _ state: inout AppState) {
        state.fixedTimings = true
        do {
            try HeadlessSession.settle(commands, &state, runsBackground: false)
        } catch {
            Issue.record("\(error)")
        }
    }
}
