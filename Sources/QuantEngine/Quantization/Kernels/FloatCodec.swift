/// A float format with one scale per group (docs/contract.md §3) or a power-of-two MX
/// scale (docs/contract.md §4): code = encode_saturate(x / S), x̂ = decode(code) · S.
///
/// The SIMD encoder rounds on the Float32 bit pattern (round half to even at
/// the format's mantissa width) and uses the 2^(emin−m+23) magic addition
/// for the format's subnormals; it agrees bit for bit with the scalar codec
/// in `FloatFormat+Codec.swift` for every finite input.
struct FloatCodec: ElementCodec {
    enum ScaleRule: Sendable {
        /// S = amax / max finite (S = 1 where that is 0 or not finite).
        case amaxOverMaxFinite
        /// S = 2^(floor(log2 amax) − emax_elem), stored as E8M0 (OCP MX v1.0).
        case microscaling
    }

    struct Parameters: Sendable {
        var scale: Float
    }

    let format: FloatFormat
    let rule: ScaleRule
    let clip: Float

    // Precomputed constants for the SIMD path.
    private let shift: UInt32
    private let minNormal: Float
    private let subnormalMagic: Float
    private let subnormalScale: Float
    private let maxFinite: Float
    private let exponentRebias: UInt32
    private let signShift: UInt32

    init(format: FloatFormat, rule: ScaleRule, clip: Float) {
        precondition(format.hasSign && format.mantissaBits > 0 && format.totalBits <= 8)
        self.format = format
        self.rule = rule
        self.clip = clip
        shift = UInt32(23 - format.mantissaBits)
        minNormal = Float(sign: .plus, exponent: format.minNormalExponent, significand: 1)
        subnormalMagic = Float(sign: .plus, exponent: format.minNormalExponent - format.mantissaBits + 23, significand: 1)
        subnormalScale = Float(sign: .plus, exponent: format.mantissaBits - format.minNormalExponent, significand: 1)
        maxFinite = format.maxFinite
        exponentRebias = UInt32(127 - format.bias) << UInt32(format.mantissaBits)
        signShift = UInt32(31 - format.exponentBits - format.mantissaBits)
    }

    func parameters(lo: Float, hi: Float) -> Parameters {
        let amax = max(-lo, hi) * clip
        switch rule {
        case .amaxOverMaxFinite:
            var s = amax / maxFinite
            if !(s > 0 && s.isFinite) { s = 1 }
            return Parameters(scale: s)
        case .microscaling:
            return Parameters(scale: FloatCodec.microscalingScale(amax: amax, elementFormat: format))
        }
    }

    /// 2^(floor(log2 amax) − emax) with the biased exponent clamped to
    /// [0, 254]; 1 for amax = 0. floor(log2) is read exactly from the exponent.
    static func microscalingScale(amax: Float, elementFormat: FloatFormat) -> Float {
        guard amax > 0 && amax.isFinite else { return 1 }
        let biased = min(max(Int(amax.exponent) - elementFormat.maxExponent + 127, 0), 254)
        return Float(sign: .plus, exponent: biased - 127, significand: 1)
    }

    @inline(__always)
    func encode(_ x: FloatVector, _ p: Parameters) -> (codes: WordVector, values: FloatVector) {
        let s = FloatVector(repeating: p.scale)
        let bits = WordVector(bitPattern: x / s)
        let sign = bits & 0x8000_0000
        let magnitudeBits = bits & 0x7FFF_FFFF
        let a = FloatVector(bitPattern: magnitudeBits)
        let half = (UInt32(1) << (shift - 1)) - 1
        let roundedBits = (magnitudeBits &+ half &+ ((magnitudeBits &>> shift) & 1)) & ~((UInt32(1) << shift) - 1)
        let magic = FloatVector(repeating: subnormalMagic)
        let minNormalV = FloatVector(repeating: minNormal)
        var r = FloatVector(bitPattern: roundedBits).replacing(with: (a + magic) - magic, where: a .< minNormalV)
        let maxV = FloatVector(repeating: maxFinite)
        r = r.replacing(with: maxV, where: r .> maxV)
        let rBits = WordVector(bitPattern: r)
        let normalCode = (rBits &>> shift) &- exponentRebias
        let subnormalCode = WordVector(bitPattern: r * FloatVector(repeating: subnormalScale) + FloatVector(repeating: 8_388_608)) &- 0x4B00_0000
        let magnitude = normalCode.replacing(with: subnormalCode, where: r .< minNormalV)
        var signCode = sign &>> signShift
        if format.specials == .fnuz {
            signCode = signCode.replacing(with: 0, where: r .== FloatVector())
        }
        return (magnitude | signCode, FloatVector(bitPattern: rBits | sign) * s)
    }

    func encodeNonFinite(_ x: Float, _ p: Parameters) -> (code: UInt32, value: Float) {
        let code = format.encode(x / p.scale, mode: .saturate)
        return (code, format.decode(code) * p.scale)
    }

    func scale(_ p: Parameters) -> Float { p.scale }
    func zeroPoint(_ p: Parameters) -> Int32 { 0 }
}
