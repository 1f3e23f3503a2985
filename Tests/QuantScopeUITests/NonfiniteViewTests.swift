import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// The explorer on results that are not finite although the weight is: a
/// q4_0 block whose Float16 d overflows (docs/contract.md §4). The state →
/// view pipeline runs without a terminal; a trap fails the run, and the
/// screens must say "not finite" rather than print NaN or an exact SQNR.
@Suite struct NonfiniteViewTests {
    /// `huge_weight.npy` from `tools/make_nonfinite_fixtures.py`: [8, 64],
    /// rows 2–7 scaled ×1e6 and ×1e8, past q4_0's Float16 d.
    static func hugeWeight() throws -> Tensor {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("QuantEngineTests/Fixtures/nonfinite/huge_weight.npy").path
        let checkpoint = try Checkpoint.open(path)
        return try checkpoint.load(checkpoint.tensors[0])
    }

    static var q4_0: QuantSettings {
        var s = QuantSettings()
        s.stop = .scheme(.gguf(.q4_0))
        return s
    }

    /// Text a screen must never show for a measured error (the explanation
    /// "±inf/NaN" aside).
    static func expectNoFakeNumbers(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = text.replacingOccurrences(of: "±inf/NaN", with: "")
        for word in ["nan", "NaN", "inf (exact)", "−inf"] {
            #expect(!text.contains(word), "the screen shows \(word):\n\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func matmulViewSaysNotFiniteInsteadOfTrapping() throws {
        var s = try TestStates.state(try Self.hugeWeight(), settings: Self.q4_0, view: .matmul, comparisons: false)
        let tensor = try #require(s.tensor)
        let m = try MatmulAnalyzer.analyze(MatmulRequest(weight: tensor, choice: .gaussian))
        let q4 = try #require(m.results.first { $0.kernel.name == "q4_0" })
        #expect(!q4.metrics.isFinite && q4.metrics.nonfiniteOutput > 0)
        #expect(q4.errorHistogram.nonfinite == q4.metrics.nonfiniteOutput)
        #expect(q4.errorHistogram.lower.isFinite && q4.errorHistogram.upper.isFinite)
        s.matmul = m
        let text = ScreenRenderer.render(s, theme: .monochrome).text
        let row = try #require(text.split(separator: "\n").first { $0.hasPrefix(" q4_0") || $0.hasPrefix("q4_0") || $0.contains("q4_0   ") })
        #expect(row.contains("not finite"), "q4_0 row: \(row)")
        #expect(row.contains("outputs ±inf/NaN"), "q4_0 row: \(row)")
        Self.expectNoFakeNumbers(text)
    }

    @Test func errorViewSaysNotFiniteInsteadOfTrapping() throws {
        let s = try TestStates.state(try Self.hugeWeight(), settings: Self.q4_0, view: .error, comparisons: true)
        let analysis = try #require(s.analysis)
        let h = try #require(analysis.errorHistogram)
        #expect(h.lower.isFinite && h.upper.isFinite && h.nonfinite == analysis.quantized.metrics.nonfiniteOutput)
        let text = ScreenRenderer.render(s, theme: .monochrome).text
        #expect(text.contains("not finite: \(analysis.quantized.metrics.nonfiniteOutput) of 512 dequantized values are ±inf/NaN"), "\(text)")
        #expect(text.contains("rows not finite"))
        Self.expectNoFakeNumbers(text)
    }

    @Test func summaryOfNothingFiniteShowsDashes() throws {
        let nan = Tensor(shape: [4, 8], values: [Float](repeating: .nan, count: 32))
        let s = try TestStates.state(nan, view: .histogram, comparisons: false)
        let text = ScreenRenderer.render(s, theme: .monochrome).text
        #expect(text.contains("min — max — mean — std — · non-finite 32"), "\(text)")
    }

    /// Every view, the cursor on a finite block and on an overflowed one: the
    /// Mapping view's axis once trapped on the NaN levels (inf · 0) of the latter.
    @Test func everyViewDrawsTheOverflowedWeight() throws {
        var s = try TestStates.state(try Self.hugeWeight(), settings: Self.q4_0, comparisons: true)
        s.matmul = try MatmulAnalyzer.analyze(MatmulRequest(weight: try #require(s.tensor), choice: .gaussian))
        for view in ViewKind.allCases {
            for cursor in [5, 7 * 64 + 40] {
                s.view = view
                s.cursor = cursor
                let text = ScreenRenderer.render(s, theme: .monochrome).text
                #expect(text.contains(view.title), "\(view) at \(cursor) drew nothing")
                if view == .mapping && cursor > 64 {
                    #expect(text.contains("not finite (the scale overflowed)"), "\(text)")
                }
            }
        }
    }
}
