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
}
