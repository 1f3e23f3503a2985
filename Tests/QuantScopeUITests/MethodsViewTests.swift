import QuantEngine
import Testing
@testable import QuantScopeUI

/// The Methods view (docs/contract.md §16.6): every method's output error as
/// bars, GPTQ's columns step by step, AWQ's scales, SmoothQuant's ranges.
@Suite struct MethodsViewTests {
    /// A state on the Methods view at int4 group:32 with the methods run
    /// through the headless session (the worker's own jobs), timings pinned.
    static func state(width: Int = 120, height: Int = 40, keys: [Key] = []) throws -> AppState {
        var s = try TestStates.state(TestStates.weight(rows: 32, columns: 64), settings: try #require(QuantSettings(scheme: "int4", granularity: "group:32")),
                                     view: .histogram, width: width, height: height, comparisons: false)
        s.methodsTokens = 48
        s.fixedTimings = true
        var session = HeadlessSession(state: s)
        try session.press([.character("9")] + keys)
        return session.state
    }

    @Test func goldenScreens() throws {
        let wide = try Self.state()
        #expect(wide.methods?.complete == true)
        Golden.check(ScreenRenderer.render(wide, theme: .monochrome), "methods-120x40")
        let gptq = try Self.state(keys: [.right, .right, .right])
        Golden.check(ScreenRenderer.render(gptq, theme: .monochrome), "methods-120x40-gptq-step4")
        Golden.check(ScreenRenderer.render(try Self.state(width: 80, height: 24, keys: [.character("M"), .character("M")]), theme: .monochrome),
                     "methods-80x24-awq")
        Golden.check(ScreenRenderer.render(try Self.state(width: 80, height: 24, keys: Array(repeating: .character("M"), count: 4)), theme: .monochrome),
                     "methods-80x24-smoothquant")
    }

    @Test func theBarsAreTheEnginesFigures() throws {
        let s = try Self.state()
        let m = try #require(s.methods)
        #expect(m.entries.map(\.method.name) == WeightMethod.spellings)
        let rtn = try #require(m.entries.first)
        // The same problem through the engine directly gives the same output SQNR.
        let tensor = try #require(s.tensor)
        let a = MethodActivations.synthetic(.correlated, tokens: 48, features: 64)
        let problem = try LayerProblem(weight: tensor.tensor, calibration: Tensor(shape: [48, 64], values: a.calibration),
                                       test: Tensor(shape: [48, 64], values: a.heldOut), scheme: try Scheme(parsing: "int4"),
                                       granularity: .group(size: 32), activationSource: a.label)
        let (_, evaluation) = try Methods.evaluate(.rtn, on: problem)
        #expect(rtn.output.sqnrDecibels == evaluation.output.sqnrDecibels)
        let text = ScreenRenderer.render(s, theme: .monochrome).text
        #expect(text.contains(MethodsView.dB(rtn.output)))
    }

    @Test func gptqStepsMoveWithTheArrowsAndStopAtTheEnds() throws {
        let s = try Self.state(keys: [.left, .left])
        #expect(s.methodsStep == 0 && s.methodShown?.method.name == "gptq")
        let end = try Self.state(keys: [.end, .right])
        #expect(end.methodsStep == 63)
        #expect(ScreenRenderer.render(end, theme: .monochrome).text.contains("GPTQ step 64/64"))
    }

    @Test func aNonMatrixOrEmptyTensorGetsANoteAndNoWork() throws {
        for tensor in [Tensor(shape: [16], values: [Float](repeating: 1, count: 16)), Tensor(shape: [0, 8], values: [])] {
            var s = try TestStates.state(tensor, view: .histogram, width: 80, height: 24, comparisons: false)
            let commands = s.handle(.input(.key(.character("9"))))
            #expect(!commands.contains { if case .methods = $0 { return true }; return false })
            #expect(ScreenRenderer.render(s, theme: .monochrome).text.contains("2-D weight"))
        }
        // A constant weight runs (every method is exact or close) without a NaN on screen.
        var constant = try TestStates.state(Tensor(shape: [8, 16], values: [Float](repeating: 0.5, count: 128)), view: .histogram,
                                            width: 80, height: 24, comparisons: false)
        constant.methodsTokens = 8
        var session = HeadlessSession(state: constant)
        try session.press([.character("9")])
        let text = ScreenRenderer.render(session.state, theme: .monochrome).text
        #expect(session.state.methods?.complete == true && !text.contains("nan") && !text.contains("NaN"))
    }

    @Test func newSettingsAskAgainAndOldResultsAreDropped() throws {
        var s = try Self.state()
        let before = try #require(s.methods?.key)
        let commands = s.handle(.input(.key(.character("+"))))
        #expect(commands.contains { if case .methods = $0 { return true }; return false })
        #expect(s.methods == nil && s.methodsPendingKey != before)
    }
}
