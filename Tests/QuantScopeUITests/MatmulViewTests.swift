import QuantEngine
import Testing
@testable import QuantScopeUI

/// The Matmul view: the W8A8 step-by-step for the cursor's output channel,
/// and every kernel against float32.
@Suite struct MatmulViewTests {
    /// A state on the Matmul view with the kernels run synchronously; timings
    /// are pinned so the golden screens do not drift.
    static func state(cursor: Int = 0, width: Int = 120, height: Int = 40, choice: ActivationChoice = .outliers) throws -> AppState {
        var s = try TestStates.state(TestStates.weight(rows: 48, columns: 128), view: .matmul, cursor: cursor,
                                     width: width, height: height, comparisons: false)
        s.matmulChoice = choice
        let tensor = try #require(s.tensor)
        var m = try MatmulAnalyzer.analyze(MatmulRequest(weight: tensor, choice: choice))
        m.f32Milliseconds = 0.5
        for i in m.results.indices { m.results[i].milliseconds = 0.25 + 0.05 * Double(i) }
        s.matmul = m
        return s
    }

    @Test func goldenScreens() throws {
        let wide = try Self.state(cursor: 20 * 128 + 70)
        Golden.check(ScreenRenderer.render(wide, theme: .monochrome), "matmul-120x40-outliers")
        Golden.checkStyles(wide, "matmul-120x40-outliers")
        Golden.check(ScreenRenderer.render(try Self.state(cursor: 17 * 128 + 5, width: 80, height: 24), theme: .monochrome), "matmul-80x24-outliers")
    }

    @Test func theStepByStepIsTheKernelsOwnArithmetic() throws {
        let s = try Self.state(cursor: 17 * 128 + 5)
        let m = try #require(s.matmul)
        let trace = Int8AccumulatorTrace(activations: m.activations8, weights: m.weights8, token: 0, channel: 17)
        let ys = W8A8Matmul.accumulators(m.activations8, m.weights8)
        #expect(trace.accumulator == ys[17], "the accumulator shown is the kernel's int32 for y[0, 17]")
        let text = ScreenRenderer.render(s, theme: .monochrome).text
        #expect(text.contains("W8A8 for y[0, 17]"))
        #expect(text.contains("= \(Format.grouped(Int(trace.accumulator)))"))
        for kernel in ["w8a8", "w4a16", "w4a8", "fp8", "q4_0"] { #expect(text.contains(kernel), "table lacks \(kernel)") }
    }

    @Test func outlierActivationsHurtW8A8MoreThanW4A16() throws {
        // Per-token int8 activations lose the small features next to ×20–50
        // outliers; w4a16 keeps activations in float.
        let m = try #require(try Self.state(choice: .outliers).matmul)
        let w8a8 = try #require(m.results.first { $0.kernel.name == "w8a8" })
        let gaussian = try #require(try Self.state(choice: .gaussian).matmul)
        let w8a8Plain = try #require(gaussian.results.first { $0.kernel.name == "w8a8" })
        #expect(w8a8.metrics.sqnrDecibels < w8a8Plain.metrics.sqnrDecibels)
    }

    @Test func keysSixAndTAskForKernels() throws {
        var s = try TestStates.state(view: .histogram, comparisons: false)
        let commands = s.handle(.input(.key(.character("6"))))
        #expect(s.view == .matmul)
        #expect(commands.contains { if case .matmul = $0 { return true }; return false })
        #expect(s.matmulComputing)
        let before = s.matmulChoice
        let again = s.handle(.input(.key(.character("t"))))
        #expect(s.matmulChoice == before.next)
        #expect(again.contains { if case .matmul = $0 { return true }; return false })
    }
}
