import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// Typing a value (`i`, docs/contract.md §15) into the Float bits and
/// Mapping views: the views follow it through the cursor's group.
@Suite struct TypedValueTests {
    static func typed(_ text: String, view: ViewKind, settings: QuantSettings = QuantSettings(), width: Int = 120, height: Int = 40) throws -> AppState {
        var s = try TestStates.state(settings: settings, view: view, width: width, height: height, comparisons: false)
        SyncDriver.press([.character("i")] + text.map { .character($0) } + [.enter], &s)
        return s
    }

    @Test func pointOneInE4M3() throws {
        let s = try Self.typed("0.1", view: .bits)
        #expect(s.probe == Float(0.1))
        let text = ScreenRenderer.render(s, theme: .monochrome).text
        // ml_dtypes: float8_e4m3fn(0.1) == 0.1015625, bits 0 0011 101 (0x1D).
        #expect(text.contains("x = 0.1 at typed"))
        #expect(text.contains("0 0011 101"))
        #expect(text.contains("0.1015625"))
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "typed-bits-0.1-120x40")
    }

    @Test func whereAValueLandsOnTheGrid() throws {
        var settings = QuantSettings()
        settings.symmetry = .asymmetric
        let s = try Self.typed("-3.7", view: .mapping, settings: settings)
        let q = try #require(s.analysis?.quantized)
        let landed = try #require(q.probe(-3.7, group: 0))
        // Far outside the tensor's range: it saturates at qmin.
        #expect(landed.code == -128)
        let text = ScreenRenderer.render(s, theme: .monochrome).text
        #expect(text.contains("x = −3.7"))
        #expect(!text.contains("MISMATCH"))
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "typed-mapping-minus3.7-120x40")
    }

    @Test func escapeAndCursorMovesGoBackToTheElement() throws {
        var s = try Self.typed("0.25", view: .mapping)
        #expect(s.probe == 0.25)
        SyncDriver.press([.escape], &s)
        #expect(s.probe == nil && s.focus == .view)
        SyncDriver.press([.character("i"), .character("1"), .enter, .right], &s)
        #expect(s.probe == nil && s.cursor == 1)
        SyncDriver.press([.character("i"), .character("x"), .character("2"), .enter], &s)
        #expect(s.probe == 2)
        SyncDriver.press([.character("i"), .character("."), .character("."), .enter], &s)
        #expect(s.message?.contains("not a number") == true && s.probe == 2)
        SyncDriver.press([.character("i"), .enter], &s)
        #expect(s.probe == nil)
    }

    @Test func onlyTheMappingAndBitsViewsTakeIt() throws {
        var s = try TestStates.state(view: .histogram, width: 80, height: 24, comparisons: false)
        SyncDriver.press([.character("i")], &s)
        #expect(s.valuePrompt == nil && s.message?.contains("Mapping") == true)
        SyncDriver.press([.character("2"), .character("i"), .character("7")], &s)
        #expect(s.valuePrompt == "7")
        #expect(ScreenRenderer.render(s, theme: .monochrome).text.contains("value: 7"))
    }

    @Test func nonFiniteAndEveryFloatFormatRenderWithoutMismatch() throws {
        for text in ["nan", "inf", "-inf", "1e-9", "448", "500", "-0"] {
            for view in [ViewKind.bits, .mapping] {
                for scheme in ["int8", "int4-asym", "fp8-e4m3", "nf4", "mxfp4"] {
                    let settings = try #require(QuantSettings(scheme: scheme, granularity: nil))
                    let s = try Self.typed(text, view: view, settings: settings)
                    let screen = ScreenRenderer.render(s, theme: .monochrome).text
                    #expect(!screen.contains("MISMATCH"), "\(text) in \(view) under \(scheme)")
                }
            }
        }
    }
}
