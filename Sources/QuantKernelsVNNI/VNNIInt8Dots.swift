#if arch(x86_64)
import _Builtin_intrinsics.intel

/// The W8A8 inner loops on AVX-512 VNNI: `vpdpbusd` multiplies 64 unsigned
/// bytes by 64 signed bytes and adds each group of four products to an Int32
/// lane: one instruction where the AVX2 path needs four `vpmaddwd` + `vpaddd`.
///
/// `vpdpbusd` wants one side unsigned, so the activation codes are moved up
/// by 128 (x + 128 = x XOR 0x80 as a byte) and every sum here is
///
/// ```
///  Σ_k (x[k] + 128)·w[k]  =  Σ_k x[k]·w[k]  +  128·Σ_k w[k]
/// ```
/// which the caller turns back into Σ x·w with the weights' row sums (the
/// same algebra as the asymmetric zero-point correction). Every product
/// and sum is an integer and the adds wrap (no saturation), so the result
/// is exact modulo 2³²; the callers' true dots fit in Int32, hence equal.
///
/// Only call these after `AVX512VNNISupport.isAvailable`. Byte counts are
/// multiples of 32 (rows and tokens are padded to 32 with zero codes): 64
/// at a time, then one masked load for a last 32.
public enum VNNIInt8Dots {
    /// Weight rows per `panel` call.
    public static let panelRows = 6
    /// Tokens per register tile in `panel`.
    static let tileTokens = 4

    /// (x + 128) as unsigned bytes, for `panel`: `count` signed codes (a
    /// multiple of 32) from `x` into `u`.
    @inline(never)
    public static func bias(_ x: UnsafeRawPointer, count: Int, into u: UnsafeMutableRawPointer) {
        precondition(count % 32 == 0)
        let flip = _mm512_set1_epi8(-128)
        var i = 0
        while i + 64 <= count {
            _mm512_storeu_si512(u + i, _mm512_xor_si512(_mm512_loadu_si512(x + i), flip))
            i += 64
        }
        if i < count {
            u.storeBytes(of: _mm256_xor_si256(load256(x + i), _mm256_set1_epi8(-128)), toByteOffset: i, as: __m256i.self)
        }
    }

    /// Σ_k (x[k] + 128)·w_r[k] for four weight rows against one token (GEMV),
    /// k < `bytes`; x is the signed codes as stored, moved up here. Writes
    /// `out[0..<4]`.
    @inline(never)
    public static func biasedDots(token x: UnsafeRawPointer, _ w0: UnsafeRawPointer, _ w1: UnsafeRawPointer,
                                  _ w2: UnsafeRawPointer, _ w3: UnsafeRawPointer, bytes: Int, into out: UnsafeMutablePointer<Int32>) {
        assert(bytes % 32 == 0)
        let flip = _mm512_set1_epi8(-128)
        var s0 = _mm512_setzero_si512(), s1 = s0, s2 = s0, s3 = s0
        var k = 0
        while k + 64 <= bytes {
            let xv = _mm512_xor_si512(_mm512_loadu_si512(x + k), flip)
            s0 = _mm512_dpbusd_epi32(s0, xv, _mm512_loadu_si512(w0 + k))
            s1 = _mm512_dpbusd_epi32(s1, xv, _mm512_loadu_si512(w1 + k))
            s2 = _mm512_dpbusd_epi32(s2, xv, _mm512_loadu_si512(w2 + k))
            s3 = _mm512_dpbusd_epi32(s3, xv, _mm512_loadu_si512(w3 + k))
            k += 64
        }
        var t = sum4(s0, s1, s2, s3)
        if k < bytes {
            // The last 32 with the 256-bit form (AVX512VL).
            let xv = _mm256_xor_si256(load256(x + k), _mm256_set1_epi8(-128))
            let zero = _mm256_setzero_si256()
            t = _mm_add_epi32(t, sum4(dpbusd(zero, xv, load256(w0 + k)), dpbusd(zero, xv, load256(w1 + k)),
                                      dpbusd(zero, xv, load256(w2 + k)), dpbusd(zero, xv, load256(w3 + k))))
        }
        store(t, out)
    }

    /// Σ_k u_t[k]·w_r[k] for every token t < `count` (unsigned, from `bias`,
    /// `stride` bytes apart) against `panelRows` weight rows from `w`
    /// (`rowStride` bytes apart; rows from `rowCount` on repeat the last),
    /// k < `bytes`: `out[t·panelRows + r]`.
    ///
    /// A 4-token × 6-row register tile: 24 accumulators, and per 64 columns
    /// four token loads and six weight loads feed 24 `vpdpbusd`. Each
    /// accumulator's lanes are summed once, at the end of K.
    @inline(never)
    public static func panel(tokens u: UnsafeRawPointer, count: Int, stride: Int, rows w: UnsafeRawPointer, rowCount: Int,
                             rowStride: Int, bytes: Int, into out: UnsafeMutablePointer<Int32>) {
        precondition(count > 0 && rowCount > 0 && bytes % 32 == 0)
        func row(_ r: Int) -> UnsafeRawPointer { w + min(r, rowCount - 1) * rowStride }
        let w0 = row(0), w1 = row(1), w2 = row(2), w3 = row(3), w4 = row(4), w5 = row(5)
        let sums = UnsafeMutablePointer<Int32>.allocate(capacity: tileTokens * panelRows)
        defer { sums.deallocate() }
        var t0 = 0
        while t0 < count {
            func token(_ i: Int) -> UnsafeRawPointer { u + min(t0 + i, count - 1) * stride }
            tile(token(0), token(1), token(2), token(3), w0, w1, w2, w3, w4, w5, bytes: bytes, into: sums)
            (out + t0 * panelRows).update(from: sums, count: min(tileTokens, count - t0) * panelRows)
            t0 += tileTokens
        }
    }

    /// One 4×6 tile: `out[t·6 + r]` = Σ_k x_t[k]·w_r[k].
    @inline(__always)
    private static func tile(_ x0: UnsafeRawPointer, _ x1: UnsafeRawPointer, _ x2: UnsafeRawPointer, _ x3: UnsafeRawPointer,
                             _ w0: UnsafeRawPointer, _ w1: UnsafeRawPointer, _ w2: UnsafeRawPointer,
                             _ w3: UnsafeRawPointer, _ w4: UnsafeRawPointer, _ w5: UnsafeRawPointer,
                             bytes: Int, into out: UnsafeMutablePointer<Int32>) {
        var a00 = _mm512_setzero_si512(), a01 = a00, a02 = a00, a03 = a00, a04 = a00, a05 = a00
        var a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00, a15 = a00
        var a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00, a25 = a00
        var a30 = a00, a31 = a00, a32 = a00, a33 = a00, a34 = a00, a35 = a00
        @inline(__always) func step(_ u0: __m512i, _ u1: __m512i, _ u2: __m512i, _ u3: __m512i, _ load: (UnsafeRawPointer) -> __m512i) {
            var v = load(w0)
            a00 = _mm512_dpbusd_epi32(a00, u0, v); a10 = _mm512_dpbusd_epi32(a10, u1, v)
            a20 = _mm512_dpbusd_epi32(a20, u2, v); a30 = _mm512_dpbusd_epi32(a30, u3, v)
            v = load(w1)
            a01 = _mm512_dpbusd_epi32(a01, u0, v); a11 = _mm512_dpbusd_epi32(a11, u1, v)
            a21 = _mm512_dpbusd_epi32(a21, u2, v); a31 = _mm512_dpbusd_epi32(a31, u3, v)
            v = load(w2)
            a02 = _mm512_dpbusd_epi32(a02, u0, v); a12 = _mm512_dpbusd_epi32(a12, u1, v)
            a22 = _mm512_dpbusd_epi32(a22, u2, v); a32 = _mm512_dpbusd_epi32(a32, u3, v)
            v = load(w3)
            a03 = _mm512_dpbusd_epi32(a03, u0, v); a13 = _mm512_dpbusd_epi32(a13, u1, v)
            a23 = _mm512_dpbusd_epi32(a23, u2, v); a33 = _mm512_dpbusd_epi32(a33, u3, v)
            v = load(w4)
            a04 = _mm512_dpbusd_epi32(a04, u0, v); a14 = _mm512_dpbusd_epi32(a14, u1, v)
            a24 = _mm512_dpbusd_epi32(a24, u2, v); a34 = _mm512_dpbusd_epi32(a34, u3, v)
            v = load(w5)
            a05 = _mm512_dpbusd_epi32(a05, u0, v); a15 = _mm512_dpbusd_epi32(a15, u1, v)
            a25 = _mm512_dpbusd_epi32(a25, u2, v); a35 = _mm512_dpbusd_epi32(a35, u3, v)
        }
        var k = 0
        while k + 64 <= bytes {
            step(_mm512_loadu_si512(x0 + k), _mm512_loadu_si512(x1 + k), _mm512_loadu_si512(x2 + k), _mm512_loadu_si512(x3 + k)) {
                _mm512_loadu_si512($0 + k)
            }
            k += 64
        }
        if k < bytes {
            // The last 32 columns: the upper 32 bytes load as zeros.
            let half: __mmask64 = 0xFFFF_FFFF
            step(_mm512_maskz_loadu_epi8(half, x0 + k), _mm512_maskz_loadu_epi8(half, x1 + k),
                 _mm512_maskz_loadu_epi8(half, x2 + k), _mm512_maskz_loadu_epi8(half, x3 + k)) {
                _mm512_maskz_loadu_epi8(half, $0 + k)
            }
        }
        // Rows 0–3 of each token, then rows 4–5 of tokens 0 and 1, 2 and 3.
        store(sum4(a00, a01, a02, a03), out)
        store(sum4(a10, a11, a12, a13), out + 6)
        store(sum4(a20, a21, a22, a23), out + 12)
        store(sum4(a30, a31, a32, a33), out + 18)
        (out[4], out[5], out[10], out[11]) = lanes(sum4(a04, a05, a14, a15))
        (out[16], out[17], out[22], out[23]) = lanes(sum4(a24, a25, a34, a35))
    }

    // MARK: Lanes

    /// The lane sums of four vectors, in order: one `vpdpbusd` result each.
    /// Interleaving pairs, then pairs of pairs, leaves each 128-bit lane
    /// holding four partial sums (a, b, c, d); two cross-lane folds add the
    /// four lanes.
    @inline(__always)
    static func sum4(_ a: __m512i, _ b: __m512i, _ c: __m512i, _ d: __m512i) -> __m128i {
        let ab = _mm512_add_epi32(_mm512_unpacklo_epi32(a, b), _mm512_unpackhi_epi32(a, b))
        let cd = _mm512_add_epi32(_mm512_unpacklo_epi32(c, d), _mm512_unpackhi_epi32(c, d))
        let abcd = _mm512_add_epi32(_mm512_unpacklo_epi64(ab, cd), _mm512_unpackhi_epi64(ab, cd))
        let halves = _mm512_add_epi32(abcd, _mm512_permutexvar_epi64(_mm512_set_epi64(3, 2, 1, 0, 7, 6, 5, 4), abcd))
        let quarters = _mm512_add_epi32(halves, _mm512_permutexvar_epi64(_mm512_set_epi64(5, 4, 7, 6, 1, 0, 3, 2), halves))
        return _mm512_castsi512_si128(quarters)
    }

    /// The same for 256-bit vectors.
    @inline(__always)
    static func sum4(_ a: __m256i, _ b: __m256i, _ c: __m256i, _ d: __m256i) -> __m128i {
        let ab = _mm256_add_epi32(_mm256_unpacklo_epi32(a, b), _mm256_unpackhi_epi32(a, b))
        let cd = _mm256_add_epi32(_mm256_unpacklo_epi32(c, d), _mm256_unpackhi_epi32(c, d))
        let abcd = _mm256_add_epi32(_mm256_unpacklo_epi64(ab, cd), _mm256_unpackhi_epi64(ab, cd))
        let high = _mm256_permutevar8x32_epi32(abcd, _mm256_setr_epi32(4, 5, 6, 7, 0, 1, 2, 3))
        return _mm_add_epi32(_mm256_castsi256_si128(abcd), _mm256_castsi256_si128(high))
    }

    @inline(__always)
    static func load256(_ p: UnsafeRawPointer) -> __m256i { p.loadUnaligned(as: __m256i.self) }

    @inline(__always)
    static func store(_ v: __m128i, _ p: UnsafeMutablePointer<Int32>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: __m128i.self)
    }

    @inline(__always)
    static func lanes(_ v: __m128i) -> (Int32, Int32, Int32, Int32) {
        unsafeBitCast(v, to: (Int32, Int32, Int32, Int32).self)
    }

    /// `vpdpbusd` on 256 bits (AVX512VL): clang spells the unmasked form
    /// as a macro, which Swift cannot import, so this is the masked form
    /// with every lane selected (the mask folds away).
    @inline(__always)
    static func dpbusd(_ s: __m256i, _ u: __m256i, _ w: __m256i) -> __m256i {
        _mm256_mask_dpbusd_epi32(s, 0xFF, u, w)
    }
}
#endif
