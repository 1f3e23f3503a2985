import Foundation
import Testing
@testable import QuantEngine

/// The float formats of docs/contract.md §3 against ml_dtypes (`floats/`): decode every
/// code, encode every float16 value and 40,000 chosen float32 values in both
/// overflow modes, and the hand-picked edge cases.
@Suite("Float format codecs")
struct FloatFormatCodecTests {
    /// Our formats by the fixtures' names (the 8 with decode tables).
    static let tableFormats = ["fp8-e4m3", "fp8-e5m2", "fp8-e4m3fnuz", "fp8-e5m2fnuz", "fp6-e3m2", "fp6-e2m3", "fp4-e2m1", "e8m0"]

    static func format(_ name: String) throws -> FloatFormat {
        let format = try #require(FloatFormat.named(name), "no format named \(name)")
        #expect(format.name == name)
        return format
    }

    static let modes = OverflowMode.allCases

    @Test("every code decodes bit-exactly to ml_dtypes' value", arguments: tableFormats)
    func decodeTable(_ name: String) throws {
        let format = try Self.format(name)
        let table = try Fixtures.f32("floats/decode_\(name).f32")
        try #require(table.count == format.codeCount, "\(name): table has \(table.count) entries, format \(format.codeCount) codes")
        var mismatches = Mismatches("decode \(name)")
        for code in 0..<format.codeCount {
            let actual = format.decode(UInt32(code))
            mismatches.check(sameBits(actual, table[code]),
                             "code \(Show.hex(code)): expected \(Show.float(table[code])), got \(Show.float(actual))")
        }
        mismatches.expectNone()
    }

    /// numpy's float16 → float32 widening, NaN payloads included
    /// (`sign | 0x7F800000 | mantissa << 13`), written out so the input does
    /// not depend on how this platform converts Float16.
    static func widenHalf(_ h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1F), mantissa = Int(h & 0x3FF)
        switch exponent {
        case 0x1F:
            return Float(bitPattern: UInt32(h & 0x8000) << 16 | 0x7F80_0000 | UInt32(mantissa) << 13)
        case 0:
            return sign * Float(sign: .plus, exponent: -24, significand: Float(mantissa))
        default:
            return sign * Float(sign: .plus, exponent: exponent - 25, significand: Float(1024 + mantissa))
        }
    }

    @Test("encoding all 65,536 float16 values matches ml_dtypes", arguments: tableFormats, modes)
    func encodeAllHalves(_ name: String, _ mode: OverflowMode) throws {
        let format = try Self.format(name)
        let expected = try Fixtures.u8("floats/encode_f16_\(name)_\(mode.rawValue).u8")
        try #require(expected.count == 65_536)
        var mismatches = Mismatches("encode \(name) \(mode.rawValue) on float16 inputs")
        for i in 0..<65_536 {
            let x = Self.widenHalf(UInt16(i))
            let actual = format.encode(x, mode: mode)
            mismatches.check(actual == UInt32(expected[i]),
                             "input \(Show.float(x)) (half \(Show.hex(i, digits: 4))): expected \(Show.hex(expected[i])), got \(Show.hex(actual))")
        }
        mismatches.expectNone()
    }

    @Test("the float16 widening used above is exact for every finite half")
    func widenHalfIsExact() {
        var mismatches = Mismatches("widenHalf")
        for i in 0..<65_536 where (i >> 10) & 0x1F != 0x1F {
            let reference = Float(Float16(bitPattern: UInt16(i)))
            mismatches.check(sameBits(Self.widenHalf(UInt16(i)), reference), "half \(Show.hex(i, digits: 4))")
        }
        mismatches.expectNone()
    }

    @Test("encoding random.f32 matches ml_dtypes (8-bit and narrower formats)", arguments: tableFormats, modes)
    func encodeRandomNarrow(_ name: String, _ mode: OverflowMode) throws {
        let format = try Self.format(name)
        let inputs = try Fixtures.f32("floats/random.f32")
        let expected = try Fixtures.u8("floats/encode_random_\(name)_\(mode.rawValue).u8")
        try #require(inputs.count == 40_000 && expected.count == inputs.count)
        var mismatches = Mismatches("encode \(name) \(mode.rawValue) on random.f32")
        for (i, x) in inputs.enumerated() {
            let actual = format.encode(x, mode: mode)
            mismatches.check(actual == UInt32(expected[i]),
                             "#\(i) input \(Show.float(x)): expected \(Show.hex(expected[i])), got \(Show.hex(actual))")
        }
        mismatches.expectNone()
    }

    /// For fp16, numpy keeps NaN payloads and we give the canonical quiet NaN
    /// (documented on `FloatFormat.encode`), so NaN inputs only need a NaN code.
    @Test("encoding random.f32 matches ml_dtypes / numpy (bf16, fp16)", arguments: ["bf16", "fp16"], modes)
    func encodeRandomWide(_ name: String, _ mode: OverflowMode) throws {
        let format = try Self.format(name)
        let inputs = try Fixtures.f32("floats/random.f32")
        let expected = try Fixtures.u16("floats/encode_random_\(name)_\(mode.rawValue).u16")
        try #require(expected.count == inputs.count)
        var mismatches = Mismatches("encode \(name) \(mode.rawValue) on random.f32")
        for (i, x) in inputs.enumerated() {
            let actual = format.encode(x, mode: mode)
            let ok: Bool
            if name == "fp16" && x.isNaN {
                ok = format.decode(actual).isNaN && format.decode(UInt32(expected[i])).isNaN
            } else {
                ok = actual == UInt32(expected[i])
            }
            mismatches.check(ok, "#\(i) input \(Show.float(x)): expected \(Show.hex(expected[i], digits: 4)), got \(Show.hex(actual, digits: 4))")
        }
        mismatches.expectNone()
    }

    @Test("every row of edge_cases.json")
    func edgeCases() throws {
        let rows = try Fixtures.objects("floats/edge_cases.json")
        #expect(rows.count == 637)
        var mismatches = Mismatches("edge cases", limit: 10)
        for row in rows {
            let name = try #require(row.string("format"))
            let format = try Self.format(name)
            let mode = try #require(row.string("mode").flatMap(OverflowMode.init(rawValue:)))
            let bits = try #require(row.int("input_bits"))
            let x = Float(bitPattern: UInt32(truncatingIfNeeded: bits))
            let expectedCode = UInt32(try #require(row.int("code")))
            let decoded = Float(try #require(row.double("decoded")))
            let note = row.string("note") ?? ""
            let actual = format.encode(x, mode: mode)
            let codeOK = name == "fp16" && x.isNaN
                ? format.decode(actual).isNaN && format.decode(expectedCode).isNaN
                : actual == expectedCode
            mismatches.check(codeOK && sameBits(format.decode(actual), decoded),
                             "\(name) \(mode.rawValue) \(note): input \(Show.float(x)): expected code \(Show.hex(expectedCode, digits: 4)) "
                                 + "(\(decoded)), got \(Show.hex(actual, digits: 4)) (\(format.decode(actual)))")
        }
        mismatches.expectNone()
    }

    @Test("max finite and the docs/contract.md §3 table")
    func maxFinite() throws {
        let expected: [(String, Float, Int)] = [
            ("fp8-e4m3", 448, 8), ("fp8-e5m2", 57344, 8), ("fp8-e4m3fnuz", 240, 8), ("fp8-e5m2fnuz", 57344, 8),
            ("fp6-e3m2", 28, 6), ("fp6-e2m3", 7.5, 6), ("fp4-e2m1", 6, 4),
            ("e8m0", Float(sign: .plus, exponent: 127, significand: 1), 8),
        ]
        for (name, max, bits) in expected {
            let format = try Self.format(name)
            #expect(format.maxFinite == max, "\(name): max finite \(format.maxFinite), expected \(max)")
            #expect(format.totalBits == bits, "\(name): \(format.totalBits) bits, expected \(bits)")
            // The decode table's largest finite value is the same number.
            let table = try Fixtures.f32("floats/decode_\(name).f32")
            #expect(table.filter(\.isFinite).max() == max)
        }
    }
}
