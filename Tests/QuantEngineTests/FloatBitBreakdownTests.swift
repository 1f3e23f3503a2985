import Foundation
import Testing
@testable import QuantEngine

/// `FloatBitBreakdown` (what `quantscope bits` prints): fields, class,
/// exponent and neighbours of every code, with the expectations taken from
/// docs/contract.md §3's layouts and ml_dtypes' decode tables.
@Suite("Float bit breakdown")
struct FloatBitBreakdownTests {
    /// docs/contract.md §3: name, exponent bits, mantissa bits, bias, signed.
    static let layouts: [(name: String, e: Int, m: Int, bias: Int, signed: Bool)] = [
        ("fp8-e4m3", 4, 3, 7, true), ("fp8-e5m2", 5, 2, 15, true), ("fp8-e4m3fnuz", 4, 3, 8, true),
        ("fp8-e5m2fnuz", 5, 2, 16, true), ("fp6-e3m2", 3, 2, 3, true), ("fp6-e2m3", 2, 3, 1, true),
        ("fp4-e2m1", 2, 1, 1, true), ("e8m0", 8, 0, 127, false),
    ]

    @Test("fields, class and exponent of every code", arguments: layouts.map(\.name))
    func fieldsAndClass(_ name: String) throws {
        let layout = try #require(Self.layouts.first { $0.name == name })
        let format = try #require(FloatFormat.named(name))
        let table = try Fixtures.f32("floats/decode_\(name).f32")
        let minNormal = Float(sign: .plus, exponent: 1 - layout.bias, significand: 1)
        var mismatches = Mismatches("breakdown \(name)")
        for code in table.indices {
            let v = table[code]
            let b = FloatBitBreakdown(code: UInt32(code), format: format)
            let expectedClass: FloatClass
            if v.isNaN { expectedClass = .nan } else if v.isInfinite { expectedClass = .inf } else if v == 0 {
                expectedClass = .zero
            } else if layout.signed && v.magnitude < minNormal { expectedClass = .subnormal } else { expectedClass = .normal }
            let expectedExponent: Int? = switch expectedClass {
            case .normal: Int(v.exponent)
            case .subnormal: 1 - layout.bias
            default: nil
            }
            let sign: Int? = layout.signed ? (code >> (layout.e + layout.m)) & 1 : nil
            let exponentField = (code >> layout.m) & ((1 << layout.e) - 1)
            let mantissaField = code & ((1 << layout.m) - 1)
            let ok = b.valueClass == expectedClass && b.exponent == expectedExponent && b.signBit == sign
                && b.exponentField == exponentField && b.mantissaField == mantissaField && sameBits(b.decoded, v)
            mismatches.check(ok, "code \(Show.hex(code)) (\(v)): expected \(expectedClass) exp \(String(describing: expectedExponent)) "
                                 + "s/e/m \(String(describing: sign))/\(exponentField)/\(mantissaField); got \(b.valueClass) "
                                 + "exp \(String(describing: b.exponent)) s/e/m \(String(describing: b.signBit))/\(b.exponentField)/\(b.mantissaField)")
        }
        mismatches.expectNone()
    }

    /// The neighbours are the next smaller and larger non-NaN values of the
    /// decode table (±Inf counts as representable where the format has it).
    @Test("next_down and next_up of every code", arguments: layouts.map(\.name))
    func neighbours(_ name: String) throws {
        let format = try #require(FloatFormat.named(name))
        let table = try Fixtures.f32("floats/decode_\(name).f32")
        let values = table.filter { !$0.isNaN }
        var mismatches = Mismatches("neighbours \(name)")
        for code in table.indices {
            let v = table[code]
            let b = FloatBitBreakdown(code: UInt32(code), format: format)
            let down: Float? = v.isNaN ? nil : values.filter { $0 < v }.max()
            let up: Float? = v.isNaN ? nil : values.filter { $0 > v }.min()
            mismatches.check(b.nextDown == down && b.nextUp == up,
                             "code \(Show.hex(code)) (\(v)): expected \(String(describing: down)) < v < \(String(describing: up)), "
                                 + "got \(String(describing: b.nextDown)) / \(String(describing: b.nextUp))")
        }
        mismatches.expectNone()
    }

    @Test("fp16 neighbours agree with Swift's Float16 for every finite code")
    func halfNeighbours() {
        var mismatches = Mismatches("fp16 neighbours")
        for code in 0..<65_536 {
            let h = Float16(bitPattern: UInt16(code))
            guard h.isFinite else { continue }
            let b = FloatBitBreakdown(code: UInt32(code), format: .fp16)
            let down = Float(h.nextDown), up = Float(h.nextUp)
            mismatches.check(b.nextDown == down && b.nextUp == up,
                             "code \(Show.hex(code, digits: 4)) (\(Float(h))): expected \(down) / \(up), "
                                 + "got \(String(describing: b.nextDown)) / \(String(describing: b.nextUp))")
        }
        mismatches.expectNone()
    }

    @Test("a value taken apart: 2.75 in fp8-e4m3")
    func worked() {
        let b = FloatBitBreakdown(value: 2.75, format: .e4m3fn)
        #expect(b.code == 0x43)
        #expect(b.hex == "0x43")
        #expect(b.bitString == "0 1000 011")
        #expect(b.valueClass == .normal)
        #expect(b.exponent == 1)
        #expect(b.decoded == 2.75)
        #expect(b.error == 0)
        #expect(b.nextDown == 2.5 && b.nextUp == 3)
    }

    @Test("overflow: saturate gives max finite, ieee gives NaN (E4M3FN) or Inf (E5M2)")
    func overflow() {
        let saturated = FloatBitBreakdown(value: 1000, format: .e4m3fn, mode: .saturate)
        #expect(saturated.code == 0x7E && saturated.decoded == 448 && saturated.error == 448 - 1000)
        let nan = FloatBitBreakdown(value: -1000, format: .e4m3fn, mode: .ieee)
        #expect(nan.valueClass == .nan && nan.code == 0xFF && nan.nextUp == nil && nan.nextDown == nil)
        let inf = FloatBitBreakdown(value: 1e6, format: .e5m2, mode: .ieee)
        #expect(inf.valueClass == .inf && inf.code == 0x7C && inf.exponent == nil && inf.nextDown == 57344)
        let e8m0 = FloatBitBreakdown(value: 0, format: .e8m0)
        #expect(e8m0.valueClass == .nan && e8m0.code == 0xFF && e8m0.signBit == nil)
    }

    @Test("subnormal and zero of fp8-e4m3")
    func subnormal() {
        let tiny = FloatBitBreakdown(value: Float(sign: .plus, exponent: -9, significand: 1), format: .e4m3fn)
        #expect(tiny.code == 0x01 && tiny.valueClass == .subnormal && tiny.exponent == -6 && tiny.bitString == "0 0000 001")
        #expect(tiny.nextDown == 0 && tiny.nextUp == Float(sign: .plus, exponent: -8, significand: 1))
        let negativeZero = FloatBitBreakdown(value: -0.0, format: .e4m3fn)
        #expect(negativeZero.code == 0x80 && negativeZero.valueClass == .zero && negativeZero.exponent == nil)
        let fnuzZero = FloatBitBreakdown(value: -0.0, format: .e4m3fnuz)
        #expect(fnuzZero.code == 0x00, "fnuz has no −0: −0 encodes as 0x00")
    }
}
