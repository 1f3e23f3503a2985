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

    /// `intB-asym-exact` sees each group's exact [min, max] (docs/contract.md §10).
    var exactRange: Bool { scheme.usesExactRange }

    func parameters(lo: Float, hi: Float) -> Parameters {
        let qmin = Float(scheme.qmin), qmax = Float(scheme.qmax)
        switch scheme.mode {
        case .symmetric:
            let a = max(-lo, hi) * clip
            var s = a / qmax
            if !(s > 0 && s.isFinite) { s = 1 }
            return Parameters(scale: s, zeroPoint: 0)
        case .full:
            // The seed's S = (vmax − vmin)/(qmax − qmin) over [−a, a], written as
            // PyTorch's symmetric observer writes it (a / 127.5 at 8 bits) so 2a
            // cannot overflow; Z = qmin − round(−a/S) = 0 exactly in real arithmetic.
            let a = max(-lo, hi) * clip
            var s = a / ((qmax - qmin) / 2)
            if !(s > 0 && s.isFinite) { s = 1 }
            return Parameters(scale: s, zeroPoint: 0)
        case .asymmetric, .unsigned:
            let vmin = lo * clip, vmax = hi * clip
            var s = (vmax - vmin) / (qmax - qmin)
            if !(s > 0 && s.isFinite) { s = 1 }
            let z = min(max(qmin - (vmin / s).rounded(.toNearestOrEven), qmin), qmax)
            return Parameters(scale: s, zeroPoint: z)
        case .asymmetricExact:
            // No finite value: lo = +∞, hi = −∞ from the range pass.
            let vmin = lo <= hi ? lo * clip : 0, vmax = lo <= hi ? hi * clip : 0
            var s = (vmax - vmin) / (qmax - qmin)
            if !(s > 0 && s.isFinite) {
                // A constant group c: S = |c| makes c exact (q = qmin, Z = qmin ∓ 1).
                s = vmin == vmax && vmin != 0 && vmin.isFinite ? abs(vmin) : 1
            }
            // Z is not clamped into [qmin, qmax]; it is only held within ±2^24
            // (past that Float32 has no consecutive integers, and Int32 must hold it).
            let z = min(max(qmin - (vmin / s).rounded(.toNearestOrEven), -Self.zeroPointLimit), Self.zeroPointLimit)
            return Parameters(scale: s, zeroPoint: z)
        }
    }

    /// How far an exact-range zero-point may go (docs/contract.md §1).
    static let zeroPointLimit: Float = 16_777_216

    @inline(__always)
    func encode(_ x: FloatVector, _ p: Parameters) -> (codes: WordVector, values: FloatVector) {
        let s = FloatVector(repeating: p.scale), z = FloatVector(repeating: p.zeroPoint)
        let q = (x / s + z).clamped(FloatVector(repeating: Float(scheme.qmin)), FloatVector(repeating: Float(scheme.qmax)))
        let (r, bits) = q.roundedToEvenWithBits()
        return (bits, s * (r - z))
    }

    func encodeNonFinite(_ x: Float, _ p: Parameters) -> (code: UInt32, value: Float) {
        let qmin = Float(scheme.qmin), qmax = Float(scheme.qmax)
        // NaN goes to Z, held inside the codes when an exact-range Z is outside them.
        let q: Float = x.isNaN ? min(max(p.zeroPoint, qmin), qmax) : (x > 0 ? qmax : qmin)
        return (UInt32(bitPattern: Int32(q)), p.scale * (q - p.zeroPoint))
    }

    func scale(_ p: Parameters) -> Float { p.scale }
    func zeroPoint(_ p: Parameters) -> Int32 { Int32(p.zeroPoint) }
}
