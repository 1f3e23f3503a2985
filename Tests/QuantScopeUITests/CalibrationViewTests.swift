import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// `K` and the Error view's error-versus-clip curve (docs/contract.md §12).
@Suite struct CalibrationViewTests {
    static let sizes = [(80, 24), (120, 40)]

    static func settings(bits: Int = 4, calibration: Calibration? = .mse) -> QuantSettings {
        var s = QuantSettings()
        s.bits = bits
        s.calibration = calibration
        return s
    }

    static func text(_ state: AppState) -> String {
        let buffer = ScreenRenderer.render(state, theme: .monochrome)
        return (0..<buffer.height).map { y in String(String.UnicodeScalarView((0..<buffer.width).map { buffer[$0, y].scalar })) }
            .joined(separator: "\n")
    }

    @Test func goldenCurve() throws {
        for (w, h) in Self.sizes {
            let state = try TestStates.state(settings: Self.settings(), view: .error, width: w, height: h)
            let a = try #require(state.analysis?.calibration)
            #expect(state.analysis?.quantized.clip == a.clip && a.clip < 1)
            Golden.check(ScreenRenderer.render(state, theme: .monochrome), "error-\(w)x\(h)-calibration-mse")
        }
    }

    @Test func goldenPercentile() throws {
        let state = try TestStates.state(settings: Self.settings(bits: 8, calibration: .percentile(99.9)), view: .error, width: 80, height: 24)
        Golden.check(ScreenRenderer.render(state, theme: .monochrome), "error-80x24-calibration-p99.9")
    }

    @Test func keyCyclesAndRecomputes() throws {
        var s = try TestStates.state(settings: Self.settings(calibration: nil), view: .error, comparisons: false)
        var seen: [String] = []
        for _ in 0..<5 {
            let commands = s.handle(.input(.key(.character("K"))))
            #expect(commands.contains { if case .analyze = $0 { return true } else { return false } })
            seen.append(s.settings.calibration?.brief ?? "none")
        }
        #expect(seen == ["minmax", "p99.9", "p99.99", "mse", "none"])
        // Run to the end: the analysis carries the calibration and used its clip.
        SyncDriver.press([.character("K"), .character("K"), .character("K"), .character("K")], &s)
        let a = try #require(s.analysis)
        let c = try #require(a.calibration)
        #expect(c.method == .mse && a.quantized.clip == c.clip)
        #expect(s.schemeSpelling.hasPrefix("int4 tensor cal mse: clip "))
        // The Model view's scan does not calibrate, and its key says so.
        #expect(s.scanKey == "int4 tensor")
        // A hand-set clip turns calibration off.
        SyncDriver.press([.character("[")], &s)
        #expect(s.settings.calibration == nil)
        #expect(s.analysis?.calibration == nil)
        #expect(s.schemeSpelling == "int4 tensor")
    }

    @Test func ggufSaysItTakesNoClip() throws {
        var settings = Self.settings()
        settings.stop = .scheme(.gguf(.q4_0))
        let state = try TestStates.state(settings: settings, view: .error, width: 80, height: 24)
        #expect(Self.text(state).contains("calibration: q4_0 takes no clip"))
    }

    /// Constant, all-zero and NaN-holding tensors: a clear picture, never NaN.
    @Test(arguments: ["constant", "zeros", "nan"])
    func degenerateTensors(_ kind: String) throws {
        let values: [Float]
        switch kind {
        case "constant": values = Array(repeating: 0.75, count: 64)
        case "zeros": values = Array(repeating: 0, count: 64)
        default: values = (0..<64).map { $0 % 9 == 0 ? .nan : Float($0) / 10 }
        }
        for (w, h) in Self.sizes {
            let state = try TestStates.state(Tensor(shape: [8, 8], values: values), settings: Self.settings(), view: .error, width: w, height: h)
            let text = Self.text(state)
            #expect(state.analysis?.calibration != nil)
            #expect(!text.contains("NaN") && !text.contains("nan"), "\(kind) \(w)×\(h)")
            #expect(text.contains("MSE vs clip"), "\(kind) \(w)×\(h)")
        }
    }

    @Test func emptyTensor() throws {
        let state = try TestStates.state(Tensor(shape: [0, 4], values: []), settings: Self.settings(), view: .error, width: 80, height: 24)
        #expect(state.analysis?.calibration?.curve.points.isEmpty == true)
        #expect(!Self.text(state).contains("NaN"))
    }
}
