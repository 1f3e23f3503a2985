import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// The tensor list: long names cut in the middle (a bias and a weight stay
/// apart), a column that grows with the terminal, a filter that starts fresh
/// on every `/` and says when nothing matches.
@Suite struct BrowserViewTests {
    static let names = [
        "encoder.layer.0.attention.output.LayerNorm.bias",
        "encoder.layer.0.attention.output.LayerNorm.weight",
        "encoder.layer.0.attention.self.query.weight",
        "encoder.layer.0.intermediate.dense.weight",
        "encoder.layer.0.output.dense.bias",
        "vision_model.encoder.layers.11.self_attn.out_proj.weight",
        "vision_model.encoder.layers.11.self_attn.out_proj.bias",
    ]

    static func state(width: Int, height: Int) throws -> AppState {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-ui-browser-names.safetensors").path
        try SafetensorsWriter.write(names.map { .float32($0, shape: [2, 2], [1, 2, 3, 4]) }, to: path)
        return AppState(files: [OpenFile(checkpoint: try Checkpoint.open(path))], width: width, height: height)
    }

    /// The list's lines (inside its box).
    static func listLines(_ s: AppState) throws -> [String] {
        let rect = try #require(Layout(state: s).browser)
        let lines = ScreenRenderer.render(s, theme: .monochrome).lines
        return lines[(rect.y + 1)..<(rect.maxY - 1)].map { line in
            String(String.UnicodeScalarView(line.unicodeScalars.dropFirst(rect.x + 1).prefix(rect.width - 2)))
        }
    }

    @Test func middleCutKeepsTheDistinguishingEnd() {
        #expect(Format.fitMiddle("encoder.layer.0.attention.output.dense.weight", 28) == "encoder.layer.0…dense.weight")
        #expect(Format.fitMiddle("attention.output.LayerNorm.weight", 22) == "attention.outpu…weight")
        #expect(Format.fitMiddle("attention.output.LayerNorm.bias", 22) == "attenti…LayerNorm.bias")
        #expect(Format.fitMiddle("short.bias", 22) == "short.bias" + String(repeating: " ", count: 12))
        #expect(Format.fitMiddle("abcdefghijklmnopqrstuvwxyz", 10) == "abcde…wxyz")
        #expect(Format.fitMiddle("a.abcdefghijklmnopqrstuvwxyz", 10) == "a.abc…wxyz")
        for width in 5...40 {
            #expect(CellBuffer.width(of: Format.fitMiddle(Self.names[5], width)) == width)
        }
    }

    @Test func aBiasAndAWeightLookDifferentAt120Columns() throws {
        let s = try Self.state(width: 120, height: 40)
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "browser-120x40-long-names")
        let lines = try Self.listLines(s)
        let labels = lines.filter { $0.contains("F32") }
        #expect(labels.count == Self.names.count)
        #expect(Set(labels).count == labels.count, "every tensor row must be distinct:\n\(labels.joined(separator: "\n"))")
        #expect(labels.filter { $0.contains(".bias") }.count == 3)
        #expect(labels.filter { $0.contains("weight") }.count == 4)
    }

    @Test func theNameColumnGrowsWithTheTerminal() throws {
        #expect(Layout.browserWidth(width: 80, height: 24) == 30)
        #expect(Layout.browserWidth(width: 120, height: 40) == 30)
        #expect(Layout.browserWidth(width: 180, height: 40) == 30, "two views keep their width")
        #expect(Layout.browserWidth(width: 200, height: 50) == 50)
        #expect(Layout.browserWidth(width: 150, height: 30) == 60)
        let s = try Self.state(width: 200, height: 50)
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "browser-200x50-long-names")
        let text = try Self.listLines(s).joined(separator: "\n")
        for label in ["attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias", "self_attn.out_proj.weight"] {
            #expect(text.contains(label), "\(label) should show whole at 200 columns")
        }
        #expect(!text.contains("…"))
    }

    @Test func slashStartsAFreshFilterAndNoMatchSaysSo() throws {
        var s = try Self.state(width: 120, height: 40)
        _ = s.handle(.input(.key(.character("/"))))
        for c in "bias" { _ = s.handle(.input(.key(.character(c)))) }
        _ = s.handle(.input(.key(.enter)))
        #expect(s.browser.filter == "bias")
        #expect(s.browser.rows.compactMap(\.ref).count == 3)

        _ = s.handle(.input(.key(.character("/"))))
        #expect(s.browser.filter.isEmpty, "a second / starts a new filter")
        #expect(s.browser.rows.compactMap(\.ref).count == Self.names.count)
        for c in "xyz" { _ = s.handle(.input(.key(.character(c)))) }
        #expect(s.browser.filter == "xyz")
        #expect(s.browser.rows.isEmpty)
        _ = s.handle(.input(.key(.enter)))
        _ = s.handle(.input(.key(.down)))
        #expect(s.message == nil, "the status message is gone after the next key…")
        let lines = try Self.listLines(s)
        #expect(lines.first?.hasPrefix("no matches for 'xyz'") == true, "…but the list still says why it is empty:\n\(lines.prefix(3).joined(separator: "\n"))")
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "browser-120x40-no-matches")

        _ = s.handle(.input(.key(.escape)))
        #expect(s.browser.filter.isEmpty, "Esc clears a kept filter")
        #expect(s.browser.rows.compactMap(\.ref).count == Self.names.count)
    }

    /// A name holding ESC and a newline (a hostile file) is shown with them
    /// spelled out, in the list and in the top bar, never sent raw.
    @Test func controlCharactersInNamesAreSpelledOut() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-ui-hostile-name.safetensors").path
        try SafetensorsWriter.write([.float32("evil\u{1B}[2J\nname.weight", shape: [2, 2], [1, 2, 3, 4])], to: path)
        var s = AppState(files: [OpenFile(checkpoint: try Checkpoint.open(path))], width: 120, height: 40)
        _ = s.handle(.input(.key(.enter)))
        let screen = ScreenRenderer.render(s, theme: .monochrome)
        #expect(screen.text.contains("evil\\x1b[2J\\nname.weight"), "\(screen.text)")
        #expect(!screen.cells.contains { $0.scalar.properties.generalCategory == .control })
    }
}
