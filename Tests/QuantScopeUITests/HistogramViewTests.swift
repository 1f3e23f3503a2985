import QuantEngine
import Testing
@testable import QuantScopeUI

/// Golden screens of the Histogram view, and the facts it must show.
@Suite struct HistogramViewTests {
    static func settings(_ body: (inout QuantSettings) -> Void) -> QuantSettings {
        var s = QuantSettings()
        body(&s)
        return s
    }

    @Test func int8PerTensor() throws {
        let s = try TestStates.state(view: .histogram, cursor: 100)
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "histogram-120x40-int8-tensor")
        Golden.checkStyles(s, "histogram-120x40-int8-tensor")
        var small = s
        small.width = 80
        small.height = 24
        Golden.check(ScreenRenderer.render(small, theme: .monochrome), "histogram-80x24-int8-tensor")
    }

    @Test func int4PerChannelShowsTheGroupAndClipping() throws {
        let settings = Self.settings { $0.bits = 4; $0.granularityKind = .channel; $0.clip = 0.5 }
        let s = try TestStates.state(settings: settings, view: .histogram, cursor: 5)
        let text = ScreenRenderer.render(s, theme: .monochrome).text
        let a = try #require(s.analysis)
        #expect(a.clippedAbove + a.clippedBelow > 0)
        #expect(text.contains("clipped ▼ \(Format.grouped(a.clippedBelow)) ▲ \(Format.grouped(a.clippedAbove))"))
        #expect(text.contains("group 0 of 48 (channel:0)"))
        #expect(text.contains("codes used \(a.usedCodes) of 15"))
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "histogram-120x40-int4-channel-clip")
        Golden.checkStyles(s, "histogram-120x40-int4-channel-clip")
        var small = s
        small.width = 80
        small.height = 24
        Golden.check(ScreenRenderer.render(small, theme: .monochrome), "histogram-80x24-int4-channel-clip")
    }

    @Test func asciiFallbackDrawsOnlyASCII() throws {
        let s = try TestStates.state(view: .histogram)
        let ascii = ASCIIFallback.text(ScreenRenderer.render(s, theme: .monochrome))
        #expect(ascii.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(ascii.contains("codes used"))
    }
}
