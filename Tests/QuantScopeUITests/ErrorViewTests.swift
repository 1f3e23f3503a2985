import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

@Suite struct ErrorViewTests {
    static let sizes = [(120, 40), (80, 24)]
    /// Row 17, column 61: an outlier column, away from the all-zero row 3.
    static let cursor = 17 * 96 + 61

    static func settings(bits: Int = 8, granularity: QuantSettings.GranularityKind = .tensor,
                         family: SchemeCatalog.Stop = .integer) -> QuantSettings {
        var s = QuantSettings()
        s.stop = family
        s.bits = bits
        s.granularityKind = granularity
        return s
    }

    static func state(_ settings: QuantSettings, width: Int = 120, height: Int = 40, comparisons: Bool = true) throws -> AppState {
        var state = try TestStates.state(settings: settings, view: .error, cursor: cursor, width: width, height: height, comparisons: comparisons)
        state.comparing = !comparisons
        return state
    }

    /// The text of the rows inside the view's box.
    static func viewLines(_ state: AppState) -> [String] {
        let buffer = ScreenRenderer.render(state, theme: .monochrome)
        let rect = Layout(state: state).views[0].inset(1).inset(left: 1, right: 1)
        return (rect.y..<rect.maxY).map { y in
            String(String.UnicodeScalarView((rect.x..<rect.maxX).map { buffer[$0, y].scalar }))
        }
    }

    static func number(_ text: Substring) -> Double? {
        Double(text.replacingOccurrences(of: "−", with: "-"))
    }

    @Test func goldenInt8PerTensor() throws {
        for (w, h) in Self.sizes {
            let state = try Self.state(Self.settings(), width: w, height: h)
            Golden.check(ScreenRenderer.render(state, theme: .monochrome), "error-\(w)x\(h)-int8-tensor")
            if w == 120 { Golden.checkStyles(state, "error-\(w)x\(h)-int8-tensor") }
        }
    }

    @Test func goldenInt4PerChannel() throws {
        for (w, h) in Self.sizes {
            let state = try Self.state(Self.settings(bits: 4, granularity: .channel), width: w, height: h)
            Golden.check(ScreenRenderer.render(state, theme: .monochrome), "error-\(w)x\(h)-int4-channel")
            if w == 120 { Golden.checkStyles(state, "error-\(w)x\(h)-int4-channel") }
        }
    }

    @Test func goldenQ4_0FixedBlocks() throws {
        for (w, h) in Self.sizes {
            let state = try Self.state(Self.settings(family: .scheme(.gguf(.q4_0))), width: w, height: h)
            Golden.check(ScreenRenderer.render(state, theme: .monochrome), "error-\(w)x\(h)-q4_0")
            if w == 120 { Golden.checkStyles(state, "error-\(w)x\(h)-q4_0") }
        }
    }

    /// nf4 has no even grid: RMSE/S has no 1/√12 to compare with.
    @Test func goldenNF4() throws {
        let state = try Self.state(Self.settings(family: .scheme(.nf4)), width: 80, height: 24)
        Golden.check(ScreenRenderer.render(state, theme: .monochrome), "error-80x24-nf4")
    }

    @Test func goldenWhileComparing() throws {
        for (w, h) in Self.sizes {
            let state = try Self.state(Self.settings(bits: 4, granularity: .group), width: w, height: h, comparisons: false)
            Golden.check(ScreenRenderer.render(state, theme: .monochrome), "error-\(w)x\(h)-comparing")
        }
    }

    @Test func goldenLogScale() throws {
        var state = try Self.state(Self.settings(bits: 4, granularity: .tensor))
        state.logScale = true
        Golden.check(ScreenRenderer.render(state, theme: .monochrome), "error-120x40-int4-tensor-log")
    }

    /// Each comparison's MSE on screen is its metrics.mse to the 4 digits shown.
    @Test func tableShowsTheComparisonsMSE() throws {
        for settings in [Self.settings(bits: 4, granularity: .channel), Self.settings(family: .scheme(.gguf(.q4_0)))] {
            for (w, h) in Self.sizes {
                let state = try Self.state(settings, width: w, height: h)
                let comparisons = try #require(state.analysis?.comparisons)
                #expect(comparisons.count >= 3)
                let lines = Self.viewLines(state)
                for comparison in comparisons {
                    let line = try #require(lines.first { !$0.hasPrefix("now") && $0.dropFirst(ErrorView.markerWidth).hasPrefix(comparison.label + " ") },
                                            "no row for \(comparison.label) at \(w)x\(h)")
                    let fields = line.dropFirst(ErrorView.markerWidth + comparison.label.count).split(separator: " ")
                    let shown = try #require(fields.first.flatMap(Self.number))
                    #expect(abs(shown - comparison.metrics.mse) <= 5e-4 * comparison.metrics.mse, "\(comparison.label): \(shown)")
                }
            }
        }
    }

    /// The current metrics show before the comparisons arrive.
    @Test func currentMetricsShowWhileComparing() throws {
        let state = try Self.state(Self.settings(bits: 4, granularity: .group), width: 80, height: 24, comparisons: false)
        let lines = Self.viewLines(state)
        let now = try #require(lines.first { $0.hasPrefix("now ") })
        let mse = try #require(now.dropFirst(ErrorView.markerWidth).split(separator: " ").dropFirst(2).first.flatMap(Self.number))
        let expected = try #require(state.analysis?.quantized.metrics.mse)
        #expect(abs(mse - expected) <= 5e-4 * expected)
        #expect(lines.contains { $0.contains("comparing…") })
    }

    /// The first worst row listed is the argmax of the per-row error.
    @Test func worstRowIsArgmaxOfRowError() throws {
        for settings in [Self.settings(), Self.settings(bits: 4, granularity: .channel)] {
            let state = try Self.state(settings, width: 80, height: 24)
            let rowError = try #require(state.analysis?.rowError)
            let argmax = try #require(rowError.indices.max { rowError[$0] < rowError[$1] })
            let worst = ErrorView.worstRows(rowError, count: 5)
            #expect(worst.first?.row == argmax)
            #expect(worst.map(\.mse) == worst.map(\.mse).sorted(by: >))
            let total = rowError.reduce(0, +)
            #expect(abs((worst.first?.share ?? 0) - rowError[argmax] / total) < 1e-12)
            // On screen: the line under the list's header.
            let lines = Self.viewLines(state)
            let header = try #require(lines.firstIndex { $0.contains("row        MSE") })
            let found = try #require(lines[header].range(of: "row        MSE")).lowerBound
            let column = lines[header].distance(from: lines[header].startIndex, to: found)
            let first = String(Array(lines[header + 1]).dropFirst(column)).split(separator: " ").first.flatMap { Int($0) }
            #expect(first == argmax)
        }
    }

    /// Every glyph the view draws has an ASCII stand-in (terminals without UTF-8).
    @Test func everyGlyphHasAnASCIIFallback() throws {
        for settings in [Self.settings(), Self.settings(family: .scheme(.gguf(.q4_0)))] {
            var state = try Self.state(settings)
            state.logScale = true
            let buffer = ScreenRenderer.render(state, theme: .monochrome)
            let rect = Layout(state: state).views[0]
            for y in rect.y..<rect.maxY {
                for x in rect.x..<rect.maxX {
                    let scalar = buffer[x, y].scalar
                    #expect(scalar == "?" || ASCIIFallback.scalar(for: scalar) != "?", "no ASCII for \(scalar)")
                }
            }
        }
    }

    @Test func worstRowsBreakTiesByRow() {
        #expect(ErrorView.worstRows([1, 3, 3, 2, 0], count: 3).map(\.row) == [1, 2, 3])
        #expect(ErrorView.worstRows([4], count: 5).map(\.share) == [1])
        #expect(ErrorView.worstRows([0, 0], count: 1).map(\.share) == [0])
        #expect(ErrorView.worstRows([], count: 3).isEmpty)
    }

    @Test func layoutPlanFitsEverySize() {
        for height in 18...40 {
            let plan = ErrorView.Plan(height: height, comparisonSlots: 4)
            #expect(plan.tableRows + plan.chartRows <= height - 5)
        }
    }
}
