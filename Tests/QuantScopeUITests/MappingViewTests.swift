import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// The Mapping view: golden screens for every scheme family, and the numbers
/// it prints read back from the screen and compared with the engine's.
@Suite struct MappingViewTests {
    static func settings(_ family: SchemeCatalog.Stop = .integer, bits: Int = 8, symmetry: QuantSettings.Symmetry = .symmetric,
                         granularity: QuantSettings.GranularityKind = .tensor, clip: Float = 1) -> QuantSettings {
        var s = QuantSettings()
        s.stop = family
        s.bits = bits
        s.symmetry = symmetry
        s.granularityKind = granularity
        s.clip = clip
        return s
    }

    /// An element of row 17 away from the outlier columns (x = −0.02139).
    static let ordinary = 17 * 96 + 20
    /// A larger one (x = −0.1423) that gets a non-zero code in 4-bit schemes.
    static let larger = 17 * 96 + 33

    static func state(_ settings: QuantSettings, cursor: Int, width: Int, height: Int) throws -> AppState {
        try TestStates.state(settings: settings, view: .mapping, cursor: cursor, width: width, height: height, comparisons: false)
    }

    static func context(_ state: AppState) throws -> ViewContext {
        try #require(ViewContext(state: state, theme: .monochrome))
    }

    /// Renders both sizes, checks the goldens, and returns the 120×40 screen.
    @discardableResult
    static func goldens(_ name: String, _ settings: QuantSettings, cursor: Int,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> (AppState, CellBuffer) {
        var wide: (AppState, CellBuffer)?
        for (w, h) in [(120, 40), (80, 24)] {
            let state = try state(settings, cursor: cursor, width: w, height: h)
            let buffer = ScreenRenderer.render(state, theme: .monochrome)
            Golden.check(buffer, "mapping-\(w)x\(h)-\(name)", sourceLocation: sourceLocation)
            #expect(!buffer.text.contains("MISMATCH"), "the view found a difference from the engine", sourceLocation: sourceLocation)
            if w == 120 {
                Golden.checkStyles(state, "mapping-\(w)x\(h)-\(name)", sourceLocation: sourceLocation)
                wide = (state, buffer)
            }
        }
        return try #require(wide)
    }

    // MARK: Reading numbers back from the screen

    /// The screen's rows inside the view's box.
    static func rows(_ buffer: CellBuffer) -> [String] {
        buffer.lines.map { line in
            var s = Substring(line)
            while let f = s.first, "┃│ ".contains(f) { s = s.dropFirst() }
            while let l = s.last, "┃│ ".contains(l) { s = s.dropLast() }
            return String(s)
        }
    }

    /// The number in `text` as Swift reads it (typographic minus → ASCII).
    static func number(_ text: Substring) -> Double? {
        Double(text.replacingOccurrences(of: "−", with: "-").trimmingCharacters(in: .whitespaces))
    }

    /// The result of formula `name`: the number after the last "= " on the
    /// row after `name = …` (or on that row when it has one line).
    static func result(_ name: String, in buffer: CellBuffer) -> Double? {
        let all = rows(buffer)
        guard let k = all.firstIndex(where: { row in
            let trimmed = row.drop { $0 == " " }
            return trimmed.hasPrefix(name + " ") && trimmed.dropFirst(name.count).drop { $0 == " " }.hasPrefix("= ")
        }) else { return nil }
        for row in [k + 1, k] where row < all.count {
            guard let range = all[row].range(of: "= ", options: .backwards) else { continue }
            let tail = all[row][range.upperBound...].split(separator: " ").first ?? ""
            if let v = number(tail) { return v }
        }
        return nil
    }

    static func close(_ a: Double?, _ b: Double, relative: Double = 1e-3) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= relative * max(abs(b), 1e-30)
    }

    // MARK: Integer schemes

    @Test func int8SymmetricPerTensor() throws {
        let (state, buffer) = try Self.goldens("int8sym", Self.settings(), cursor: Self.ordinary)
        let c = try Self.context(state)
        #expect(Self.close(Self.result("S", in: buffer), Double(c.quantized.scales[0])))
        #expect(Self.result("q", in: buffer) == Double(c.quantized.code(at: c.index)))
        #expect(Self.close(Self.result("x̂", in: buffer), Double(c.dequantized)))
        let text = buffer.text
        #expect(text.contains("Z = 0   (symmetric"))
        #expect(text.contains("a / qmax"))
        #expect(text.contains("◆"))
        #expect(text.contains("not the cursor"))
    }

    @Test func int4AsymmetricPerChannelOnTheRangeSetter() throws {
        let settings = Self.settings(bits: 4, symmetry: .asymmetric, granularity: .channel)
        // The element that set row 17's maximum.
        let probe = try Self.state(settings, cursor: Self.ordinary, width: 120, height: 40)
        let pc = try Self.context(probe)
        let setters = pc.quantized.rangeSetters(group: pc.group, original: pc.tensor.tensor.values)
        let top = try #require(setters.max { pc.tensor.tensor.values[$0] < pc.tensor.tensor.values[$1] })
        let (state, buffer) = try Self.goldens("int4asym-channel-setter", settings, cursor: top)
        let c = try Self.context(state)
        #expect(c.group == 17)
        #expect(buffer.text.contains("is the cursor ●"))
        #expect(Self.close(Self.result("S", in: buffer), Double(c.quantized.scales[c.group])))
        #expect(Self.result("Z", in: buffer) == Double(try #require(c.quantized.zeroPoints)[c.group]))
        #expect(Self.result("q", in: buffer) == Double(c.quantized.code(at: c.index)))
        #expect(c.quantized.code(at: c.index) == 7)
    }

    @Test func int4AsymmetricPerChannelOnAnOrdinaryElement() throws {
        let settings = Self.settings(bits: 4, symmetry: .asymmetric, granularity: .channel)
        let (state, buffer) = try Self.goldens("int4asym-channel", settings, cursor: Self.ordinary)
        let c = try Self.context(state)
        #expect(!buffer.text.contains("is the cursor ●"))
        #expect(buffer.text.contains("channel 17 = row 17"))
        #expect(Self.close(Self.result("S", in: buffer), Double(c.quantized.scales[c.group])))
        #expect(Self.result("Z", in: buffer) == Double(try #require(c.quantized.zeroPoints)[c.group]))
        #expect(Self.result("q", in: buffer) == Double(c.quantized.code(at: c.index)))
        #expect(Self.close(Self.result("x̂", in: buffer), Double(c.dequantized)))
    }

    @Test func uint8() throws {
        let (state, buffer) = try Self.goldens("uint8", Self.settings(symmetry: .unsigned), cursor: Self.ordinary)
        let c = try Self.context(state)
        #expect(Self.close(Self.result("S", in: buffer), Double(c.quantized.scales[0])))
        #expect(Self.result("Z", in: buffer) == Double(try #require(c.quantized.zeroPoints)[0]))
        #expect(Self.result("q", in: buffer) == Double(c.quantized.code(at: c.index)))
        #expect(buffer.text.contains("(255 − 0)"))
    }

    @Test func clippedElement() throws {
        // Column 5 is an outlier column (×12): with half the range kept it clamps.
        let cursor = 17 * 96 + 5
        let (state, buffer) = try Self.goldens("int8sym-clip", Self.settings(clip: 0.5), cursor: cursor)
        let c = try Self.context(state)
        let q = c.quantized.code(at: c.index)
        #expect(abs(q) == 127)
        #expect(buffer.text.contains("clipped"))
        #expect(buffer.text.contains("0.5 · max|x|"))
        #expect(Self.result("q", in: buffer) == Double(q))
        #expect(Self.close(Self.result("S", in: buffer), Double(c.quantized.scales[0])))
        // The clipped parts of the float line are drawn (═) as well as coloured.
        #expect(buffer.text.contains("═"))
    }

    // MARK: Other families

    @Test func fp8E4M3() throws {
        let (state, buffer) = try Self.goldens("fp8-e4m3", Self.settings(.scheme(.float(.e4m3fn))), cursor: Self.larger)
        let c = try Self.context(state)
        #expect(Self.close(Self.result("S", in: buffer), Double(c.quantized.scales[0])))
        let hex = "0x" + String(c.quantized.codes[c.index], radix: 16, uppercase: true)
        #expect(buffer.text.contains("= \(hex)"))
        #expect(Self.close(Self.result("x̂", in: buffer), Double(c.dequantized)))
        #expect(buffer.text.contains("amax / maxfinite"))
    }

    @Test func nf4() throws {
        let (state, buffer) = try Self.goldens("nf4", Self.settings(.scheme(.nf4)), cursor: Self.larger)
        let c = try Self.context(state)
        #expect(Self.close(Self.result("x̂", in: buffer), Double(c.dequantized)))
        #expect(buffer.text.contains("= code \(c.quantized.codes[c.index])"))
        #expect(buffer.text.contains("absmax = max|x| = \(Format.number(c.quantized.scales[c.group]))"))
    }

    @Test func mxfp4() throws {
        let (state, buffer) = try Self.goldens("mxfp4", Self.settings(.scheme(.microscaling(.e2m1))), cursor: Self.larger)
        let c = try Self.context(state)
        let s = c.quantized.scales[c.group]
        #expect(Self.close(Self.result("S", in: buffer), Double(s)))
        #expect(s == Float(sign: .plus, exponent: s.exponent, significand: 1), "an MX scale is a power of two")
        #expect(buffer.text.contains("E8M0 0x"))
        #expect(Self.close(Self.result("x̂", in: buffer), Double(c.dequantized)))
    }

    @Test func q4_0() throws {
        let (state, buffer) = try Self.goldens("q4_0", Self.settings(.scheme(.gguf(.q4_0))), cursor: Self.larger)
        let c = try Self.context(state)
        #expect(Self.close(Self.result("d", in: buffer), Double(c.quantized.scales[c.group])))
        #expect(Self.result("q", in: buffer) == Double(c.quantized.code(at: c.index)))
        #expect(Self.close(Self.result("x̂", in: buffer), Double(c.dequantized)))
        #expect(buffer.text.contains("d · (q − 8)"))
    }

    // MARK: The arithmetic against the engine, everywhere

    /// For every scheme family and many elements (range setters, zeros, the
    /// all-zero row, clipped ones), the view's own reconstruction of S, Z, the
    /// code and x̂ agrees with the engine's stored numbers.
    @Test(arguments: [
        settings(), settings(bits: 4, symmetry: .asymmetric, granularity: .channel), settings(symmetry: .unsigned, granularity: .group),
        settings(bits: 3, granularity: .block), settings(clip: 0.5), settings(bits: 4, symmetry: .asymmetric, clip: 0.7),
        settings(.scheme(.float(.e4m3fn))), settings(.scheme(.float(.e5m2)), granularity: .channel), settings(.scheme(.float(.e2m1)), clip: 0.8), settings(.scheme(.nf4)), settings(.scheme(.bnbFP4)),
        settings(.scheme(.microscaling(.e2m1))), settings(.scheme(.microscaling(.e2m3))), settings(.scheme(.microscaling(.e4m3fn))), settings(.scheme(.gguf(.q4_0))), settings(.scheme(.gguf(.q4_1))), settings(.scheme(.gguf(.q5_0))), settings(.scheme(.gguf(.q8_0))),
    ])
    func reconstructionMatchesTheEngine(_ settings: QuantSettings) throws {
        var state = try Self.state(settings, cursor: 0, width: 120, height: 40)
        let count = try #require(state.tensor).count
        let q = try #require(state.analysis).quantized
        var cursors = Array(stride(from: 0, to: count, by: 37)) + Array(3 * 96..<(3 * 96 + 4))
        for g in [0, q.scales.count / 2, q.scales.count - 1] {
            cursors += q.rangeSetters(group: g, original: try #require(state.tensor).tensor.values)
        }
        for cursor in cursors {
            state.cursor = cursor
            let c = try Self.context(state)
            let e = MappingView.explain(c)
            #expect(e.problems.isEmpty, "\(settings.spelling(rank: 2)) element \(cursor): \(e.problems)")
        }
    }

    /// NaN, ±Inf, an all-zero row and a 1-D tensor: every family explains
    /// them without a difference from the engine, and the screen says what happened.
    @Test(arguments: [
        settings(), settings(bits: 4, symmetry: .asymmetric, granularity: .channel), settings(.scheme(.float(.e4m3fn)), granularity: .channel),
        settings(.scheme(.nf4)), settings(.scheme(.microscaling(.e2m1))), settings(.scheme(.gguf(.q4_0))), settings(.scheme(.gguf(.q4_1))), settings(.scheme(.gguf(.q8_0))),
    ])
    func nonFiniteAndZeroElements(_ settings: QuantSettings) throws {
        var values = TestStates.weight().values
        values[17 * 96 + 40] = .nan
        values[17 * 96 + 41] = .infinity
        values[17 * 96 + 42] = -.infinity
        let tensor = Tensor(shape: [48, 96], values: values)
        for cursor in [17 * 96 + 40, 17 * 96 + 41, 17 * 96 + 42, 3 * 96 + 7, 17 * 96 + 43] {
            let state = try TestStates.state(tensor, settings: settings, view: .mapping, cursor: cursor, width: 120, height: 40, comparisons: false)
            let e = MappingView.explain(try Self.context(state))
            #expect(e.problems.isEmpty, "\(settings.spelling(rank: 2)) element \(cursor): \(e.problems)")
            let text = ScreenRenderer.render(state, theme: .monochrome).text
            #expect(!text.contains("MISMATCH"))
            if cursor == 17 * 96 + 40 && settings.stop == .integer { #expect(text.contains("x is NaN: NaN encodes as Z")) }
        }
        let line = Tensor(shape: [200], values: (0..<200).map { Float($0 % 17) * 0.01 - 0.07 })
        // A row of 200 is no multiple of GGUF's 32: those schemes refuse it, the others explain it.
        if let state = try? TestStates.state(line, settings: settings, view: .mapping, cursor: 33, width: 80, height: 24, comparisons: false) {
            #expect(MappingView.explain(try Self.context(state)).problems.isEmpty)
            #expect(ScreenRenderer.render(state, theme: .monochrome).lines.count == 24)
        }
    }

    /// The all-zero row per channel: S falls back to 1 and the view says so.
    @Test func allZeroGroup() throws {
        let state = try Self.state(Self.settings(granularity: .channel), cursor: 3 * 96 + 7, width: 120, height: 40)
        let text = ScreenRenderer.render(state, theme: .monochrome).text
        #expect(text.contains("(was 0: S = 1)"))
        #expect(text.contains("(every x of the group is 0)"))
        #expect(!text.contains("MISMATCH"))
    }

    /// Every size from the minimum up renders without writing outside the view.
    @Test func smallAndOddSizesStayInside() throws {
        for family in [SchemeCatalog.Stop.integer, .scheme(.float(.e4m3fn)), .scheme(.nf4), .scheme(.gguf(.q4_1))] {
            for (w, h) in [(80, 24), (99, 30), (100, 24), (181, 36)] {
                var state = try Self.state(Self.settings(family, symmetry: .asymmetric), cursor: Self.ordinary, width: w, height: h)
                state.focus = .browser
                let buffer = ScreenRenderer.render(state, theme: .monochrome)
                #expect(buffer.lines.count == h)
            }
        }
    }
}
