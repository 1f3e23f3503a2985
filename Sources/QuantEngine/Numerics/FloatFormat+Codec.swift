import Foundation

/// What encoding does with a value beyond the largest finite one.
public enum OverflowMode: String, Sendable, CaseIterable {
    /// Clamp to ±max finite (NaN stays NaN): what quantization schemes use.
    case saturate
    /// Overflow to Inf where the format has it, else to NaN; FP6/FP4 clamp
    /// (they have neither): what a plain dtype cast in `ml_dtypes` does.
    case ieee
}

extension FloatFormat {
    /// Decodes a code exactly; bits above `totalBits` are ignored.
    public func decode(_ code: UInt32) -> Float {
        let code = code & (UInt32(codeCount &- 1))
        if mantissaBits == 23 && exponentBits == 8 { return Float(bitPattern: code) }
        let negative = code & signMask != 0
        let magnitude = code & magnitudeMask
        let exponentField = Int(magnitude >> UInt32(mantissaBits))
        let mantissaField = magnitude & ((1 << UInt32(mantissaBits)) - 1)
        switch specials {
        case .exponentOnly:
            if magnitude == magnitudeMask { return .nan }
            return Float(sign: .plus, exponent: exponentField - bias, significand: 1)
        case .fnuz where code == signMask:
            return .nan
        case .finiteWithNaN where magnitude == magnitudeMask:
            return negative ? -.nan : .nan
        case .ieee where exponentField == maxExponentField:
            if mantissaField != 0 { return negative ? -.nan : .nan }
            return negative ? -.infinity : .infinity
        default:
            break
        }
        let magnitudeValue: Float
        if exponentField == 0 {
            magnitudeValue = Float(sign: .plus, exponent: minNormalExponent - mantissaBits, significand: Float(mantissaField))
        } else {
            let significand = Float((1 << UInt32(mantissaBits)) | mantissaField)
            magnitudeValue = Float(sign: .plus, exponent: exponentField - bias - mantissaBits, significand: significand)
        }
        return negative ? -magnitudeValue : magnitudeValue
    }

    /// Encodes a Float32: round to nearest, ties to even, subnormals kept.
    ///
    /// Bit-exact with `ml_dtypes` casts (`.ieee`) and with clip-then-cast
    /// (`.saturate`), including its choices for formats without NaN (NaN
    /// becomes a zero of the opposite sign) and for E8M0 (ties round up,
    /// zero and negatives are NaN, values up to 2^-127 become 2^-127, and
    /// Float32 subnormals above it become 2^-126).
    /// NaN payloads are not kept: NaN encodes as the quiet NaN with its sign.
    public func encode(_ x: Float, mode: OverflowMode = .saturate) -> UInt32 {
        if x.isNaN { return nanCode(negative: x.sign == .minus) }
        if specials == .exponentOnly { return encodeExponentOnly(x, mode: mode) }
        let negative = x.sign == .minus
        let signBit = negative ? signMask : 0
        let a = x.magnitude
        if a.isInfinite { return overflow(negative: negative, mode: mode) }

        var magnitude: UInt32
        if a < Float(sign: .plus, exponent: minNormalExponent, significand: 1) {
            // Subnormal in the target: count quanta of 2^(emin − m); exact in Double.
            let quanta = (Double(a) * Double(sign: .plus, exponent: mantissaBits - minNormalExponent, significand: 1))
                .rounded(.toNearestOrEven)
            magnitude = UInt32(quanta)
        } else {
            let shift = UInt32(23 - mantissaBits)
            let bits = a.bitPattern
            var rounded = bits
            if shift > 0 {
                let halfMinusOne = (UInt32(1) << (shift - 1)) - 1
                rounded = (bits &+ halfMinusOne &+ ((bits >> shift) & 1)) >> shift
            }
            let exponent32 = Int(rounded >> UInt32(mantissaBits))
            let mantissa = rounded & ((1 << UInt32(mantissaBits)) - 1)
            let field = exponent32 - 127 + bias
            magnitude = field > maxExponentField ? UInt32.max : (UInt32(field) << UInt32(mantissaBits) | mantissa)
        }
        if magnitude > maxFiniteMagnitudeCode { return overflow(negative: negative, mode: mode) }
        if magnitude == 0 && specials == .fnuz { return 0 }
        return magnitude | signBit
    }

    /// The code for a value beyond max finite (Inf included).
    private func overflow(negative: Bool, mode: OverflowMode) -> UInt32 {
        let signBit = negative ? signMask : 0
        guard mode == .ieee else { return maxFiniteMagnitudeCode | signBit }
        switch specials {
        case .ieee: return UInt32(maxExponentField) << UInt32(mantissaBits) | signBit
        case .finiteWithNaN, .fnuz: return nanCode(negative: negative)
        case .allFinite, .exponentOnly: return maxFiniteMagnitudeCode | signBit
        }
    }

    private func encodeExponentOnly(_ x: Float, mode: OverflowMode) -> UInt32 {
        let nan = magnitudeMask
        if x <= 0 { return nan }
        if x.isInfinite { return mode == .saturate ? maxFiniteMagnitudeCode : nan }
        let minimum = Float(sign: .plus, exponent: -bias, significand: 1)
        if x <= minimum { return 0 }
        // ml_dtypes rounds every Float32 subnormal above 2^-127 up to 2^-126.
        if x < Float(sign: .plus, exponent: 1 - bias, significand: 1) && !x.isNormal { return 1 }
        // Round half up on the significand: [1, 1.5) stays, [1.5, 2) goes up.
        var exponent = Int(x.exponent)
        if x.significand >= 1.5 { exponent += 1 }
        let field = exponent + bias
        if field > Int(maxFiniteMagnitudeCode) { return mode == .saturate ? maxFiniteMagnitudeCode : nan }
        return UInt32(max(field, 0))
    }
}
