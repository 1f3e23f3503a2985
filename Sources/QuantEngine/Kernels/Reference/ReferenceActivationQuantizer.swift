/// The scalar twins of `ActivationQuantizer`: one value at a time, straight
/// from the formulas, for the tests to hold the SIMD quantizers against.
enum ReferenceActivationQuantizer {
    /// int8 codes of one token and its scale and zero-point (docs/contract.md §1):
    /// symmetric S = max|x|/127, Z = 0; asymmetric S = (max − min)/255 over a
    /// range that includes 0, Z = clamp(−128 − round(min/S), −128, 127);
    /// q = clamp(round(x/S + Z), qmin, qmax), ties to even; S = 1 when the
    /// range is empty. NaN → Z, ±Inf → qmax/qmin, left out of the range.
    static func int8(_ x: [Float], symmetric: Bool) -> (codes: [Int8], scale: Float, zeroPoint: Int32) {
        var lo: Float = 0, hi: Float = 0
        for v in x where v.isFinite {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        let qmin: Float = symmetric ? -127 : -128, qmax: Float = 127
        var s: Float
        var z: Float = 0
        if symmetric {
            s = max(-lo, hi) / 127
            if !(s > 0 && s.isFinite) { s = 1 }
        } else {
            s = (hi - lo) / 255
            if !(s > 0 && s.isFinite) { s = 1 }
            z = min(max(qmin - (lo / s).rounded(.toNearestOrEven), qmin), qmax)
        }
        let codes = x.map { v -> Int8 in
            if v.isNaN { return Int8(z) }
            if v.isInfinite { return Int8(v > 0 ? qmax : qmin) }
            return Int8(min(max(v / s + z, qmin), qmax).rounded(.toNearestOrEven))
        }
        return (codes, s, Int32(z))
    }

    /// E4M3 codes of one token and its scale: S = max|x|/448 (1 when that is
    /// 0 or not finite), code = e4m3(x/S) saturating, ties to even.
    static func e4m3(_ x: [Float]) -> (codes: [UInt8], scale: Float) {
        var amax: Float = 0
        for v in x where v.isFinite { amax = max(amax, abs(v)) }
        var s = amax / FloatFormat.e4m3fn.maxFinite
        if !(s > 0 && s.isFinite) { s = 1 }
        return (x.map { UInt8(FloatFormat.e4m3fn.encode($0 / s, mode: .saturate)) }, s)
    }

    /// Q8_0 blocks of one token, byte for byte as `GGUFBlockQuantizer` (and
    /// llama.cpp's `quantize_row_q8_0_ref`) writes them; non-finite values
    /// count as 0. `x.count` is a multiple of 32.
    static func q8_0(_ x: [Float]) -> [UInt8] {
        precondition(x.count % 32 == 0)
        var out = [UInt8](repeating: 0, count: x.count / 32 * 34)
        var codes = [UInt8](repeating: 0, count: 32)
        for b in 0..<(x.count / 32) {
            let block = (0..<32).map { x[32 * b + $0].isFinite ? x[32 * b + $0] : 0 }
            out.withUnsafeMutableBytes { raw in
                let dst = UnsafeMutableRawBufferPointer(rebasing: raw[(34 * b)..<(34 * b + 34)])
                codes.withUnsafeMutableBufferPointer { GGUFBlockQuantizer.quantizeBlock(block, .q8_0, into: dst, codes: $0) }
            }
        }
        return out
    }
}
