/// RTN of one row-major matrix, one group at a time, straight from
/// docs/contract.md §1 in Float32: the plain twin of `Quantizer` for the
/// integer schemes at `channel` (a group per row) and `group:G` (runs of G
/// along a row), for the method references to build on.
///
/// ```
///  lo = min(x, 0), hi = max(x, 0) over the group
///  symmetric   S = max(−lo, hi)/qmax, Z = 0
///  full        S = max(−lo, hi)/((qmax − qmin)/2), Z = 0
///  asym, uint  S = (hi − lo)/(qmax − qmin), Z = clamp(qmin − round(lo/S), qmin, qmax)
///  S = 1 when not > 0;  q = round(clamp(x/S + Z, qmin, qmax)), ties to even;  x̂ = S·(q − Z)
/// ```
enum ReferenceRoundToNearest {
    /// x̂ of an n×k matrix, groups of `group` along each row (k for channel).
    static func roundTrip(_ w: [Float], rows n: Int, columns k: Int, scheme: IntegerScheme, group: Int) -> [Float] {
        precondition(scheme.mode != .asymmetricExact, "the method references cover the stretched-range schemes")
        let qmin = Float(scheme.qmin), qmax = Float(scheme.qmax)
        var out = w
        for o in 0..<n {
            var start = 0
            while start < k {
                let end = min(k, start + group)
                var lo: Float = 0, hi: Float = 0
                for j in start..<end {
                    lo = min(lo, w[o * k + j])
                    hi = max(hi, w[o * k + j])
                }
                var s: Float, z: Float = 0
                switch scheme.mode {
                case .symmetric: s = max(-lo, hi) / qmax
                case .full: s = max(-lo, hi) / ((qmax - qmin) / 2)
                default: s = (hi - lo) / (qmax - qmin)
                }
                if !(s > 0 && s.isFinite) { s = 1 }
                if scheme.hasZeroPoint { z = min(max(qmin - (lo / s).rounded(.toNearestOrEven), qmin), qmax) }
                for j in start..<end {
                    let q = min(max(w[o * k + j] / s + z, qmin), qmax).rounded(.toNearestOrEven)
                    out[o * k + j] = s * (q - z)
                }
                start = end
            }
        }
        return out
    }
}
