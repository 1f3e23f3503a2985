/// The integer quantizer of docs/contract.md §1 one value at a time, for
/// methods that choose a group's scale and then code values as they change
/// (GPTQ): the same `AffineCodec` parameters and the same Float32 formula,
/// q = round(clamp(x/S + Z, qmin, qmax)) ties to even, x̂ = S·(q − Z), so a
/// column with no error feedback codes exactly as `Quantizer` does.
struct MethodQuantizer: Sendable {
    let codec: AffineCodec
    let qmin: Float
    let qmax: Float

    init(_ scheme: IntegerScheme) {
        codec = AffineCodec(scheme: scheme, clip: 1)
        qmin = Float(scheme.qmin)
        qmax = Float(scheme.qmax)
    }

    /// S and Z for values whose range is [lo, hi] (the range pass of §1:
    /// it holds 0 unless the scheme uses the exact range).
    @inline(__always)
    func parameters(lo: Float, hi: Float) -> AffineCodec.Parameters { codec.parameters(lo: lo, hi: hi) }

    /// The range of `count` values `stride` apart, as §1's range pass sees it.
    @inline(__always)
    func range(_ x: UnsafePointer<Float>, count: Int, stride: Int = 1) -> (lo: Float, hi: Float) {
        let exact = codec.exactRange
        var lo: Float = exact ? .infinity : 0, hi: Float = exact ? -.infinity : 0
        for i in 0..<count {
            let v = x[i * stride]
            lo = min(lo, v)
            hi = max(hi, v)
        }
        return (lo, hi)
    }

    /// The code and x̂ of one value.
    @inline(__always)
    func quantize(_ x: Float, _ p: AffineCodec.Parameters) -> (code: Float, value: Float) {
        var q = min(max(x / p.scale + p.zeroPoint, qmin), qmax).rounded(.toNearestOrEven)
        // NaN (only after an overflow, which the caller reports) codes as Z, as §1 codes NaN.
        if q.isNaN { q = min(max(p.zeroPoint, qmin), qmax) }
        return (q, p.scale * (q - p.zeroPoint))
    }

    /// A code as the low byte `MethodCodes` stores.
    @inline(__always)
    static func byte(_ q: Float) -> UInt8 { UInt8(truncatingIfNeeded: Int32(q)) }
}
