import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// The exporters `quantscope render` writes with (docs/contract.md §14):
/// colours as xterm defines them, SGR sequences as ECMA-48 spells them,
/// SVG shapes and escaping; and the headless session's loop guard.
@Suite struct ExportTests {
    /// xterm's 256-colour table (xterm's 256colres.h / the `colortest` scripts):
    /// 16…231 a cube of levels 0, 95, 135, 175, 215, 255; 232…255 greys 8 + 10·i.
    @Test func paletteIsXterms() {
        let expected: [UInt8: String] = [0: "#000000", 1: "#cd0000", 9: "#ff0000", 15: "#ffffff", 16: "#000000", 21: "#0000ff",
                                         39: "#00afff", 196: "#ff0000", 220: "#ffd700", 231: "#ffffff", 232: "#080808",
                                         244: "#808080", 255: "#eeeeee"]
        for (n, hex) in expected { #expect(TerminalPalette.xterm256(n).hex == hex, "colour \(n)") }
        let dark = TerminalPalette.dark
        let reversed = dark.colors(of: Style(foreground: .palette(196), reverse: true))
        #expect(reversed.foreground == dark.background && reversed.background.hex == "#ff0000")
    }

    @Test func sgrSequencesSetExactlyTheStyle() {
        #expect(ANSIExporter.sgr(.plain) == "\u{1B}[0m")
        #expect(ANSIExporter.sgr(Style(foreground: .palette(39), bold: true)) == "\u{1B}[0;1;38;5;39m")
        #expect(ANSIExporter.sgr(Style(foreground: .ansi(9), background: .ansi(4))) == "\u{1B}[0;91;44m")
        #expect(ANSIExporter.sgr(Style(background: .palette(236), underline: true, reverse: true, dim: true)) == "\u{1B}[0;2;4;7;48;5;236m")
    }

    @Test func ansiResetsAtLineEndsAndDropsUnstyledTrailingBlanks() {
        var buffer = CellBuffer(width: 8, height: 2)
        buffer.put("ab", x: 0, y: 0)
        buffer.put("cd", x: 2, y: 0, style: Style(bold: true))
        buffer.put("x̂", x: 0, y: 1)
        #expect(ANSIExporter.export(buffer) == "ab\u{1B}[0;1mcd\u{1B}[0m\nx̂\n")
    }

    static func svg(_ draw: (inout CellBuffer) -> Void, width: Int = 6, height: Int = 1) -> String {
        var buffer = CellBuffer(width: width, height: height)
        draw(&buffer)
        return SVGExporter.export(buffer)
    }

    @Test func aRunOfOneStyleIsOneTextStretchedToItsCells() {
        let svg = Self.svg { $0.put("ab  cd", x: 0, y: 0) }
        #expect(svg.contains(">ab  cd</text>"))
        #expect(svg.contains("textLength=\"60\""))
        #expect(svg.contains("viewBox=\"0 0 60 20\""))
        let split = Self.svg { $0.put("ab", x: 0, y: 0); $0.put("cd", x: 4, y: 0, style: Style(foreground: .palette(196))) }
        #expect(split.contains("x=\"0\" y=\"15\"") && split.contains(">ab</text>") && split.contains("x=\"40\" y=\"15\"") && split.contains(">cd</text>"))
        #expect(split.contains("{fill:#ff0000}"))
    }

    @Test func boxDrawingAndBlocksAreShapesAndWideGlyphsFitTheirCell() {
        let svg = Self.svg { $0.put("╭─┃█▄語", x: 0, y: 0) }
        #expect(!svg.contains("╭") && !svg.contains("─") && !svg.contains("┃") && !svg.contains("█") && !svg.contains("▄"))
        #expect(svg.contains("<path") && svg.contains("stroke-width=\"2.6\""), "the heavy line is thick")
        #expect(svg.contains("<rect x=\"30\" y=\"0\" width=\"10\" height=\"20\""), "█ fills its cell")
        #expect(svg.contains("<rect x=\"40\" y=\"10\" width=\"10\" height=\"10\""), "▄ fills the lower half")
        #expect(svg.contains("lengthAdjust=\"spacingAndGlyphs\">語</text>"))
    }

    @Test func markupAndControlsAreEscaped() {
        #expect(SVGExporter.escaped("a<b>&\"'\u{1}\u{FFFE}") == "a&lt;b&gt;&amp;&quot;&apos;\u{FFFD}\u{FFFD}")
        let svg = Self.svg({ $0.put("<w&>", x: 0, y: 0) }, width: 4)
        #expect(svg.contains(">&lt;w&amp;&gt;</text>"))
    }

    @Test func theSessionSettlesAndGuardsAgainstEndlessWork() throws {
        let file = try TestStates.file(TestStates.weight(), name: "export.weight")
        var session = HeadlessSession(state: AppState(files: [file], width: 100, height: 30))
        try session.open(TensorRef(file: 0, tensor: 0))
        #expect(session.state.analysis != nil && !session.state.computing && session.state.lastRecompute == 1.25)
        var state = AppState(files: [file], width: 100, height: 30)
        let commands = state.open(TensorRef(file: 0, tensor: 0))
        #expect(throws: HeadlessSession.Failure.endless(commands: 1)) {
            try HeadlessSession.settle(commands, &state, runsBackground: true, limit: 1)
        }
    }
}
