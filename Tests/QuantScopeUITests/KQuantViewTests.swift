import QuantEngine
import Testing
@testable import QuantScopeUI

/// The explorer on GGUF K-quants: the Mapping view's own reconstruction of
/// q and x̂ agrees with the engine, and the Packing view lights the bytes
/// that hold the cursor's code.
@Suite struct KQuantViewTests {
    static let kQuants: [GGUFBlockScheme] = [.q2_k, .q3_k, .q4_k, .q5_k, .q6_k]

    static func settings(_ b: GGUFBlockScheme) -> QuantSettings {
        var s = QuantSettings()
        s.select(.gguf(b))
        return s
    }

    @Test(arguments: kQuants)
    func mappingReconstructionMatchesTheEngine(_ b: GGUFBlockScheme) throws {
        let tensor = TestStates.weight(rows: 8, columns: 512)
        var state = try TestStates.state(tensor, settings: Self.settings(b), view: .mapping, comparisons: false)
        let q = try #require(state.analysis).quantized
        #expect(q.granularity == .group(size: b.subBlockSize))
        for cursor in stride(from: 0, to: tensor.count, by: 29) {
            state.cursor = cursor
            let c = try #require(ViewContext(state: state, theme: .monochrome))
            let e = MappingView.explain(c)
            #expect(e.problems.isEmpty, "\(b) element \(cursor): \(e.problems)")
        }
        let screen = ScreenRenderer.render(state, theme: .monochrome).text
        #expect(screen.contains(b.rawValue))
    }

    @Test(arguments: kQuants)
    func packingLightsTheCodeBytes(_ b: GGUFBlockScheme) throws {
        let tensor = TestStates.weight(rows: 4, columns: 512)
        for cursor in [0, 37, 300, 511, 700] {
            let state = try TestStates.state(tensor, settings: Self.settings(b), view: .packing, cursor: cursor, comparisons: false)
            let q = try #require(state.analysis).quantized
            let bytes = try #require(q.blockBytes)
            let start = cursor / 256 * b.typeSize, j = cursor % 256
            var code = 0, shift = 0
            for part in PackingView.kQuantCodeBits(b, j) {
                code |= (Int(bytes[start + part.byte]) >> part.shift & ((1 << part.bits) - 1)) << shift
                shift += part.bits
            }
            #expect(code == Int(q.codes[cursor]), "\(b) element \(cursor): the lit bits hold \(code), the code is \(q.codes[cursor])")
            let screen = ScreenRenderer.render(state, theme: .monochrome).text
            #expect(screen.contains("super-block \(cursor / 256)"))
        }
    }
}
