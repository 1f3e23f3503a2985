import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// The Mapping view under the seed's own conventions (docs/contract.md §10):
/// `int4-full`, whose +max lands on 7.5 and clips to 7, and `int8-asym-exact`
/// on an all-positive tensor, whose Z falls outside the codes. The numbers on
/// screen are read back and compared with the engine's.
@Suite struct MappingViewSeedTests {
    /// The test weight shifted to all-positive values, like a LayerNorm weight.
    static let positive: Tensor = {
        let w = TestStates.weight()
        return Tensor(shape: w.shape, values: w.values.map { abs($0) + 0.5 })
    }()

    static func goldens(_ name: String, _ tensor: Tensor, _ settings: QuantSettings, cursor: Int) throws -> (ViewContext, CellBuffer) {
        var wide: (ViewContext, CellBuffer)?
        for (w, h) in [(120, 40), (80, 24)] {
            let state = try TestStates.state(tensor, settings: settings, view: .mapping, cursor: cursor, width: w, height: h, comparisons: false)
            let buffer = ScreenRenderer.render(state, theme: .monochrome)
            Golden.check(buffer, "mapping-\(w)x\(h)-\(name)")
            #expect(!buffer.text.contains("MISMATCH"), "the view found a difference from the engine")
            if w == 120 { wide = (try #require(ViewContext(state: state, theme: .monochrome)), buffer) }
        }
        return try #require(wide)
    }

    @Test func fullRangeInt4ClipsThePositiveMaximum() throws {
        var settings = MappingViewTests.settings(bits: 4, symmetry: .full, granularity: .channel)
        settings.granularityKind = .channel
        let w = TestStates.weight()
        // The first row whose largest |x| is positive: +a lands on 7.5 and clips to 7.
        let r = try #require((0..<48).first { r in
            let row = w.values[(r * 96)..<((r + 1) * 96)]
            return (row.max() ?? 0) > -(row.min() ?? 0)
        })
        let row = Array(w.values[(r * 96)..<((r + 1) * 96)])
        let top = r * 96 + (row.indices.max { row[$0] < row[$1] } ?? 0)
        let (c, buffer) = try Self.goldens("int4full-channel", w, settings, cursor: top)
        #expect(c.quantized.scheme.description == "int4-full")
        #expect(MappingViewTests.close(MappingViewTests.result("S", in: buffer), Double(c.quantized.scales[c.group])))
        #expect(MappingViewTests.result("q", in: buffer) == Double(c.quantized.code(at: c.index)))
        #expect(buffer.text.contains("+a lands on 7.5 and clips"))
        #expect(c.quantized.code(at: c.index) == 7 && buffer.text.contains("▲ clipped"))
        #expect(!buffer.text.contains("≠ seed"))
    }

    @Test func exactRangeOnAnAllPositiveTensorPutsZOutsideTheCodes() throws {
        let settings = MappingViewTests.settings(bits: 8, symmetry: .asymmetricExact, granularity: .tensor)
        let (c, buffer) = try Self.goldens("int8asymexact-positive", Self.positive, settings, cursor: MappingViewTests.ordinary)
        let z = try #require(c.quantized.zeroPoints?.first)
        #expect(z < -128)
        #expect(MappingViewTests.result("Z", in: buffer) == Double(z))
        #expect(MappingViewTests.close(MappingViewTests.result("S", in: buffer), Double(c.quantized.scales[0])))
        #expect(MappingViewTests.result("q", in: buffer) == Double(c.quantized.code(at: c.index)))
        #expect(MappingViewTests.close(MappingViewTests.result("x̂", in: buffer), Double(c.dequantized)))
        #expect(buffer.text.contains("Z is outside [−128, 127]: x̂ = S·(q − Z) is right in float; no int8 holds Z"))
        #expect(buffer.text.contains("outside the codes"))
        #expect(buffer.text.contains("vmin = min x"))
    }
}
