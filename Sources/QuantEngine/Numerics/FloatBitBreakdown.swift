import Foundation

/// The kind of number a code stands for.
public enum FloatClass: String, Sendable {
    case zero, subnormal, normal, inf, nan
}

/// One value encoded in a float format, taken apart field by field: what
/// `quantscope bits` prints and the Float-bits view draws.
public struct FloatBitBreakdown: Sendable {
    public let format: FloatFormat
    public let mode: OverflowMode
    /// The value that was encoded.
    public let value: Float
    public let code: UInt32
    /// 0 or 1; nil for unsigned formats (E8M0).
    public let signBit: Int?
    public let exponentField: Int
    public let mantissaField: Int
    public let valueClass: FloatClass
    public let decoded: Float
    /// The largest representable value below `decoded` (nil at the bottom or for NaN).
    public let nextDown: Float?
    /// The smallest representable value above `decoded` (nil at the top or for NaN).
    public let nextUp: Float?

    /// Encodes `value` and takes the code apart.
    public init(value: Float, format: FloatFormat, mode: OverflowMode = .saturate) {
        self.init(code: format.encode(value, mode: mode), value: value, format: format, mode: mode)
    }

    /// Takes a given code apart; `value` is what it was encoded from (its decoded value if nil).
    public init(code: UInt32, value: Float? = nil, format: FloatFormat, mode: OverflowMode = .saturate) {
        let code = code & UInt32(truncatingIfNeeded: format.codeCount &- 1)
        self.format = format
        self.mode = mode
        self.code = code
        let decoded = format.decode(code)
        self.decoded = decoded
        self.value = value ?? decoded
        self.signBit = format.hasSign ? (code & format.signMask != 0 ? 1 : 0) : nil
        let magnitude = code & format.magnitudeMask
        self.exponentField = Int(magnitude >> UInt32(format.mantissaBits))
        self.mantissaField = Int(magnitude & ((1 << UInt32(format.mantissaBits)) - 1))
        if decoded.isNaN {
            valueClass = .nan
        } else if decoded.isInfinite {
            valueClass = .inf
        } else if decoded == 0 {
            valueClass = .zero
        } else if exponentField == 0 && format.specials != .exponentOnly {
            valueClass = .subnormal
        } else {
            valueClass = .normal
        }
        (nextDown, nextUp) = FloatBitBreakdown.neighbours(of: code, format: format, decoded: decoded)
    }

    /// The unbiased exponent (1 − bias for subnormals); nil for zero, Inf and NaN.
    public var exponent: Int? {
        switch valueClass {
        case .normal: return exponentField - format.bias
        case .subnormal: return format.minNormalExponent
        default: return nil
        }
    }

    /// decoded − value, in Double so the subtraction itself adds no error.
    public var error: Double { Double(decoded) - Double(value) }

    /// The code's bits grouped as sign, exponent and mantissa: `0 1000 011`.
    public var bitString: String {
        var groups: [String] = []
        if let signBit { groups.append(String(signBit)) }
        groups.append(FloatBitBreakdown.binary(exponentField, width: format.exponentBits))
        if format.mantissaBits > 0 { groups.append(FloatBitBreakdown.binary(mantissaField, width: format.mantissaBits)) }
        return groups.joined(separator: " ")
    }

    /// The code in hex, zero-padded to the format's width: `0x43`.
    public var hex: String {
        let digits = (format.totalBits + 3) / 4
        let raw = String(code, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, digits - raw.count)) + raw
    }

    /// The decode written out with this code's numbers:
    /// `(−1)^0 × 2^(8−7) × (1 + 3/8) = 2.75`.
    public var formula: String {
        let m = format.mantissaBits
        let signPart = signBit.map { "(−1)^\($0) × " } ?? ""
        switch valueClass {
        case .nan: return "NaN (code \(hex) is reserved for NaN)"
        case .inf: return (signBit == 1 ? "−" : "+") + "Inf (exponent all ones, mantissa 0)"
        case .zero where format.specials != .exponentOnly:
            return (signBit == 1 ? "−0" : "+0") + " (exponent 0, mantissa 0)"
        default: break
        }
        let value = FloatBitBreakdown.shortest(decoded)
        if format.specials == .exponentOnly {
            return "2^(\(exponentField)−\(format.bias)) = \(value)"
        }
        let fraction = m > 0 ? "\(mantissaField)/\(1 << m)" : "0"
        if valueClass == .subnormal {
            return "\(signPart)2^(1−\(format.bias)) × (0 + \(fraction)) = \(value)"
        }
        return "\(signPart)2^(\(exponentField)−\(format.bias)) × (1 + \(fraction)) = \(value)"
    }

    static func binary(_ value: Int, width: Int) -> String {
        let raw = String(value, radix: 2)
        return String(repeating: "0", count: max(0, width - raw.count)) + raw
    }

    /// Float32's shortest round-trip spelling (`0.1`, not `0.10000000149`).
    static func shortest(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded() && value.magnitude < 1e16 { return String(Int64(value)) }
        return "\(value)"
    }

    /// The representable neighbours of a code's value, stepping through codes.
    static func neighbours(of code: UInt32, format: FloatFormat, decoded: Float) -> (Float?, Float?) {
        if decoded.isNaN { return (nil, nil) }
        let magnitude = code & format.magnitudeMask
        let negative = code & format.signMask != 0
        let top = format.hasInfinity ? format.maxFiniteMagnitudeCode + 1 : format.maxFiniteMagnitudeCode
        // Moving away from zero on the magnitude, or toward it.
        func value(_ magnitude: UInt32, negative: Bool) -> Float {
            format.decode(magnitude | (negative ? format.signMask : 0))
        }
        let away: Float? = magnitude < top ? value(magnitude + 1, negative: negative) : nil
        let toward: Float?
        if magnitude > 0 {
            // FNUZ has no −0: its code is the NaN, so the step lands on +0.
            toward = value(magnitude - 1, negative: negative && !(magnitude == 1 && format.specials == .fnuz))
        } else if format.hasSign {
            toward = value(1, negative: !negative)   // across zero
        } else {
            toward = nil
        }
        if !format.hasSign { return (toward, away) }
        if decoded == 0 { return (value(1, negative: true), value(1, negative: false)) }
        return negative ? (away, toward) : (toward, away)
    }
}
