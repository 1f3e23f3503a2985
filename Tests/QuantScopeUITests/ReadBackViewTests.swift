import QuantEngine
import Testing
@testable import QuantScopeUI

/// Tensors over `Analyzer.keepDequantizedLimit` are analysed without x̂ and
/// read it back from the codes. Every view must draw exactly the same
/// screen either way: run on a small tensor, where both can be built.
@Suite struct ReadBackViewTests {
    static let schemes: [(Scheme, QuantSettings.GranularityKind)] = [
        (.integer(IntegerScheme(bits: 4, mode: .asymmetric)), .group),
        (.integer(IntegerScheme(bits: 8, mode: .symmetric)), .channel),
        (.float(.e4m3fn), .tensor),
        (.nf4, .group),
        (.microscaling(.e2m1), .group),
        (.gguf(.q4_0), .group),
        (.gguf(.q4_k), .group),
        (.gguf(.q3_k), .group),
    ]

    @Test(arguments: 0..<schemes.count)
    func everyViewDrawsTheSameWithXHatReadBack(_ which: Int) throws {
        let (scheme, kind) = Self.schemes[which]
        var settings = QuantSettings()
        settings.select(scheme)
        settings.granularityKind = kind
        var tensor = TestStates.weight(rows: 16, columns: 512, seed: 11)
        tensor.values[700] = .nan
        let kept = try TestStates.state(tensor, settings: settings)
        var lean = kept
        let request = AnalysisRequest(tensor: try #require(kept.tensor), settings: settings)
        var analysis = try #require(kept.analysis)
        analysis.quantized = try Quantizer.quantize(tensor, scheme: request.scheme, granularity: request.granularity,
                                                    clip: settings.clip, keepingDequantized: false)
        #expect(!analysis.quantized.keepsDequantized)
        analysis.add(try Analyzer.details(request, of: analysis))
        lean.analysis = analysis
        for view in ViewKind.allCases {
            for cursor in [0, 700, 2 * 512 + 5, tensor.count - 1] {
                var a = kept, b = lean
                (a.view, b.view, a.cursor, b.cursor) = (view, view, cursor, cursor)
                let left = ScreenRenderer.render(a, theme: .monochrome).text
                let right = ScreenRenderer.render(b, theme: .monochrome).text
                #expect(left == right, "\(scheme) \(view) cursor \(cursor)")
            }
        }
    }
}
