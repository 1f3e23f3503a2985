/// The sub-block fits behind llama.cpp's K-quant reference quantizers, ported
/// operation for operation from ggml/src/ggml-quants.c (ggml 0.20.2):
/// `nearest_int`, `make_qx_quants` (rmse_type 1, no weights),
/// `make_q3_quants` (do_rmse) and `make_qkx2_quants`.
///
/// Byte identity needs the same Float32 operations in the same order: every
/// sum runs element by element as the C loops do, products keep C's
/// left-to-right association (`w*l*x` is `(w·l)·x`), an `int` meets a
/// float by conversion first, and nothing is fused (Swift never contracts
/// `a·b + c` into an FMA; the C reference is built without contraction).
/// Where the C carries a value from an earlier step (the `min` that a better
/// trial replaces inside `make_qkx2_quants`), so does the port.
enum KQuantFit {
    /// ggml's `GROUP_MAX_EPS`: a sub-block below it counts as all zero.
    static let groupMaxEps: Float = 1e-15

    /// ggml's `nearest_int`: adds 1.5·2^23 and reads the low mantissa bits:
    /// round half to even for |v| < 2^22, and the C's bit pattern (not a
    /// trap) for anything else, NaN and ±Inf included.
    @inline(__always)
    static func nearestInt(_ v: Float) -> Int32 {
        let shifted = v + 12_582_912
        return Int32(bitPattern: shifted.bitPattern & 0x007F_FFFF) &- 0x0040_0000
    }

    @inline(__always)
    static func clamp(_ v: Int32, _ lo: Int32, _ hi: Int32) -> Int32 { max(lo, min(hi, v)) }

    /// The value of largest magnitude (its sign kept), or nil with every L
    /// zeroed for a sub-block below `groupMaxEps` (llama.cpp's shared prologue).
    @inline(__always)
    static func signedMaximum(_ n: Int, _ x: UnsafePointer<Float>, zeroing L: UnsafeMutablePointer<Int32>) -> Float? {
        var maxValue: Float = 0, amax: Float = 0
        for i in 0..<n {
            let ax = abs(x[i])
            if ax > amax { amax = ax; maxValue = x[i] }
        }
        guard amax >= groupMaxEps else {
            for i in 0..<n { L[i] = 0 }
            return nil
        }
        return maxValue
    }

    /// `make_qx_quants(n, nmax, x, L, 1, NULL)`: symmetric codes
    /// −nmax…nmax−1 stored as L = code + nmax, weights x², 19 trial scales;
    /// returns the least-squares scale of the best trial (0 for a sub-block
    /// below `groupMaxEps`, whose L are 0).
    static func qxQuants(_ n: Int, _ nmax: Int32, _ x: UnsafePointer<Float>, _ L: UnsafeMutablePointer<Int32>) -> Float {
        guard let maxValue = signedMaximum(n, x, zeroing: L) else { return 0 }
        let fnmax = Float(nmax)
        var iscale = Float(-nmax) / maxValue
        var sumlx: Float = 0, suml2: Float = 0
        for i in 0..<n {
            let l = clamp(nearestInt(iscale * x[i]), -nmax, nmax - 1)
            L[i] = l + nmax
            let w = x[i] * x[i], fl = Float(l)
            sumlx += w * x[i] * fl
            suml2 += w * fl * fl
        }
        var scale: Float = suml2 != 0 ? sumlx / suml2 : 0
        var best = scale * sumlx
        for step in -9...9 where step != 0 {
            iscale = -(fnmax + 0.1 * Float(step)) / maxValue
            sumlx = 0
            suml2 = 0
            for i in 0..<n {
                let l = clamp(nearestInt(iscale * x[i]), -nmax, nmax - 1)
                let w = x[i] * x[i], fl = Float(l)
                sumlx += w * x[i] * fl
                suml2 += w * fl * fl
            }
            if suml2 > 0 && sumlx * sumlx > best * suml2 {
                for i in 0..<n { L[i] = nmax + clamp(nearestInt(iscale * x[i]), -nmax, nmax - 1) }
                scale = sumlx / suml2
                best = scale * sumlx
            }
        }
        return scale
    }

    /// `make_q3_quants(n, nmax, x, L, true)`: symmetric codes −nmax…nmax−1,
    /// refined element by element (up to 5 passes) while the weighted fit
    /// improves; L = code + nmax. Returns the fitted scale.
    static func q3Quants(_ n: Int, _ nmax: Int32, _ x: UnsafePointer<Float>, _ L: UnsafeMutablePointer<Int32>) -> Float {
        guard let maxValue = signedMaximum(n, x, zeroing: L) else { return 0 }
        let iscale = Float(-nmax) / maxValue
        var sumlx: Float = 0, suml2: Float = 0
        for i in 0..<n {
            let l = clamp(nearestInt(iscale * x[i]), -nmax, nmax - 1)
            L[i] = l
            let w = x[i] * x[i], fl = Float(l)
            sumlx += w * x[i] * fl
            suml2 += w * fl * fl
        }
        for _ in 0..<5 {
            var changed = 0
            for i in 0..<n {
                let w = x[i] * x[i]
                var slx = sumlx - w * x[i] * Float(L[i])
                if slx > 0 {
                    var sl2 = suml2 - w * Float(L[i]) * Float(L[i])
                    let newL = clamp(nearestInt(x[i] * sl2 / slx), -nmax, nmax - 1)
                    if newL != L[i] {
                        slx += w * x[i] * Float(newL)
                        sl2 += w * Float(newL) * Float(newL)
                        if sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2 {
                            L[i] = newL
                            sumlx = slx
                            suml2 = sl2
                            changed += 1
                        }
                    }
                }
            }
            if changed == 0 { break }
        }
        for i in 0..<n { L[i] += nmax }
        return suml2 > 0 ? sumlx / suml2 : 0
    }

    /// `make_qkx2_quants`: the asymmetric fit x ≈ scale·L − theMin with L in
    /// 0…nmax and the weighted error (squared, or absolute when `useMAD`),
    /// trying nstep + 1 scales (rmin + rdelta·k + nmax)/(max − min).
    /// - Returns: the scale and `theMin` (≥ 0: the negated offset).
    static func qkx2Quants(_ n: Int, _ nmax: Int32, _ x: UnsafePointer<Float>, _ weights: UnsafePointer<Float>,
                           _ L: UnsafeMutablePointer<Int32>, _ Laux: UnsafeMutablePointer<Int32>,
                           rmin: Float, rdelta: Float, nstep: Int, useMAD: Bool) -> (scale: Float, theMin: Float) {
        var lo = x[0], hi = x[0]
        var sumW = weights[0]
        var sumX = sumW * x[0]
        for i in 1..<n {
            if x[i] < lo { lo = x[i] }
            if x[i] > hi { hi = x[i] }
            let w = weights[i]
            sumW += w
            sumX += w * x[i]
        }
        if lo > 0 { lo = 0 }
        if hi == lo {
            for i in 0..<n { L[i] = 0 }
            return (0, -lo)
        }
        let fnmax = Float(nmax)
        var iscale = fnmax / (hi - lo)
        var scale = 1 / iscale
        var bestError: Float = 0
        for i in 0..<n {
            L[i] = clamp(nearestInt(iscale * (x[i] - lo)), 0, nmax)
            var diff = scale * Float(L[i]) + lo - x[i]
            diff = useMAD ? abs(diff) : diff * diff
            bestError += weights[i] * diff
        }
        for step in 0...nstep {
            iscale = (rmin + rdelta * Float(step) + fnmax) / (hi - lo)
            var sumL: Float = 0, sumL2: Float = 0, sumXL: Float = 0
            for i in 0..<n {
                let l = clamp(nearestInt(iscale * (x[i] - lo)), 0, nmax)
                Laux[i] = l
                let w = weights[i], fl = Float(l)
                sumL += w * fl
                sumL2 += w * fl * fl
                sumXL += w * fl * x[i]
            }
            let D = sumW * sumL2 - sumL * sumL
            guard D > 0 else { continue }
            var thisScale = (sumW * sumXL - sumX * sumL) / D
            var thisMin = (sumL2 * sumX - sumL * sumXL) / D
            if thisMin > 0 {
                thisMin = 0
                thisScale = sumXL / sumL2
            }
            var error: Float = 0
            for i in 0..<n {
                var diff = thisScale * Float(Laux[i]) + thisMin - x[i]
                diff = useMAD ? abs(diff) : diff * diff
                error += weights[i] * diff
            }
            if error < bestError {
                for i in 0..<n { L[i] = Laux[i] }
                bestError = error
                scale = thisScale
                lo = thisMin
            }
        }
        return (scale, -lo)
    }

    /// GGML_FP32_TO_FP16: round to nearest even; NaN becomes 0x7E00 with its
    /// sign, as ggml's software conversion writes it.
    @inline(__always)
    static func half(_ v: Float) -> UInt16 {
        v.isNaN ? 0x7E00 | UInt16(v.sign == .minus ? 0x8000 : 0) : Float16(v).bitPattern
    }

    /// GGML_FP16_TO_FP32.
    @inline(__always)
    static func float(_ h: UInt16) -> Float { Float(Float16(bitPattern: h)) }
}
