/// Quantizes 256-value super-blocks to llama.cpp's K-quants (q2_k … q6_k),
/// byte-identical with ggml's `quantize_row_q2_K_ref` … `quantize_row_q6_K_ref`
/// (ggml/src/ggml-quants.c, ggml 0.20.2), the functions llama-quantize runs
/// without an importance matrix.
///
/// gguf-py (`gguf.quants`, 0.19) can dequantize these types but not write
/// them (`gguf.quants.quantize` raises NotImplementedError), so the
/// reference is the compiled C: `tools/make_kquant_fixtures.py` calls it
/// through ctypes and the tests compare every byte.
///
/// Like `GGUFBlockQuantizer`, NaN and ±Inf are quantized as 0 (and counted
/// as non-finite). Finite values too large for a Float16 d (beyond about
/// 6·10^7 for q4_k) give the infinite d llama.cpp writes too.
enum KQuantBlockQuantizer {
    /// Per-thread working memory: ggml's stack arrays L, Laux, weights,
    /// scales and mins.
    struct Scratch {
        var L = [Int32](repeating: 0, count: 256)
        var aux = [Int32](repeating: 0, count: 32)
        var weights = [Float](repeating: 0, count: 32)
        var scales = [Float](repeating: 0, count: 16)
        var mins = [Float](repeating: 0, count: 16)
    }

    /// Quantizes one super-block of 256 finite values into `out`
    /// (`type.typeSize` bytes) and writes each value's stored code.
    static func quantize(_ x: UnsafePointer<Float>, _ type: GGUFBlockScheme, into out: UnsafeMutableRawPointer,
                         codes: UnsafeMutablePointer<UInt8>, scratch: inout Scratch) {
        scratch.L.withUnsafeMutableBufferPointer { L in
            scratch.aux.withUnsafeMutableBufferPointer { aux in
                scratch.weights.withUnsafeMutableBufferPointer { w in
                    scratch.scales.withUnsafeMutableBufferPointer { sc in
                        scratch.mins.withUnsafeMutableBufferPointer { mn in
                            let s = Buffers(L: L.baseAddress!, aux: aux.baseAddress!, weights: w.baseAddress!,
                                            scales: sc.baseAddress!, mins: mn.baseAddress!)
                            switch type {
                            case .q2_k: q2(x, out, s)
                            case .q3_k: q3(x, out, s)
                            case .q4_k, .q5_k: q45(x, out, s, type == .q5_k)
                            case .q6_k: q6(x, out, s)
                            default: preconditionFailure("\(type) is not a K-quant")
                            }
                            for j in 0..<256 { codes[j] = UInt8(truncatingIfNeeded: L[j]) }
                        }
                    }
                }
            }
        }
    }

    private struct Buffers {
        let L: UnsafeMutablePointer<Int32>, aux: UnsafeMutablePointer<Int32>, weights: UnsafeMutablePointer<Float>
        let scales: UnsafeMutablePointer<Float>, mins: UnsafeMutablePointer<Float>
    }

    private typealias Fit = KQuantFit

    /// `scales[16] qs[64] d:f16 dmin:f16`: 16 sub-blocks of 16, 2-bit codes,
    /// 4-bit scale and min per sub-block.
    private static func q2(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer, _ s: Buffers) {
        var maxScale: Float = 0, maxMin: Float = 0
        for j in 0..<16 {
            for l in 0..<16 { s.weights[l] = abs(x[16 * j + l]) }
            let (scale, theMin) = Fit.qkx2Quants(16, 3, x + 16 * j, s.weights, s.L + 16 * j, s.aux,
                                                 rmin: -0.5, rdelta: 0.1, nstep: 15, useMAD: true)
            s.scales[j] = scale
            s.mins[j] = theMin
            if scale > maxScale { maxScale = scale }
            if theMin > maxMin { maxMin = theMin }
        }
        let sc = y.assumingMemoryBound(to: UInt8.self)
        var d: UInt16 = 0, dmin: UInt16 = 0
        if maxScale > 0 {
            let iscale = 15 / maxScale
            for j in 0..<16 { sc[j] = UInt8(truncatingIfNeeded: Fit.nearestInt(iscale * s.scales[j])) }
            d = Fit.half(maxScale / 15)
        } else {
            for j in 0..<16 { sc[j] = 0 }
            d = Fit.half(0)
        }
        if maxMin > 0 {
            let iscale = 15 / maxMin
            for j in 0..<16 { sc[j] |= UInt8(truncatingIfNeeded: Fit.nearestInt(iscale * s.mins[j]) &<< 4) }
            dmin = Fit.half(maxMin / 15)
        } else {
            dmin = Fit.half(0)
        }
        for j in 0..<16 {
            let dj = Fit.float(d) * Float(sc[j] & 0x0F)
            if dj == 0 { continue }
            let dm = Fit.float(dmin) * Float(sc[j] >> 4)
            for i in 0..<16 { s.L[16 * j + i] = Fit.clamp(Fit.nearestInt((x[16 * j + i] + dm) / dj), 0, 3) }
        }
        packTwoBit(s.L, into: y + 16)
        storeHalf(d, y, at: 80)
        storeHalf(dmin, y, at: 82)
    }

    /// `hmask[32] qs[64] scales[12] d:f16`: 16 sub-blocks of 16, codes
    /// −4…3 stored as 2 low bits plus a high bit, 6-bit signed scales.
    private static func q3(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer, _ s: Buffers) {
        var maxScale: Float = 0, amax: Float = 0
        for j in 0..<16 {
            s.scales[j] = Fit.q3Quants(16, 4, x + 16 * j, s.L + 16 * j)
            let a = abs(s.scales[j])
            if a > amax { amax = a; maxScale = s.scales[j] }
        }
        let sb = (y + 96).assumingMemoryBound(to: UInt8.self)
        for j in 0..<12 { sb[j] = 0 }
        var d: UInt16
        if maxScale != 0 {
            let iscale = -32 / maxScale
            for j in 0..<16 {
                // C: int8_t l = nearest_int(…); l = MAX(-32, MIN(31, l)) + 32
                var l = Int32(Int8(truncatingIfNeeded: Fit.nearestInt(iscale * s.scales[j])))
                l = Fit.clamp(l, -32, 31) + 32
                if j < 8 {
                    sb[j] = UInt8(l & 0x0F)
                } else {
                    sb[j - 8] |= UInt8((l & 0x0F) << 4)
                }
                l >>= 4
                sb[j % 4 + 8] |= UInt8(truncatingIfNeeded: l << (2 * (j / 4)))
            }
            d = Fit.half(1 / iscale)
        } else {
            d = Fit.half(0)
        }
        for j in 0..<16 {
            var sc = Int32(j < 8 ? sb[j] & 0x0F : sb[j - 8] >> 4)
            sc = (sc | Int32((sb[8 + j % 4] >> (2 * (j / 4))) & 3) << 4) - 32
            let dj = Fit.float(d) * Float(sc)
            if dj == 0 { continue }
            for i in 0..<16 { s.L[16 * j + i] = Fit.clamp(Fit.nearestInt(x[16 * j + i] / dj), -4, 3) + 4 }
        }
        let hmask = y.assumingMemoryBound(to: UInt8.self)
        for m in 0..<32 { hmask[m] = 0 }
        var m = 0
        var hm: UInt8 = 1
        for j in 0..<256 {
            if s.L[j] > 3 {
                hmask[m] |= hm
                s.L[j] -= 4
            }
            m += 1
            if m == 32 {
                m = 0
                hm <<= 1
            }
        }
        packTwoBit(s.L, into: y + 32)
        // The codes written back are the stored 3-bit values: low 2 bits | high bit << 2.
        for j in 0..<256 where hmask[j % 32] & (1 << (j / 32)) != 0 { s.L[j] += 4 }
        storeHalf(d, y, at: 108)
    }

    /// `d:f16 dmin:f16 scales[12] (qh[32]) qs[128]`: 8 sub-blocks of 32,
    /// 4-bit (q4_k) or 5-bit (q5_k) codes, 6-bit scale and min per sub-block.
    private static func q45(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer, _ s: Buffers, _ five: Bool) {
        let nmax: Int32 = five ? 31 : 15
        var maxScale: Float = 0, maxMin: Float = 0
        for j in 0..<8 {
            var sumX2: Float = 0
            for l in 0..<32 { sumX2 += x[32 * j + l] * x[32 * j + l] }
            let avX = (sumX2 / 32).squareRoot()
            for l in 0..<32 { s.weights[l] = avX + abs(x[32 * j + l]) }
            let (scale, theMin) = Fit.qkx2Quants(32, nmax, x + 32 * j, s.weights, s.L + 32 * j, s.aux,
                                                 rmin: five ? -0.5 : -1, rdelta: 0.1, nstep: five ? 15 : 20, useMAD: false)
            s.scales[j] = scale
            s.mins[j] = theMin
            if scale > maxScale { maxScale = scale }
            if theMin > maxMin { maxMin = theMin }
        }
        let invScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let invMin: Float = maxMin > 0 ? 63 / maxMin : 0
        let sc = (y + 4).assumingMemoryBound(to: UInt8.self)
        for j in 0..<8 {
            let ls = min(63, UInt8(truncatingIfNeeded: Fit.nearestInt(invScale * s.scales[j])))
            let lm = min(63, UInt8(truncatingIfNeeded: Fit.nearestInt(invMin * s.mins[j])))
            if j < 4 {
                sc[j] = ls
                sc[j + 4] = lm
            } else {
                sc[j + 4] = (ls & 0x0F) | ((lm & 0x0F) << 4)
                sc[j - 4] |= (ls >> 4) << 6
                sc[j] |= (lm >> 4) << 6
            }
        }
        let d = Fit.half(maxScale / 63), dmin = Fit.half(maxMin / 63)
        storeHalf(d, y, at: 0)
        storeHalf(dmin, y, at: 2)
        for j in 0..<8 {
            let (scj, mj) = scaleMin(sc, j)
            let dj = Fit.float(d) * Float(scj)
            if dj == 0 { continue }
            let dm = Fit.float(dmin) * Float(mj)
            for i in 0..<32 { s.L[32 * j + i] = Fit.clamp(Fit.nearestInt((x[32 * j + i] + dm) / dj), 0, nmax) }
        }
        let qs = (y + (five ? 48 : 16)).assumingMemoryBound(to: UInt8.self)
        if five {
            let qh = (y + 16).assumingMemoryBound(to: UInt8.self)
            for j in 0..<32 { qh[j] = 0 }
            for chunk in 0..<4 {
                for j in 0..<32 {
                    let l1 = s.L[64 * chunk + j], l2 = s.L[64 * chunk + j + 32]
                    if l1 > 15 { qh[j] |= 1 << (2 * chunk) }
                    if l2 > 15 { qh[j] |= 2 << (2 * chunk) }
                    qs[32 * chunk + j] = UInt8(l1 & 0x0F) | UInt8(l2 & 0x0F) << 4
                }
            }
        } else {
            for chunk in 0..<4 {
                for j in 0..<32 { qs[32 * chunk + j] = UInt8(s.L[64 * chunk + j]) | UInt8(s.L[64 * chunk + j + 32]) << 4 }
            }
        }
    }

    /// `ql[128] qh[64] scales:int8[16] d:f16`: 16 sub-blocks of 16, codes
    /// −32…31 stored as q + 32 (4 low bits + 2 high), int8 scales. A block
    /// whose sub-block scales are all below 1e-15 is written as zero bytes.
    private static func q6(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer, _ s: Buffers) {
        var maxScale: Float = 0, maxAbsScale: Float = 0
        for ib in 0..<16 {
            let scale = Fit.qxQuants(16, 32, x + 16 * ib, s.L + 16 * ib)
            s.scales[ib] = scale
            if abs(scale) > maxAbsScale { maxAbsScale = abs(scale); maxScale = scale }
        }
        let bytes = y.assumingMemoryBound(to: UInt8.self)
        if maxAbsScale < Fit.groupMaxEps {
            for b in 0..<210 { bytes[b] = 0 }
            for j in 0..<256 { s.L[j] = 0 }
            return
        }
        let iscale = -128 / maxScale
        let d = Fit.half(1 / iscale)
        storeHalf(d, y, at: 208)
        let sc = (y + 192).assumingMemoryBound(to: Int8.self)
        for ib in 0..<16 { sc[ib] = Int8(truncatingIfNeeded: min(127, Fit.nearestInt(iscale * s.scales[ib]))) }
        for j in 0..<16 {
            let dj = Fit.float(d) * Float(sc[j])
            if dj == 0 { continue }
            for i in 0..<16 { s.L[16 * j + i] = Fit.clamp(Fit.nearestInt(x[16 * j + i] / dj), -32, 31) + 32 }
        }
        for half in 0..<2 {
            let ql = bytes + 64 * half, qh = bytes + 128 + 32 * half
            let L = s.L + 128 * half
            for l in 0..<32 {
                let q1 = UInt8(L[l] & 0x0F), q2 = UInt8(L[l + 32] & 0x0F)
                let q3 = UInt8(L[l + 64] & 0x0F), q4 = UInt8(L[l + 96] & 0x0F)
                ql[l] = q1 | q3 << 4
                ql[l + 32] = q2 | q4 << 4
                qh[l] = UInt8(L[l] >> 4) | UInt8(L[l + 32] >> 4) << 2 | UInt8(L[l + 64] >> 4) << 4 | UInt8(L[l + 96] >> 4) << 6
            }
        }
    }

    /// q2_k / q3_k `qs`: per 128 values, byte l holds values l, l+32, l+64, l+96 at bits 0, 2, 4, 6.
    private static func packTwoBit(_ L: UnsafeMutablePointer<Int32>, into out: UnsafeMutableRawPointer) {
        let qs = out.assumingMemoryBound(to: UInt8.self)
        for j in stride(from: 0, to: 256, by: 128) {
            for l in 0..<32 {
                qs[j / 4 + l] = UInt8(L[j + l]) | UInt8(L[j + l + 32]) << 2 | UInt8(L[j + l + 64]) << 4 | UInt8(L[j + l + 96]) << 6
            }
        }
    }

    /// ggml's `get_scale_min_k4`: the 6-bit scale and min of sub-block j.
    @inline(__always)
    static func scaleMin(_ q: UnsafePointer<UInt8>, _ j: Int) -> (UInt8, UInt8) {
        if j < 4 { return (q[j] & 63, q[j + 4] & 63) }
        return ((q[j + 4] & 0x0F) | (q[j - 4] >> 6) << 4, (q[j + 4] >> 4) | (q[j] >> 6) << 4)
    }

    private static func storeHalf(_ bits: UInt16, _ y: UnsafeMutableRawPointer, at offset: Int) {
        y.storeBytes(of: bits.littleEndian, toByteOffset: offset, as: UInt16.self)
    }
}

extension KQuantBlockQuantizer {
    /// Each sub-block's effective scale and offset in one stored super-block,
    /// with the Float32 products the decoders use, so that
    /// x̂ = scale·(q − offset) + min bit for bit: scale = d·sc_j (q3_k:
    /// d·(sc_j − 32)), min = −(dmin·m_j) for q2_k, q4_k, q5_k.
    static func fields(_ src: UnsafeRawPointer, _ type: GGUFBlockScheme, scales: UnsafeMutablePointer<Float>,
                       mins: UnsafeMutablePointer<Float>?) {
        let bytes = src.assumingMemoryBound(to: UInt8.self)
        func half(_ offset: Int) -> Float {
            KQuantFit.float(UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8)
        }
        switch type {
        case .q2_k:
            let d = half(80), dmin = half(82)
            for j in 0..<16 {
                scales[j] = d * Float(bytes[j] & 0x0F)
                mins?[j] = -(dmin * Float(bytes[j] >> 4))
            }
        case .q3_k:
            let d = half(108)
            for k in 0..<16 {
                let low = (bytes[96 + k % 8] >> (4 * (k / 8))) & 0x0F
                let high = (bytes[104 + k % 4] >> (2 * (k / 4))) & 3
                scales[k] = d * Float(Int(low | high << 4) - 32)
            }
        case .q4_k, .q5_k:
            let d = half(0), dmin = half(2)
            for j in 0..<8 {
                let (sc, m) = scaleMin(bytes + 4, j)
                scales[j] = d * Float(sc)
                mins?[j] = -(dmin * Float(m))
            }
        case .q6_k:
            let d = half(208)
            for j in 0..<16 { scales[j] = d * Float(Int8(bitPattern: bytes[192 + j])) }
        default:
            preconditionFailure("\(type) is not a K-quant")
        }
    }
}
