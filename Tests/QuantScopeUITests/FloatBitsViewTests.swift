import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// The Float-bits view: golden screens for a normal value, a subnormal, a
/// saturating one, zero and a float scheme's x / S, and its numbers checked
/// against independent conversions (Swift's Float16, bf16 by bit rounding,
/// E4M3 worked by hand).
@Suite struct FloatBitsViewTests {
    /// A small [8, 32] tensor whose first elements are chosen for the view:
    /// 0.0312 (normal in E4M3), 0.001 (subnormal in E4M3), 1000 (beyond
    /// E4M3's 448), 0, and −0.1423.
    static func tensor() -> Tensor {
        var values = TestStates.weight(rows: 8, columns: 32, seed: 11).values
        for (i, v) in [Float(0.0312), 0.001, 1000, 0, -0.1423].enumerated() { values[i] = v }
        return Tensor(shape: [8, 32], values: values)
    }

    static func render(cursor: Int, format: FloatFormat = .e4m3fn, settings: QuantSettings = QuantSettings(),
                       tensor: Tensor = tensor(), width: Int, height: Int) throws -> (AppState, CellBuffer) {
        var state = try TestStates.state(tensor, settings: settings, view: .bits, cursor: cursor, width: width, height: height, comparisons: false)
        state.bitsFormat = format
        return (state, ScreenRenderer.render(state, theme: .monochrome))
    }

    /// Both sizes against their goldens; the 120×40 screen's text back.
    @discardableResult
    static func goldens(_ name: String, cursor: Int, format: FloatFormat = .e4m3fn, settings: QuantSettings = QuantSettings(),
                        tensor: Tensor = tensor(), sourceLocation: SourceLocation = #_sourceLocation) throws -> (AppState, String, String) {
        let (state, wide) = try render(cursor: cursor, format: format, settings: settings, tensor: tensor, width: 120, height: 40)
        Golden.check(wide, "bits-120x40-\(name)", sourceLocation: sourceLocation)
        Golden.checkStyles(state, "bits-120x40-\(name)", sourceLocation: sourceLocation)
        let (_, narrow) = try render(cursor: cursor, format: format, settings: settings, tensor: tensor, width: 80, height: 24)
        Golden.check(narrow, "bits-80x24-\(name)", sourceLocation: sourceLocation)
        #expect(!wide.text.contains("MISMATCH") && !narrow.text.contains("MISMATCH"), sourceLocation: sourceLocation)
        return (state, wide.text, narrow.text)
    }

    /// The screen's rows inside the view's box, from the first character after its left edge.
    static func rows(_ text: String) -> [Substring] {
        text.split(separator: "\n").map { line in
            guard let edge = line.lastIndex(where: { $0 == "┃" || $0 == "│" }), edge != line.startIndex,
                  let left = line[..<edge].lastIndex(where: { $0 == "┃" || $0 == "│" }) else { return line }
            return line[line.index(after: left)..<edge]
        }
    }

    /// The tokens of the table row of format `name` after the name.
    static func tableRow(_ name: String, in text: String) -> [String]? {
        rows(text).first { $0.hasPrefix("  \(name) ") || $0.hasPrefix("▶ \(name) ") }
            .map { $0.split(separator: " ").drop { $0 == "▶" }.dropFirst().map(String.init) }
    }

    /// The decoded value of a table row: the first token that is neither bits nor hex.
    static func decoded(_ tokens: [String]) -> Double? {
        tokens.first { !$0.allSatisfy { "01".contains($0) } && !$0.hasPrefix("0x") }.flatMap(number)
    }

    static func number(_ token: some StringProtocol) -> Double? {
        Double(token.replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: "+", with: "").replacingOccurrences(of: "%", with: ""))
    }

    /// The row that starts with `label` (the view's left column).
    static func labelled(_ label: String, in text: String) -> Substring? {
        rows(text).first { $0.hasPrefix(label + " ") }
    }

    /// bf16 by rounding the Float32 bits to the upper 16, ties to even.
    static func bf16(_ x: Float) -> Float {
        let bits = x.bitPattern
        let rounded = (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) & 0xFFFF_0000
        return Float(bitPattern: rounded)
    }

    @Test func normalValue() throws {
        let (_, wide, narrow) = try Self.goldens("normal", cursor: 0)
        for text in [wide, narrow] {
            // 0.0312 = 1.9968 × 2^−6 rounds up to 2^−5: field 2, mantissa 0.
            #expect(text.contains("0 0010 000 = 0x10"))
            #expect(text.contains("field 2 − bias 7 = −5"))
            #expect(text.contains("= 0.03125"))
            #expect(text.contains("normal"))
            #expect(text.contains("max finite 448"))
            // 2^−5 starts a binade: the step below is half the step above.
            #expect(text.contains("0.029297 < 0.03125 < 0.035156"))
            #expect(text.contains("steps ↓0.001953 ↑0.003906"))
            // Side by side: fp16 and bf16 agree with conversions done without the engine.
            let fp16 = try #require(Self.tableRow("fp16", in: text))
            let bf16 = try #require(Self.tableRow("bf16", in: text))
            let fp16Value = Double(Float(Float16(Float(0.0312))))
            let bf16Value = Double(Self.bf16(0.0312))
            #expect(abs(try #require(Self.decoded(fp16)) - fp16Value) <= 1e-4 * fp16Value)
            #expect(abs(try #require(Self.decoded(bf16)) - bf16Value) <= 1e-4 * bf16Value)
            #expect(fp16.prefix(3).joined(separator: " ") == "0 01001 1111111101")
        }
    }

    @Test func subnormalInE4M3() throws {
        let (_, wide, narrow) = try Self.goldens("subnormal", cursor: 1)
        for text in [wide, narrow] {
            // 0.001 / 2^−9 = 0.512 → one quantum: 2^−9 = 0.001953125.
            #expect(text.contains("0 0000 001 = 0x01"))
            #expect(text.contains("subnormal"))
            #expect(text.contains("0.001953125"))
        }
        // In bf16 the same value is normal.
        #expect(try #require(Self.tableRow("bf16", in: wide)).last == "normal")
        #expect(try #require(Self.tableRow("fp8-e4m3", in: wide)).last == "subnormal")
    }

    @Test func saturatingValue() throws {
        let (_, wide, narrow) = try Self.goldens("saturate", cursor: 2)
        for text in [wide, narrow] {
            #expect(text.contains("0 1111 110 = 0x7E"))
            #expect(text.contains("saturated"))
            #expect(text.contains("= 448"))
            #expect(text.contains("−552"))
        }
    }

    @Test func zero() throws {
        let (_, wide, narrow) = try Self.goldens("zero", cursor: 3)
        for text in [wide, narrow] {
            #expect(text.contains("0 0000 000 = 0x00"))
            #expect(text.contains("+0"))
            #expect(text.contains("zero"))
        }
    }

    @Test func otherFormatChosen() throws {
        // The chosen format is not one of the five: it gets the sixth row.
        let (_, wide, _) = try Self.goldens("e3m2", cursor: 4, format: .e3m2)
        #expect(wide.contains("▶ fp6-e3m2"))
        #expect(Self.tableRow("fp4-e2m1", in: wide) != nil)
    }

    @Test func floatSchemeShowsTheScaledValue() throws {
        var settings = QuantSettings()
        settings.stop = .scheme(.float(.e4m3fn))
        let (state, wide, narrow) = try Self.goldens("scheme-fp8", cursor: 17 * 96 + 33, settings: settings, tensor: TestStates.weight())
        let c = try #require(ViewContext(state: state, theme: .monochrome))
        let s = c.quantized.scales[c.group]
        for text in [wide, narrow] {
            #expect(text.contains("stores x / S"))
            // x / S       −38.466 → 1 1100 010 = 0xE2 = −40 …
            let encoded = try #require(Self.labelled("x / S", in: text)).split(separator: " ")
            let scaled = try #require(Self.number(encoded[3]))
            #expect(abs(scaled - Double(c.x / s)) <= 1e-3 * abs(Double(c.x / s)))
            let hex = "0x" + String(c.quantized.codes[c.index], radix: 16, uppercase: true)
            #expect(encoded.contains(Substring(hex)))
            // x̂           decoded · S = −40 · 0.0037 = −0.14802 …
            let back = try #require(Self.labelled("x̂", in: text)).components(separatedBy: " = ")
            let xhat = try #require(Self.number(back[2].split(separator: " ")[0]))
            #expect(abs(xhat - Double(c.dequantized)) <= 1e-3 * abs(Double(c.dequantized)))
        }
    }

    @Test func mxSchemeShowsThePowerOfTwoScale() throws {
        var settings = QuantSettings()
        settings.stop = .scheme(.microscaling(.e2m1))
        let (_, wide, _) = try Self.goldens("scheme-mxfp4", cursor: 17 * 96 + 33, format: .e2m1, settings: settings, tensor: TestStates.weight())
        #expect(wide.contains("S = 2^−4 = 0.0625 (E8M0 0x7B)"))
    }

    /// Every format the `f` key cycles through renders at both sizes.
    @Test func everyFormatRenders() throws {
        for format in AppState.bitsFormats {
            for cursor in 0..<5 {
                let (_, buffer) = try Self.render(cursor: cursor, format: format, width: 80, height: 24)
                #expect(buffer.text.contains(format.name))
            }
        }
    }
}
