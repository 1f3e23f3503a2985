/// SIMD decoders for ggml's 256-value "K-quant" super-blocks (Q2_K…Q6_K,
/// Q8_K), bit-exact with `gguf.quants.dequantize` (gguf-py 0.19) and ggml's
/// `dequantize_row_*`; Q8_K, which gguf-py lacks, matches ggml's `d·q`.
///
/// ```
///  q2_K  scales[16] qs[64] d:f16 dmin:f16        84 B   x̂ = (d·(sc & 15))·q − dmin·(sc >> 4)   16 × 16
///  q3_K  hmask[32] qs[64] scales[12] d:f16      110 B   x̂ = (d·(sc − 32))·q,  q −4…3            16 × 16
///  q4_K  d:f16 dmin:f16 scales[12] qs[128]      144 B   x̂ = (d·sc)·q − (dmin·m), q 0…15          8 × 32
///  q5_K  d:f16 dmin:f16 scales[12] qh[32] qs[128]  176 B   as q4_K, q 0…31                        8 × 32
///  q6_K  ql[128] qh[64] scales:int8[16] d:f16   210 B   x̂ = (d·sc)·(q − 32)                       16 × 16
///  q8_K  d:f32 qs:int8[256] bsums:int16[16]     292 B   x̂ = d·q
/// ```
/// The per-sub-block factors (d·sc, dmin·m) are rounded to Float32 first,
/// then each value takes one multiply and at most one subtraction, never
/// fused: numpy's order. Bit positions follow gguf-py's reshapes; see each
/// decoder.
enum KQuantBlockDecoder {
    private typealias L = BlockLanes

    /// Decodes `blocks` Q2_K blocks from `src` into `dst` (256 values each).
    ///
    /// Values 128h + 32t + l (h 0…1, t 0…3, l 0…31) are bits 2t…2t+1 of
    /// qs[32h + l]; sub-block k = value / 16 has scale byte k.
    static func q2_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.half(s, 80), dmin = L.half(s, 82)
            for h in 0..<2 {
                let a = L.words(s, 16 + 32 * h), b = L.words(s, 32 + 32 * h)
                for t in 0..<4 {
                    let k = 8 * h + 2 * t
                    let shift = UInt32(2 * t)
                    let scA = L.byte(s, k), scB = L.byte(s, k + 1)
                    let dA = L.Floats(repeating: d * Float(scA & 0x0F)), mA = L.Floats(repeating: dmin * Float(scA >> 4))
                    let dB = L.Floats(repeating: d * Float(scB & 0x0F)), mB = L.Floats(repeating: dmin * Float(scB >> 4))
                    L.store(dA * L.floats((a &>> shift) & 3, minus: 0) - mA, o, 16 * k)
                    L.store(dB * L.floats((b &>> shift) & 3, minus: 0) - mB, o, 16 * k + 16)
                }
            }
            s += 84; o += 256
        }
    }

    /// Decodes `blocks` Q3_K blocks from `src` into `dst`.
    ///
    /// Value 32j + l (j = 4h + t) has low bits 2t…2t+1 of qs[32h + l] and
    /// q = low − 4 where bit j of hmask[l] is clear. The 6-bit scale of
    /// sub-block k: low 4 bits from nibble k / 8 of scales[k % 8], high 2
    /// from bits 2(k / 4)… of scales[8 + k % 4].
    static func q3_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.half(s, 108)
            let maskA = L.words(s, 0), maskB = L.words(s, 16)
            for h in 0..<2 {
                let a = L.words(s, 32 + 32 * h), b = L.words(s, 48 + 32 * h)
                for t in 0..<4 {
                    let j = 4 * h + t
                    let dA = L.Floats(repeating: d * scale3(s, 2 * j)), dB = L.Floats(repeating: d * scale3(s, 2 * j + 1))
                    let shift = UInt32(2 * t), bit = UInt32(j)
                    let qA = ((a &>> shift) & 3) | (((maskA &>> bit) & 1) &<< 2)
                    let qB = ((b &>> shift) & 3) | (((maskB &>> bit) & 1) &<< 2)
                    L.store(dA * L.floats(qA, minus: 4), o, 32 * j)
                    L.store(dB * L.floats(qB, minus: 4), o, 32 * j + 16)
                }
            }
            s += 110; o += 256
        }
    }

    /// Decodes `blocks` Q4_K blocks from `src` into `dst`.
    ///
    /// Sub-block j = 2c + t (32 values) is nibble t of qs[32c…32c + 31].
    static func q4_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.half(s, 0), dmin = L.half(s, 2)
            for c in 0..<4 {
                let a = L.words(s, 16 + 32 * c), b = L.words(s, 32 + 32 * c)
                let (sc0, m0) = scaleMin(s, 2 * c), (sc1, m1) = scaleMin(s, 2 * c + 1)
                let d0 = L.Floats(repeating: d * sc0), dm0 = L.Floats(repeating: dmin * m0)
                let d1 = L.Floats(repeating: d * sc1), dm1 = L.Floats(repeating: dmin * m1)
                L.store(d0 * L.floats(a & 0x0F, minus: 0) - dm0, o, 64 * c)
                L.store(d0 * L.floats(b & 0x0F, minus: 0) - dm0, o, 64 * c + 16)
                L.store(d1 * L.floats(a &>> 4, minus: 0) - dm1, o, 64 * c + 32)
                L.store(d1 * L.floats(b &>> 4, minus: 0) - dm1, o, 64 * c + 48)
            }
            s += 144; o += 256
        }
    }

    /// Decodes `blocks` Q5_K blocks from `src` into `dst`.
    ///
    /// As Q4_K (nibbles at byte 48), plus bit 4 of value 32j + l = bit j of qh[l].
    static func q5_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.half(s, 0), dmin = L.half(s, 2)
            let highA = L.words(s, 16), highB = L.words(s, 32)
            for c in 0..<4 {
                let a = L.words(s, 48 + 32 * c), b = L.words(s, 64 + 32 * c)
                let (sc0, m0) = scaleMin(s, 2 * c), (sc1, m1) = scaleMin(s, 2 * c + 1)
                let d0 = L.Floats(repeating: d * sc0), dm0 = L.Floats(repeating: dmin * m0)
                let d1 = L.Floats(repeating: d * sc1), dm1 = L.Floats(repeating: dmin * m1)
                let bit0 = UInt32(2 * c), bit1 = UInt32(2 * c + 1)
                let qA0 = (a & 0x0F) | (((highA &>> bit0) & 1) &<< 4), qB0 = (b & 0x0F) | (((highB &>> bit0) & 1) &<< 4)
                let qA1 = (a &>> 4) | (((highA &>> bit1) & 1) &<< 4), qB1 = (b &>> 4) | (((highB &>> bit1) & 1) &<< 4)
                L.store(d0 * L.floats(qA0, minus: 0) - dm0, o, 64 * c)
                L.store(d0 * L.floats(qB0, minus: 0) - dm0, o, 64 * c + 16)
                L.store(d1 * L.floats(qA1, minus: 0) - dm1, o, 64 * c + 32)
                L.store(d1 * L.floats(qB1, minus: 0) - dm1, o, 64 * c + 48)
            }
            s += 176; o += 256
        }
    }

    /// Decodes `blocks` Q6_K blocks from `src` into `dst`.
    ///
    /// Value 128h + 32g + l (g 0…3, l 0…31): low nibble g / 2 of
    /// ql[64h + 32(g % 2) + l], high bits 2g…2g+1 of qh[32h + l]; q − 32.
    static func q6_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.half(s, 208)
            for h in 0..<2 {
                let highA = L.words(s, 128 + 32 * h), highB = L.words(s, 144 + 32 * h)
                for half in 0..<2 {
                    let a = L.words(s, 64 * h + 32 * half), b = L.words(s, 64 * h + 32 * half + 16)
                    for nibble in 0..<2 {
                        let g = 2 * nibble + half
                        let k = 8 * h + 2 * g
                        let dA = L.Floats(repeating: d * Float(Int8(bitPattern: L.byte(s, 192 + k))))
                        let dB = L.Floats(repeating: d * Float(Int8(bitPattern: L.byte(s, 193 + k))))
                        let low = UInt32(4 * nibble), high = UInt32(2 * g)
                        let qA = ((a &>> low) & 0x0F) | (((highA &>> high) & 3) &<< 4)
                        let qB = ((b &>> low) & 0x0F) | (((highB &>> high) & 3) &<< 4)
                        L.store(dA * L.floats(qA, minus: 32), o, 16 * k)
                        L.store(dB * L.floats(qB, minus: 32), o, 16 * k + 16)
                    }
                }
            }
            s += 210; o += 256
        }
    }

    /// Decodes `blocks` Q8_K blocks from `src` into `dst`.
    static func q8_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.Floats(repeating: Float(bitPattern: UInt32(littleEndian: s.loadUnaligned(as: UInt32.self))))
            for i in 0..<16 {
                // Flipping the sign bit maps int8 q to the unsigned q + 128.
                L.store(d * L.floats(L.words(s, 4 + 16 * i) ^ 0x80, minus: 128), o, 16 * i)
            }
            s += 292; o += 256
        }
    }

    /// Q3_K's signed scale of sub-block k (0…15), as Float32: `sc − 32`.
    @inline(__always)
    private static func scale3(_ s: UnsafeRawPointer, _ k: Int) -> Float {
        let low = (L.byte(s, 96 + k % 8) &>> UInt8(4 * (k / 8))) & 0x0F
        let high = (L.byte(s, 104 + k % 4) &>> UInt8(2 * (k / 4))) & 3
        return Float(Int(low | high &<< 4) - 32)
    }

    /// The 6-bit scale and min of Q4_K/Q5_K sub-block j (0…7), as Float32,
    /// from the 12 bytes at offset 4 (ggml's `get_scale_min_k4`).
    @inline(__always)
    private static func scaleMin(_ s: UnsafeRawPointer, _ j: Int) -> (Float, Float) {
        let p = s + 4
        if j < 4 {
            return (Float(L.byte(p, j) & 63), Float(L.byte(p, j + 4) & 63))
        }
        let sc = (L.byte(p, j + 4) & 0x0F) | (L.byte(p, j - 4) >> 6) << 4
        let m = (L.byte(p, j + 4) >> 4) | (L.byte(p, j) >> 6) << 4
        return (Float(sc), Float(m))
    }
}
