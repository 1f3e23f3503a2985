/// A small binary floating-point format: sign, exponent and mantissa fields,
/// a bias, and a rule for which codes mean infinity and NaN.
///
/// One generic codec (`FloatFormat+Codec.swift`) serves every format of
/// docs/contract.md §3. Encoding rounds to nearest, ties to even, keeps subnormals and
/// either saturates (`.saturate`) or overflows to Inf/NaN (`.ieee`), agreeing
/// bit for bit with the `ml_dtypes` Python package (the fixtures under
/// `Tests/QuantEngineTests/Fixtures/floats` hold its answers).
///
/// ```
///  fp8-e4m3  (E4M3FN)   S EEEE MMM   bias 7    no Inf, NaN = S.1111.111, max 448
///  fp8-e5m2             S EEEEE MM   bias 15   IEEE Inf/NaN,             max 57344
///  fp4-e2m1             S EE M       bias 1    all codes finite,         max 6
///  e8m0                   EEEEEEEE   bias 127  no sign, 0xFF = NaN,      2^-127 … 2^127
/// ```
public struct FloatFormat: Sendable, Hashable, CustomStringConvertible {
    /// How a format spends its top codes on non-finite values.
    public enum Specials: Sendable, Hashable {
        /// IEEE 754: the all-ones exponent is Inf (mantissa 0) or NaN.
        case ieee
        /// "FN" (finite, NaN): only S.1111…1 is NaN; the top exponent is otherwise normal (E4M3FN).
        case finiteWithNaN
        /// "FNUZ": the negative-zero code 0x80 is the single NaN; no -0, no Inf.
        case fnuz
        /// Every code is a finite number (OCP FP6/FP4).
        case allFinite
        /// E8M0: exponent only, unsigned, 0xFF is NaN, no zero.
        case exponentOnly
    }

    /// The CLI spelling, e.g. `fp8-e4m3`.
    public let name: String
    public let exponentBits: Int
    public let mantissaBits: Int
    public let bias: Int
    public let specials: Specials

    /// Creates a format; the static members cover docs/contract.md §3.
    public init(name: String, exponentBits: Int, mantissaBits: Int, bias: Int, specials: Specials) {
        precondition(exponentBits >= 1 && exponentBits <= 8 && mantissaBits >= 0 && mantissaBits <= 23)
        self.name = name
        self.exponentBits = exponentBits
        self.mantissaBits = mantissaBits
        self.bias = bias
        self.specials = specials
    }

    public var description: String { name }

    public var hasSign: Bool { specials != .exponentOnly }
    public var signBits: Int { hasSign ? 1 : 0 }
    public var totalBits: Int { signBits + exponentBits + mantissaBits }
    public var codeCount: Int { 1 << totalBits }
    public var hasInfinity: Bool { specials == .ieee }
    public var hasNaN: Bool { specials != .allFinite }

    /// The mask of the sign bit inside a code (0 for unsigned formats).
    public var signMask: UInt32 { hasSign ? UInt32(1) << UInt32(exponentBits + mantissaBits) : 0 }
    /// The mask of exponent and mantissa bits: the code of a magnitude.
    public var magnitudeMask: UInt32 { (UInt32(1) << UInt32(exponentBits + mantissaBits)) - 1 }
    var maxExponentField: Int { (1 << exponentBits) - 1 }

    /// The code (positive) of the largest finite value.
    public var maxFiniteMagnitudeCode: UInt32 {
        switch specials {
        case .ieee: return UInt32(maxExponentField - 1) << UInt32(mantissaBits) | ((1 << UInt32(mantissaBits)) - 1)
        case .finiteWithNaN: return magnitudeMask - 1
        case .fnuz, .allFinite: return magnitudeMask
        case .exponentOnly: return magnitudeMask - 1
        }
    }

    /// The largest finite value (448 for E4M3FN).
    public var maxFinite: Float { decode(maxFiniteMagnitudeCode) }

    /// The unbiased exponent of the smallest normal number (1 − bias).
    public var minNormalExponent: Int { 1 - bias }

    /// The unbiased exponent of the largest finite value: `emax` in the OCP MX spec.
    public var maxExponent: Int { Int(maxFiniteMagnitudeCode >> UInt32(mantissaBits)) - bias }

    /// The smallest positive value (the least subnormal; 2^-127 for E8M0).
    public var minPositive: Float { decode(1) }

    /// The quiet-NaN code with the given sign, the one `ml_dtypes` produces.
    func nanCode(negative: Bool) -> UInt32 {
        switch specials {
        case .ieee:
            let quiet = UInt32(maxExponentField) << UInt32(mantissaBits) | (mantissaBits > 0 ? 1 << UInt32(mantissaBits - 1) : 0)
            return quiet | (negative ? signMask : 0)
        case .finiteWithNaN: return magnitudeMask | (negative ? signMask : 0)
        case .fnuz: return signMask
        case .exponentOnly: return magnitudeMask
        // ml_dtypes turns NaN into a zero with the opposite sign for formats without NaN.
        case .allFinite: return negative ? 0 : signMask
        }
    }
}

extension FloatFormat {
    public static let e4m3fn = FloatFormat(name: "fp8-e4m3", exponentBits: 4, mantissaBits: 3, bias: 7, specials: .finiteWithNaN)
    public static let e5m2 = FloatFormat(name: "fp8-e5m2", exponentBits: 5, mantissaBits: 2, bias: 15, specials: .ieee)
    public static let e4m3fnuz = FloatFormat(name: "fp8-e4m3fnuz", exponentBits: 4, mantissaBits: 3, bias: 8, specials: .fnuz)
    public static let e5m2fnuz = FloatFormat(name: "fp8-e5m2fnuz", exponentBits: 5, mantissaBits: 2, bias: 16, specials: .fnuz)
    public static let e3m2 = FloatFormat(name: "fp6-e3m2", exponentBits: 3, mantissaBits: 2, bias: 3, specials: .allFinite)
    public static let e2m3 = FloatFormat(name: "fp6-e2m3", exponentBits: 2, mantissaBits: 3, bias: 1, specials: .allFinite)
    public static let e2m1 = FloatFormat(name: "fp4-e2m1", exponentBits: 2, mantissaBits: 1, bias: 1, specials: .allFinite)
    public static let e8m0 = FloatFormat(name: "e8m0", exponentBits: 8, mantissaBits: 0, bias: 127, specials: .exponentOnly)
    public static let bf16 = FloatFormat(name: "bf16", exponentBits: 8, mantissaBits: 7, bias: 127, specials: .ieee)
    public static let fp16 = FloatFormat(name: "fp16", exponentBits: 5, mantissaBits: 10, bias: 15, specials: .ieee)
    public static let fp32 = FloatFormat(name: "fp32", exponentBits: 8, mantissaBits: 23, bias: 127, specials: .ieee)

    /// Every format `bits --format` accepts, in the order help lists them.
    public static let all: [FloatFormat] = [.e4m3fn, .e5m2, .e4m3fnuz, .e5m2fnuz, .e3m2, .e2m3, .e2m1, .e8m0, .bf16, .fp16, .fp32]

    /// Looks a format up by its CLI name or a common alias (`e4m3`, `float8_e4m3fn`, `fp4`, `half`…).
    public static func named(_ name: String) -> FloatFormat? {
        let key = name.lowercased().replacingOccurrences(of: "_", with: "-")
        if let exact = all.first(where: { $0.name == key }) { return exact }
        switch key {
        case "e4m3", "e4m3fn", "fp8-e4m3fn", "float8-e4m3fn", "f8-e4m3": return .e4m3fn
        case "e5m2", "float8-e5m2", "f8-e5m2": return .e5m2
        case "e4m3fnuz", "float8-e4m3fnuz": return .e4m3fnuz
        case "e5m2fnuz", "float8-e5m2fnuz": return .e5m2fnuz
        case "e3m2", "fp6-e3m2fn", "float6-e3m2fn": return .e3m2
        case "e2m3", "fp6-e2m3fn", "float6-e2m3fn": return .e2m3
        case "e2m1", "fp4", "fp4-e2m1fn", "float4-e2m1fn": return .e2m1
        case "e8m0fnu", "float8-e8m0fnu": return .e8m0
        case "bfloat16": return .bf16
        case "f16", "half", "float16": return .fp16
        case "f32", "float", "float32": return .fp32
        default: return nil
        }
    }
}
