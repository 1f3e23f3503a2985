#if arch(x86_64)
import _Builtin_intrinsics.intel

/// The W4A8 inner loops on AVX-512 VNNI: 4-bit codes (unsigned, 0…15)
/// times int8 activation codes, `vpdpbusd` on 256-bit vectors (32 codes, a
/// step, as the AVX2 path takes them, so every group size that is a
/// multiple of 32 works), Int32 lanes throughout.
///
/// The codes need no shift (they are the unsigned side already), and each
/// Int32 lane gets exactly what the AVX2 path's `vpmaddubsw` + `vpmaddwd`
/// give it (lane i: codes 4i…4i+3 of every step), so the zero-point
/// corrections, the Float32 conversions and their order are the same and
/// so are the outputs, bit for bit. Layouts are the caller's (`W4A8Matmul`):
///
/// ```
///  activations  [token][width] int8, each 32 split evens then odds
///  packed rows  16 bytes per step: byte j = code 2j | code 2j+1 << 4
///  panel        [step][4 rows][32] unpacked codes
///  group sums   [token][group] 8 × Int32 lanes of Σ a           (GEMV)
///  unit sums    [token][group][unit] 16 × Int16 pair sums of a  (GEMM; a unit is ≤ 4 steps)
/// ```
/// Only call these after `AVX512VNNISupport.isAvailable`.
public enum VNNIInt4Dots {
    /// One token against four packed weight rows (GEMV): for row r, the
    /// eight Float32 lanes Σ_g S[r, g]·Float(lanes of Σ_{k∈g} (q − Z)·a),
    /// accumulated group by group with FMA, into `out[8r..<8r + 8]`.
    /// `scales` and `zeroPoints` are each row's own (`groups` per row);
    /// `collect`, when given, receives row r's group accumulators at
    /// `collect[r·groups + g]`.
    @inline(never)
    public static func rowQuadLanes(token a: UnsafeRawPointer, groupSums: UnsafeRawPointer,
                                    rows w0: UnsafeRawPointer, _ w1: UnsafeRawPointer, _ w2: UnsafeRawPointer, _ w3: UnsafeRawPointer,
                                    scales: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
                                    zeroPoints: (UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>),
                                    groups: Int, groupSize: Int, into out: UnsafeMutablePointer<Float>,
                                    collect: UnsafeMutablePointer<Int32>?) {
        let steps = groupSize / 32
        var t0 = _mm256_setzero_ps(), t1 = t0, t2 = t0, t3 = t0
        for g in 0..<groups {
            var l0 = _mm256_setzero_si256(), l1 = l0, l2 = l0, l3 = l0
            let ag = a + g * groupSize, wg = g * groupSize / 2
            for s in 0..<steps {
                let x = load256(ag + 32 * s)
                l0 = dpbusd(l0, nibbles(w0 + wg + 16 * s), x)
                l1 = dpbusd(l1, nibbles(w1 + wg + 16 * s), x)
                l2 = dpbusd(l2, nibbles(w2 + wg + 16 * s), x)
                l3 = dpbusd(l3, nibbles(w3 + wg + 16 * s), x)
            }
            let sums = load256(groupSums + 32 * g)
            l0 = corrected(l0, zeroPoints.0[g], sums); l1 = corrected(l1, zeroPoints.1[g], sums)
            l2 = corrected(l2, zeroPoints.2[g], sums); l3 = corrected(l3, zeroPoints.3[g], sums)
            t0 = _mm256_fmadd_ps(_mm256_set1_ps(scales.0[g]), _mm256_cvtepi32_ps(l0), t0)
            t1 = _mm256_fmadd_ps(_mm256_set1_ps(scales.1[g]), _mm256_cvtepi32_ps(l1), t1)
            t2 = _mm256_fmadd_ps(_mm256_set1_ps(scales.2[g]), _mm256_cvtepi32_ps(l2), t2)
            t3 = _mm256_fmadd_ps(_mm256_set1_ps(scales.3[g]), _mm256_cvtepi32_ps(l3), t3)
            if let collect {
                collect[g] = sum(l0); collect[groups + g] = sum(l1); collect[2 * groups + g] = sum(l2); collect[3 * groups + g] = sum(l3)
            }
        }
        let o = UnsafeMutableRawPointer(out)
        o.storeBytes(of: t0, as: __m256.self); o.storeBytes(of: t1, toByteOffset: 32, as: __m256.self)
        o.storeBytes(of: t2, toByteOffset: 64, as: __m256.self); o.storeBytes(of: t3, toByteOffset: 96, as: __m256.self)
    }

    /// Every token (in pairs) against one panel of four unpacked weight rows
    /// (GEMM): for token t and row r, the eight Float32 lanes
    /// Σ_g Σ_unit S[r, g]·Float(lanes of Σ_{k∈unit} (q − Z)·a) into
    /// `out[(4t + r)·8..<+8]`. Rows from `valid` on get S = Z = 0 (the
    /// panel holds zero codes there). `scales` and `zeroPoints` point at
    /// the panel's first row (`groups` per row); `collect`, when given,
    /// receives the group accumulators of rows below `valid` at
    /// `collect[t·tokenStride + r·groups + g]`.
    @inline(never)
    public static func panelLanes(tokens a: UnsafeRawPointer, count m: Int, width: Int, unitSums: UnsafeRawPointer,
                                  panel: UnsafeRawPointer, valid: Int, scales: UnsafePointer<Float>, zeroPoints: UnsafePointer<UInt8>,
                                  groups: Int, groupSize: Int, into out: UnsafeMutablePointer<Float>,
                                  collect: UnsafeMutablePointer<Int32>?, tokenStride: Int) {
        let steps = groupSize / 32, units = (steps + 3) / 4
        let o = UnsafeMutableRawPointer(out)
        var t = 0
        while t < m {
            // An odd last token pairs with itself; its twin is not stored.
            let second = t + 1 < m
            let a0 = a + t * width, a1 = second ? a0 + width : a0
            let p0 = unitSums + t * groups * units * 32, p1 = second ? p0 + groups * units * 32 : p0
            var f00 = _mm256_setzero_ps(), f01 = f00, f02 = f00, f03 = f00, f10 = f00, f11 = f00, f12 = f00, f13 = f00
            for g in 0..<groups {
                @inline(__always) func rowValue<T: Numeric>(_ p: UnsafePointer<T>, _ r: Int) -> T { r < valid ? p[r * groups + g] : 0 }
                let z0 = rowValue(zeroPoints, 0), z1 = rowValue(zeroPoints, 1), z2 = rowValue(zeroPoints, 2), z3 = rowValue(zeroPoints, 3)
                let c0 = _mm256_set1_ps(rowValue(scales, 0)), c1 = _mm256_set1_ps(rowValue(scales, 1))
                let c2 = _mm256_set1_ps(rowValue(scales, 2)), c3 = _mm256_set1_ps(rowValue(scales, 3))
                var g00: Int32 = 0, g01: Int32 = 0, g02: Int32 = 0, g03: Int32 = 0, g10: Int32 = 0, g11: Int32 = 0, g12: Int32 = 0, g13: Int32 = 0
                for u in 0..<units {
                    var i00 = _mm256_setzero_si256(), i01 = i00, i02 = i00, i03 = i00, i10 = i00, i11 = i00, i12 = i00, i13 = i00
                    for c in (g * steps + 4 * u)..<(g * steps + min(steps, 4 * u + 4)) {
                        let x0 = load256(a0 + 32 * c), x1 = load256(a1 + 32 * c)
                        let wc = panel + c * 128
                        var v = load256(wc)
                        i00 = dpbusd(i00, v, x0); i10 = dpbusd(i10, v, x1)
                        v = load256(wc + 32)
                        i01 = dpbusd(i01, v, x0); i11 = dpbusd(i11, v, x1)
                        v = load256(wc + 64)
                        i02 = dpbusd(i02, v, x0); i12 = dpbusd(i12, v, x1)
                        v = load256(wc + 96)
                        i03 = dpbusd(i03, v, x0); i13 = dpbusd(i13, v, x1)
                    }
                    let s0 = pairSums(load256(p0 + (g * units + u) * 32)), s1 = pairSums(load256(p1 + (g * units + u) * 32))
                    i00 = corrected(i00, z0, s0); i01 = corrected(i01, z1, s0); i02 = corrected(i02, z2, s0); i03 = corrected(i03, z3, s0)
                    i10 = corrected(i10, z0, s1); i11 = corrected(i11, z1, s1); i12 = corrected(i12, z2, s1); i13 = corrected(i13, z3, s1)
                    f00 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i00), c0, f00); f01 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i01), c1, f01)
                    f02 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i02), c2, f02); f03 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i03), c3, f03)
                    f10 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i10), c0, f10); f11 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i11), c1, f11)
                    f12 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i12), c2, f12); f13 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i13), c3, f13)
                    if collect != nil {
                        g00 &+= sum(i00); g01 &+= sum(i01); g02 &+= sum(i02); g03 &+= sum(i03)
                        g10 &+= sum(i10); g11 &+= sum(i11); g12 &+= sum(i12); g13 &+= sum(i13)
                    }
                }
                if let collect {
                    let c = collect + t * tokenStride + g
                    @inline(__always) func put(_ r: Int, _ first: Int32, _ next: Int32) {
                        guard r < valid else { return }
                        c[r * groups] = first
                        if second { c[tokenStride + r * groups] = next }
                    }
                    put(0, g00, g10); put(1, g01, g11); put(2, g02, g12); put(3, g03, g13)
                }
            }
            let first = o + t * 128
            first.storeBytes(of: f00, as: __m256.self); first.storeBytes(of: f01, toByteOffset: 32, as: __m256.self)
            first.storeBytes(of: f02, toByteOffset: 64, as: __m256.self); first.storeBytes(of: f03, toByteOffset: 96, as: __m256.self)
            if second {
                first.storeBytes(of: f10, toByteOffset: 128, as: __m256.self); first.storeBytes(of: f11, toByteOffset: 160, as: __m256.self)
                first.storeBytes(of: f12, toByteOffset: 192, as: __m256.self); first.storeBytes(of: f13, toByteOffset: 224, as: __m256.self)
            }
            t += 2
        }
    }

    // MARK: Lanes

    /// The 32 codes of 16 packed bytes, low nibbles then high nibbles: the
    /// bytes in both halves, the upper half shifted right by 4 (64-bit
    /// shifts: what crosses into a byte from its neighbour is masked off).
    @inline(__always)
    static func nibbles(_ p: UnsafeRawPointer) -> __m256i {
        let both = _mm256_broadcastsi128_si256(p.loadUnaligned(as: __m128i.self))
        return _mm256_and_si256(_mm256_srlv_epi64(both, _mm256_setr_epi64x(0, 0, 4, 4)), _mm256_set1_epi8(0x0F))
    }

    /// lanes − Z·sums (exact: |Z·Σa| ≤ 15·steps·4·128).
    @inline(__always)
    static func corrected(_ lanes: __m256i, _ zeroPoint: UInt8, _ sums: __m256i) -> __m256i {
        _mm256_sub_epi32(lanes, _mm256_mullo_epi32(_mm256_set1_epi32(Int32(zeroPoint)), sums))
    }

    /// Adjacent Int16 lanes summed into Int32 lanes.
    @inline(__always)
    static func pairSums(_ v: __m256i) -> __m256i { _mm256_madd_epi16(v, _mm256_set1_epi16(1)) }

    @inline(__always)
    static func sum(_ v: __m256i) -> Int32 {
        let q = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(4, 5, 6, 7, 0, 1, 2, 3))))
        let l = unsafeBitCast(q, to: (Int32, Int32, Int32, Int32).self)
        return l.0 &+ l.1 &+ l.2 &+ l.3
    }

    @inline(__always)
    static func dpbusd(_ s: __m256i, _ u: __m256i, _ w: __m256i) -> __m256i { VNNIInt8Dots.dpbusd(s, u, w) }

    @inline(__always)
    static func load256(_ p: UnsafeRawPointer) -> __m256i { p.loadUnaligned(as: __m256i.self) }
}
#endif
