/// Integer affine quantization, docs/contract.md §1: q = clamp(round(x/S + Z), qmin, qmax),
/// x̂ = S·(q − Z), round half to even, all in Float32 (bit-exact with numpy
/// evaluating the same formulas in float32).
struct AffineCodec: ElementCodec {
    struct Parameters: Sendable {
        var scale: Float
        var zeroPoint: Float
    }

    let scheme: IntegerScheme
    /// Fraction of the observed range kept (1 = no clipping).
    let clip: Float

    func parameters(lo: Float, hi: Float) -> Parameters {
        let qmin = Float(scheme.qmin), qmax = Float(scheme.qmax)
        switch scheme.mode {
        case .symmetric:
            let a = max(-lo, hi) * clip
            var s = a / qmax
            if !(s > 0 && s.isFinite) { s = 1 }
            return Parameters(scale: s, zeroPoint: 0)
        case .asymmetric, .unsigned:
            let vmin = lo * clip, vmax = hi * clip
            var s = (vmax - vmin) / (qmax - qmin)
            if !(s > 0 && s.isFinite) { s = 1 }
            let z = min(max(qmin - (vmin / s).rounded(.toNearestOrEven), qmin), qmax)
            return Parameters(scale: s, zeroPoint: z)
        }
    }

    @inline(__always)
    func encode(_ x: FloatVector, _ p: Parameters) -> (codes: WordVector, values: FloatVector) {
        let s = FloatVector(repeating: p.scale), z = FloatVector(repeating: p.zeroPoint)
        let q = (x / s + z).clamped(FloatVector(repeating: Float(scheme.qmin)), FloatVector(repeating: Float(scheme.qmax)))
        let (r, bits) = q.roundedToEvenWithBits()
        return (bits, s * (r - z))
    }

    func encodeNonFinite(_ x: Float, _ p: Parameters) -> (code: UInt32, value: Float) {
        let q: Float = x.isNaN ? p.zeroPoint : (x > 0 ? Float(scheme.qmax) : Float(scheme.qmin))
        return (UInt32(bitPattern: Int32(q)), p.scale * (q - p.zeroPoint))
    }

    func scale(_ p: Parameters) -> Float { p.scale }
    func zeroPoint(_ p: Parameters) -> Int32 { Int32(p.zeroPoint) }
}
