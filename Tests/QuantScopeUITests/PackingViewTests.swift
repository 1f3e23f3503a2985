import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

@Suite struct PackingViewTests {
    /// Row 17, column 91 (odd; j = 27 of its 32-block) and row 5, column 70
    /// (even; j = 6): both in the group of columns 64…95, which holds no
    /// outlier column, so their codes vary.
    static let odd = 17 * 96 + 91
    static let even = 5 * 96 + 70

    static func settings(bits: Int = 4, symmetry: QuantSettings.Symmetry = .symmetric, granularity: QuantSettings.GranularityKind = .group,
                         family: SchemeCatalog.Stop = .integer, packing: PackingLayout = .lowFirst) -> QuantSettings {
        var s = QuantSettings()
        s.stop = family
        s.bits = bits
        s.symmetry = symmetry
        s.granularityKind = granularity
        s.packing = packing
        s.groupSize = 32
        return s
    }

    static func state(_ settings: QuantSettings, cursor: Int = odd, width: Int = 120, height: Int = 40,
                      tensor: Tensor = TestStates.weight()) throws -> AppState {
        try TestStates.state(tensor, settings: settings, view: .packing, cursor: cursor, width: width, height: height, comparisons: false)
    }

    /// A theme whose selected nibble looks like nothing else on screen.
    static var probeTheme: Theme {
        var theme = Theme.monochrome
        theme.nibbleSelected = Style(bold: true, underline: true, reverse: true, dim: true)
        return theme
    }

    /// The hex byte drawn with the selected-nibble style on a row of bytes,
    /// and whether its high digit is the selected one.
    static func shownCursorByte(_ state: AppState) -> (byte: UInt8, high: Bool)? {
        let theme = probeTheme
        let buffer = ScreenRenderer.render(state, theme: theme)
        let rect = Layout(state: state).views[0].inset(1)
        for y in rect.y..<rect.maxY {
            let row = (rect.x..<rect.maxX).map { buffer[$0, y] }
            let text = String(String.UnicodeScalarView(row.map(\.scalar)))
            // Hex rows start with an offset ("0x0340") or a GGUF field ("qs  +2").
            guard text.contains("0x") || text.contains("qs ") else { continue }
            for (i, cell) in row.enumerated() where cell.style == theme.nibbleSelected && cell.scalar.properties.isASCIIHexDigit && i > 0 {
                let left = row[i - 1].scalar, right = i + 1 < row.count ? row[i + 1].scalar : " "
                let high = !left.properties.isASCIIHexDigit
                let pair = high ? "\(cell.scalar)\(right)" : "\(left)\(cell.scalar)"
                guard let byte = UInt8(pair, radix: 16) else { continue }
                return (byte, high)
            }
        }
        return nil
    }

    // MARK: Goldens

    @Test(arguments: PackingLayout.allCases)
    func goldenInt4Layouts(_ layout: PackingLayout) throws {
        let odd = try Self.state(Self.settings(packing: layout), cursor: Self.odd)
        Golden.check(ScreenRenderer.render(odd, theme: .monochrome), "packing-120x40-int4-\(layout.rawValue)-odd")
        Golden.checkStyles(odd, "packing-120x40-int4-\(layout.rawValue)-odd")
        let even = try Self.state(Self.settings(packing: layout), cursor: Self.even, width: 80, height: 24)
        Golden.check(ScreenRenderer.render(even, theme: .monochrome), "packing-80x24-int4-\(layout.rawValue)-even")
    }

    @Test func goldenOtherWidths() throws {
        let cases: [(String, QuantSettings)] = [
            ("uint4", Self.settings(symmetry: .unsigned)),
            ("int2", Self.settings(bits: 2)),
            ("int3", Self.settings(bits: 3)),
            ("int8", Self.settings(bits: 8, granularity: .tensor)),
            ("q4_0", Self.settings(family: .scheme(.gguf(.q4_0)))),
            ("q8_0", Self.settings(family: .scheme(.gguf(.q8_0)))),
            ("fp8-e4m3", Self.settings(granularity: .tensor, family: .scheme(.float(.e4m3fn)))),
        ]
        for (name, settings) in cases {
            for (w, h) in [(120, 40), (80, 24)] {
                let state = try Self.state(settings, width: w, height: h)
                Golden.check(ScreenRenderer.render(state, theme: .monochrome), "packing-\(w)x\(h)-\(name)")
            }
        }
        let q5 = try Self.state(Self.settings(family: .scheme(.gguf(.q5_0))))
        Golden.check(ScreenRenderer.render(q5, theme: .monochrome), "packing-120x40-q5_0")
        Golden.checkStyles(q5, "packing-120x40-q5_0")
    }

    // MARK: Facts

    /// The packed window holds every code where `Int4Packer.location` says,
    /// and the byte on screen unpacks to the cursor's code.
    @Test(arguments: PackingLayout.allCases)
    func cursorByteUnpacksToItsCode(_ layout: PackingLayout) throws {
        for cursor in [Self.odd, Self.even, 0, 48 * 96 - 1] {
            for (w, h) in [(120, 40), (80, 24)] {
                let state = try Self.state(Self.settings(packing: layout), cursor: cursor, width: w, height: h)
                let codes = try #require(state.analysis?.quantized.codes)
                let window = PackingView.nibbleWindow(codes: codes, index: cursor, layout: layout, elements: 96)
                #expect(window.base % layout.unitCodes == 0)
                let unpacked = Int4Packer.unpack(window.bytes, count: window.count, layout: layout)
                #expect(unpacked == codes[window.base..<(window.base + window.count)].map { $0 & 0x0F })
                let (byte, shift) = Int4Packer.location(of: cursor, layout: layout)
                let found = Self.shownCursorByte(state)
                let shown = try #require(found, "no highlighted byte for \(layout) at \(cursor), \(w)x\(h)")
                #expect(shown.high == (shift == 4))
                var bytes = window.bytes
                bytes[byte - window.firstByte] = shown.byte
                let fromScreen = Int4Packer.unpack(bytes, count: window.count, layout: layout)
                #expect(fromScreen[cursor - window.base] == codes[cursor] & 0x0F, "\(layout) element \(cursor)")
            }
        }
    }

    /// GGUF: the highlighted qs nibble is the cursor's q in the real block bytes.
    @Test func q4_0ShowsTheBlockNibble() throws {
        for cursor in [Self.odd, Self.even] {
            let state = try Self.state(Self.settings(family: .scheme(.gguf(.q4_0))), cursor: cursor)
            let q = try #require(state.analysis?.quantized)
            let blockBytes = try #require(q.blockBytes)
            let j = cursor % 32
            let byte = blockBytes[cursor / 32 * 18 + 2 + j % 16]
            let found = Self.shownCursorByte(state)
            let shown = try #require(found, "no highlighted qs nibble at \(cursor)")
            #expect(shown.byte == byte)
            #expect(shown.high == (j >= 16))
            #expect((byte >> (j >= 16 ? 4 : 0)) & 0x0F == q.codes[cursor])
        }
    }

    /// int4 group:128: 4 bits + a 32-bit scale per 128 = 4.25 bits, 13.3% of float32.
    @Test func storageCountsTheScales() throws {
        let tensor = TestStates.weight(rows: 8, columns: 256)
        var settings = Self.settings()
        settings.groupSize = 128
        let state = try Self.state(settings, cursor: 300, tensor: tensor)
        let context = try #require(ViewContext(state: state, theme: .monochrome))
        let storage = PackingView.Storage(context, .nibbles(.lowFirst))
        #expect(abs(storage.bitsPerWeight - 4.25) < 1e-12)
        #expect(storage.codeBytes == 1024)
        #expect(storage.parameterBytes == 16 * 4)
        let text = ScreenRenderer.render(state, theme: .monochrome).text
        #expect(text.contains("4 + 32/128 (S) = 4.250"))
        #expect(text.contains("13.3%"))
        #expect(text.contains("7.53×"))
        #expect(text.contains("1,088 B"))
        // Asymmetric adds a 4-bit zero-point per group.
        settings.symmetry = .asymmetric
        let asym = try Self.state(settings, cursor: 300, tensor: tensor)
        let asymStorage = PackingView.Storage(try #require(ViewContext(state: asym, theme: .monochrome)), .nibbles(.lowFirst))
        #expect(abs(asymStorage.bitsPerWeight - (4 + 36.0 / 128)) < 1e-12)
    }

    /// Every glyph the view draws has an ASCII stand-in (terminals without UTF-8).
    @Test func everyGlyphHasAnASCIIFallback() throws {
        let cases = [Self.settings(), Self.settings(bits: 2), Self.settings(bits: 3), Self.settings(family: .scheme(.gguf(.q5_0))), Self.settings(family: .scheme(.gguf(.q8_0)))]
        for settings in cases {
            let state = try Self.state(settings)
            let buffer = ScreenRenderer.render(state, theme: .monochrome)
            let rect = Layout(state: state).views[0]
            for y in rect.y..<rect.maxY {
                for x in rect.x..<rect.maxX {
                    let scalar = buffer[x, y].scalar
                    #expect(scalar == "?" || ASCIIFallback.scalar(for: scalar) != "?", "no ASCII for \(scalar) in \(settings.scheme)")
                }
            }
        }
    }

    @Test func kindFollowsTheCodeWidth() {
        #expect(PackingView.kind(.integer(IntegerScheme(bits: 4, mode: .symmetric)), layout: .awq) == .nibbles(.awq))
        #expect(PackingView.kind(.integer(IntegerScheme(bits: 2, mode: .unsigned)), layout: .awq) == .crumbs)
        #expect(PackingView.kind(.integer(IntegerScheme(bits: 3, mode: .symmetric)), layout: .awq) == .bytes(bits: 3))
        #expect(PackingView.kind(.integer(IntegerScheme(bits: 8, mode: .symmetric)), layout: .awq) == .bytes(bits: 8))
        #expect(PackingView.kind(.gguf(.q4_0), layout: .awq) == .gguf(.q4_0))
        #expect(PackingView.kind(.nf4, layout: .highFirst) == .nibbles(.highFirst))
    }
}
