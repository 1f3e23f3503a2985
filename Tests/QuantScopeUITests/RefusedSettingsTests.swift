import QuantEngine
import Testing
@testable import QuantScopeUI

/// Settings the engine refuses (a GGUF block scheme on a row that is not a
/// whole number of blocks): every view says so, with the engine's reason,
/// and none keeps showing the previous scheme's result as if it were theirs.
@Suite struct RefusedSettingsTests {
    /// A 100-value vector: int8 works, q4_1 (blocks of 32 along the last axis) cannot.
    static func state() throws -> AppState {
        let values = (0..<100).map { Float($0 - 50) / 40 }
        return try TestStates.state(Tensor(shape: [100], values: values), comparisons: false)
    }

    /// Runs the request the commands carry, as the worker would, and feeds its outcome back.
    static func runAnalysis(_ state: inout AppState, _ commands: [AppCommand]) {
        for case .analyze(let request, let generation) in commands {
            do throws(QuantizationError) {
                _ = state.handle(.analyzed(try Analyzer.analyze(request), generation: generation))
            } catch {
                _ = state.handle(.failed(error.description, generation: generation))
            }
        }
    }

    static func text(_ state: AppState) -> String {
        ScreenRenderer.render(state, theme: .monochrome).text
    }

    @Test func aRefusedSchemeClearsTheOldResultAndSaysWhyInEveryView() throws {
        var state = try Self.state()
        #expect(state.analysis != nil)
        while state.settings.stop != .scheme(.gguf(.q4_1)) {
            Self.runAnalysis(&state, state.handle(.input(.key(.character("s")))))
        }
        #expect(state.analysis == nil, "the int/fp result before q4_1 must not stay on screen")
        let reason = try #require(state.analysisFailure)
        #expect(reason.contains("multiple of 32"))
        // A later key clears the status bar's copy; the views keep the reason.
        _ = state.handle(.input(.key(.character("l"))))
        #expect(state.message == nil || state.message?.contains("multiple of 32") == false)
        for view in ViewKind.tensorViews {
            state.view = view
            let screen = Self.text(state)
            #expect(screen.contains("no result for q4_1"), "view \(view)")
            #expect(screen.contains("multiple of 32"), "view \(view): the reason, wrapped into the view")
            #expect(!screen.contains("codes used"), "view \(view) still shows a result")
        }
    }

    @Test func theNextWorkingSchemeShowsItsResultAgain() throws {
        var state = try Self.state()
        while state.settings.stop != .scheme(.gguf(.q4_1)) {
            Self.runAnalysis(&state, state.handle(.input(.key(.character("s")))))
        }
        Self.runAnalysis(&state, state.handle(.input(.key(.character("S")))))
        #expect(state.analysisFailure?.contains("q4_0") == true, "q4_0's own reason, not q4_1's")
        #expect(Self.text(state).contains("no result for q4_0"))
        while state.settings.stop != .integer {
            Self.runAnalysis(&state, state.handle(.input(.key(.character("s")))))
        }
        #expect(state.analysisFailure == nil)
        #expect(state.analysis?.quantized.scheme.description == "int8")
        #expect(Self.text(state).contains("codes used"))
    }

    @Test func aNarrowViewWrapsTheReasonInsteadOfCuttingIt() throws {
        var state = try Self.state()
        state.width = 80
        state.height = 24
        while state.settings.stop != .scheme(.gguf(.q4_1)) {
            Self.runAnalysis(&state, state.handle(.input(.key(.character("s")))))
        }
        let screen = Self.text(state)
        #expect(screen.contains("this tensor's is"))
        #expect(screen.contains("100"))
    }
}
