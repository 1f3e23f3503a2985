import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// Compare mode (`C` pins B, `X` swaps, docs/contract.md §15): both sides'
/// numbers are those `Quantizer.quantize` gives for their settings, and the
/// screen fits 80×24.
@Suite struct CompareViewTests {
    static func compared(_ tensor: Tensor = TestStates.weight(), a: (inout QuantSettings) -> Void, width: Int = 80, height: Int = 24) throws -> AppState {
        var s = try TestStates.state(tensor, view: .histogram, width: width, height: height, comparisons: false)
        SyncDriver.press([.character("C")], &s)
        var next = s.settings
        a(&next)
        s.settings = next
        SyncDriver.run(s.requestAnalysis(), &s)
        return s
    }

    static func metrics(_ t: Tensor, _ settings: QuantSettings) throws -> ErrorMetrics {
        try Quantizer.quantize(t, scheme: settings.scheme, granularity: settings.granularity(rank: t.shape.count), clip: settings.clip).metrics
    }

    @Test func pinningShowsBothSidesWithTheQuantizersNumbers() throws {
        let s = try Self.compared(a: { $0.bits = 4 })
        let c = try #require(s.compare)
        #expect(c.settings.spelling(rank: 2) == "int8 tensor")
        #expect(s.settings.spelling(rank: 2) == "int4 tensor")
        let text = ScreenRenderer.render(s, theme: .monochrome).text
        let t = TestStates.weight()
        let ma = try Self.metrics(t, s.settings), mb = try Self.metrics(t, c.settings)
        #expect(text.contains(String(format: "A  SQNR %.2f dB", ma.sqnrDecibels)))
        #expect(text.contains(String(format: "B  SQNR %.2f dB", mb.sqnrDecibels)))
        #expect(text.contains("MSE \(Format.number(ma.mse))") && text.contains("MSE \(Format.number(mb.mse))"))
        #expect(text.contains("SQNR " + CompareView.signed(mb.sqnrDecibels - ma.sqnrDecibels) + " dB"))
        #expect(CompareView.signed(-5.661) == "−5.66" && CompareView.signed(0.001) == "±0.00" && CompareView.signed(22.3) == "+22.30")
        #expect(text.contains("┴ A int4 tensor · 15 levels"))
        #expect(text.contains("┬ B int8 tensor · 255 levels"))
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "compare-80x24-int4-vs-int8")
    }

    @Test func symmetricAgainstAsymmetricOnTheSkewedTensorAtALargeSize() throws {
        // A post-GELU-like tensor: mostly small, a long positive tail.
        let g = TestStates.weight(rows: 32, columns: 96, seed: 3)
        let skewed = Tensor(shape: g.shape, values: g.values.map { v in let x = v * 40; return 0.5 * x * (1 + Float(tanh(Double(0.7978845608 * (x + 0.044715 * x * x * x))))) })
        var s = try Self.compared(skewed, a: { $0.symmetry = .asymmetric }, width: 160, height: 48)
        s.cursor = 100
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "compare-160x48-int8-asym-vs-sym")
        Golden.checkStyles(s, "compare-160x48-int8-asym-vs-sym")
        let text = ScreenRenderer.render(s, theme: .monochrome).text
        let q = try Quantizer.quantize(skewed, scheme: s.settings.scheme, granularity: .tensor)
        #expect(text.contains("Z = \(Format.integer(Int(q.zeroPoints![0])))"))
    }

    @Test func swapTradesSidesAndClosingForgetsB() throws {
        var s = try Self.compared(a: { $0.bits = 4 })
        let a = s.analysis?.quantized.metrics.mse, b = s.compare?.analysis?.quantized.metrics.mse
        SyncDriver.press([.character("X")], &s)
        #expect(s.settings.bits == 8 && s.compare?.settings.bits == 4)
        #expect(s.analysis?.quantized.metrics.mse == b && s.compare?.analysis?.quantized.metrics.mse == a)
        SyncDriver.press([.character("C")], &s)
        #expect(s.compare == nil)
        #expect(!ScreenRenderer.render(s, theme: .monochrome).text.contains("Compare"))
    }

    @Test func aViewKeyClosesCompareAndANewTensorRecomputesB() throws {
        var s = try Self.compared(a: { $0.bits = 4 })
        SyncDriver.press([.character("3")], &s)
        #expect(s.compare == nil && s.view == .error)
        // B follows the open tensor: a new one is quantized under B again.
        let other = TestStates.weight(rows: 16, columns: 32, seed: 9)
        var t = try TestStates.state(other, comparisons: false)
        SyncDriver.press([.character("C"), .character("-")], &t)
        let loaded = try #require(t.tensor)
        SyncDriver.run(t.handle(.loaded(loaded, generation: t.generation)), &t)
        #expect(t.compare?.analysis?.quantized.metrics.mse == (try Self.metrics(other, t.compare!.settings)).mse)
    }

    @Test func edgeTensorsNeverCrashOrShowNaN() throws {
        for tensor in [Tensor(shape: [0, 8], values: []), Tensor(shape: [16, 16], values: [Float](repeating: 0.5, count: 256)),
                       Tensor(shape: [16, 16], values: [Float](repeating: 0, count: 256))] {
            for size in [(80, 24), (60, 10), (200, 60)] {
                var s = try TestStates.state(tensor.count == 0 ? TestStates.weight() : tensor, width: size.0, height: size.1, comparisons: false)
                if tensor.count == 0 {
                    let file = try TestStates.file(tensor, name: "empty")
                    s = AppState(files: [file], width: size.0, height: size.1)
                    s.tensor = LoadedTensor(ref: TensorRef(file: 0, tensor: 0), info: file.checkpoint.tensors[0], fileName: file.name, tensor: tensor)
                }
                SyncDriver.press([.character("C"), .character("a")], &s)
                let text = ScreenRenderer.render(s, theme: .monochrome).text
                #expect(!text.contains("nan") && !text.contains("NaN"))
            }
        }
    }
}
