import Testing
@testable import QuantScopeUI

@Suite struct CellBufferTests {
    @Test func putClipsAndCombinesMarks() {
        var b = CellBuffer(width: 6, height: 2)
        let end = b.put("x\u{302} = 1234", x: 0, y: 0)
        #expect(end == 8)
        #expect(b.lines[0] == "x\u{302} = 12")
        #expect(b[0, 0].mark == "\u{302}")
        b.put("abc", x: 4, y: 1, clip: Rect(x: 0, y: 0, width: 5, height: 2))
        #expect(b.lines[1] == "    a ")
    }

    @Test func changesListOnlyDifferingCells() {
        var a = CellBuffer(width: 3, height: 1)
        a.put("abc", x: 0, y: 0)
        var b = a
        b.put("Z", x: 1, y: 0)
        #expect(b.changes(since: a) == [1])
        #expect(b.changes(since: nil).count == 3)
    }

    @Test func asciiFallbackReplacesEveryGlyphWeDraw() {
        var b = CellBuffer(width: 12, height: 1)
        b.put("▁▄█│×−→x\u{302}", x: 0, y: 0)
        #expect(ASCIIFallback.text(b) == ".:#|x->x")
    }
}

@Suite struct CellBufferASCIITests {
    @Test func asciiBuffersTransliterateOnWrite() {
        var b = CellBuffer(width: 16, height: 1, ascii: true)
        b.put("x\u{302} = S·(q−Z) │█", x: 0, y: 0)
        #expect(b.lines[0] == "x^ = S.(q-Z) |# ")
        b[15, 0] = Cell("┏")
        #expect(b[15, 0].scalar == "+")
    }

    /// Text from a file may hold ESC, newlines or BiDi overrides; none of them
    /// may reach the terminal as a control (one visible cell each instead).
    @Test func controlAndFormatCharactersNeverReachTheTerminal() {
        var b = CellBuffer(width: 12, height: 1)
        let end = b.put("a\u{1B}[2Jb\n\u{202E}\u{7F}c", x: 0, y: 0)
        #expect(end == 10)
        #expect(b.lines[0] == "a\u{FFFD}[2Jb\u{FFFD}\u{FFFD}\u{FFFD}c  ")
        var ascii = CellBuffer(width: 4, height: 1, ascii: true)
        ascii.put("\u{1B}x\u{0}", x: 0, y: 0)
        #expect(ascii.lines[0] == "?x? ")
    }
}
