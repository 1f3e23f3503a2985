#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// The few vector operations the matmul kernels need that Swift's SIMD types
/// do not compile to single instructions: byte products summed in pairs
/// (`vpmaddubsw`), Int16 products summed in pairs (`vpmaddwd`), the sign
/// trick (`vpsignb`, `vpabsb`), Int32 → Float32 (`vcvtdq2ps`), Float16 →
/// Float32 (`vcvtph2ps`), and nibbles widened once (`vpmovzxbd`). This is
/// the only file that imports the x86 intrinsics.
///
/// On x86-64 each is one AVX2/F16C instruction (the engine is built for
/// Haswell); elsewhere a lane loop computes the same integers. Every
/// operation is exact under the bounds its doc comment states, so the
/// two paths agree bit for bit wherever those bounds hold.
///
/// Byte lane j of a 32-byte vector feeds Int16 lane j/2 and Int32 lane j/4:
/// Int32 lane i of `dot` is Σ_{j=4i…4i+3} x_j·w_j.
enum KernelLanes {
    typealias Bytes = SIMD32<Int8>
    typealias UnsignedBytes = SIMD32<UInt8>
    typealias Shorts = SIMD16<Int16>
    typealias Words = SIMD8<Int32>
    typealias Floats = SIMD8<Float>

    /// Σ x·w over each group of four byte lanes, as Int32: |x|·(w with x's
    /// sign), summed in pairs, then pairs of pairs.
    ///
    /// Exact when w is never −128 (|w| ≤ 127, true of every symmetric int8
    /// code and every Q8_0 code) and x is anything: each Int16 pair sum is at
    /// most 2·128·127 = 32,512, below `vpmaddubsw`'s saturation at 32,767.
    /// `absX` must be `absolute(x)`; callers that reuse x against many w
    /// compute it once.
    @inline(__always)
    static func dot(_ x: Bytes, absX: UnsignedBytes, _ w: Bytes) -> Words {
        #if arch(x86_64)
        let signed = _mm256_sign_epi8(m(w), m(x))
        let pairs = _mm256_maddubs_epi16(m(absX), signed)
        return Words(_mm256_madd_epi16(pairs, _mm256_set1_epi16(1)))
        #else
        var r = Words()
        for i in 0..<8 {
            var s: Int32 = 0
            for j in (4 * i)..<(4 * i + 4) { s &+= Int32(x[j]) &* Int32(w[j]) }
            r[i] = s
        }
        return r
        #endif
    }

    /// u·s summed over each pair of byte lanes, as Int16, for unsigned u and
    /// signed s (`vpmaddubsw`).
    ///
    /// Exact when u ≤ 15 (4-bit codes): a pair sum is at most 2·15·128 = 3,840,
    /// so up to eight such results can also be added in Int16 lanes
    /// (30,720 < 32,767) before `pairSums` widens them.
    @inline(__always)
    static func products(_ u: UnsignedBytes, _ s: Bytes) -> Shorts {
        #if arch(x86_64)
        return Shorts(_mm256_maddubs_epi16(m(u), m(s)))
        #else
        var r = Shorts()
        for i in 0..<16 {
            r[i] = Int16(u[2 * i]) &* Int16(s[2 * i]) &+ Int16(u[2 * i + 1]) &* Int16(s[2 * i + 1])
        }
        return r
        #endif
    }

    /// a·b summed over each pair of Int16 lanes, as Int32 (`vpmaddwd`); exact
    /// for int8-range inputs (a pair sum is at most 2·128·128).
    @inline(__always)
    static func multiplyAdd(_ a: Shorts, _ b: Shorts) -> Words {
        #if arch(x86_64)
        return Words(_mm256_madd_epi16(m(a), m(b)))
        #else
        var r = Words()
        for i in 0..<8 { r[i] = Int32(a[2 * i]) * Int32(b[2 * i]) + Int32(a[2 * i + 1]) * Int32(b[2 * i + 1]) }
        return r
        #endif
    }

    /// Sixteen signed bytes widened to Int16 lanes (`vpmovsxbw`).
    @inline(__always)
    static func shorts(_ p: UnsafeRawPointer) -> Shorts {
        let b = p.loadUnaligned(as: SIMD16<Int8>.self)
        var r = Shorts()
        for i in 0..<16 { r[i] = Int16(b[i]) }
        return r
    }

    /// Adjacent Int16 lanes summed into Int32 lanes (`vpmaddwd` by ones); exact.
    @inline(__always)
    static func pairSums(_ v: Shorts) -> Words {
        #if arch(x86_64)
        return Words(_mm256_madd_epi16(m(v), _mm256_set1_epi16(1)))
        #else
        var r = Words()
        for i in 0..<8 { r[i] = Int32(v[2 * i]) &+ Int32(v[2 * i + 1]) }
        return r
        #endif
    }

    /// |x| as unsigned bytes (|−128| = 128), `vpabsb`.
    @inline(__always)
    static func absolute(_ x: Bytes) -> UnsignedBytes {
        #if arch(x86_64)
        return UnsignedBytes(_mm256_abs_epi8(m(x)))
        #else
        var r = UnsignedBytes()
        for i in 0..<32 { r[i] = UInt8(truncatingIfNeeded: Int(x[i]).magnitude) }
        return r
        #endif
    }

    /// Int32 → Float32, lane-wise (exact below 2^24 in magnitude).
    @inline(__always)
    static func floats(_ v: Words) -> Floats {
        #if arch(x86_64)
        return _mm256_cvtepi32_ps(m(v))
        #else
        var r = Floats()
        for i in 0..<8 { r[i] = Float(v[i]) }
        return r
        #endif
    }

    /// Eight Float16 bit patterns → Float32, exactly (subnormals, ±Inf and
    /// NaN carry over), `vcvtph2ps`.
    @inline(__always)
    static func floats(halves: SIMD8<UInt16>) -> Floats {
        #if arch(x86_64)
        return _mm256_cvtph_ps(unsafeBitCast(halves, to: __m128i.self))
        #else
        var r = Floats()
        for i in 0..<8 { r[i] = Float(Float16(bitPattern: halves[i])) }
        return r
        #endif
    }

    /// The 32 unsigned four-bit codes of 16 low-first bytes as Float32: the
    /// low nibbles (even elements), then the high nibbles (odd elements).
    ///
    /// On x86 each 8-byte half is widened once, straight from memory
    /// (`vpmovzxbd`), and split in 32-bit lanes; written with SIMD types,
    /// LLVM narrows the split to bytes and widens twice as often.
    @inline(__always)
    static func nibbleFloats(_ p: UnsafeRawPointer) -> (low: SIMD16<Float>, high: SIMD16<Float>) {
        #if arch(x86_64)
        let w0 = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(p.loadUnaligned(as: Int64.self)))
        let w1 = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(p.loadUnaligned(fromByteOffset: 8, as: Int64.self)))
        let mask = _mm256_set1_epi32(15)
        let low = SIMD16(lowHalf: _mm256_cvtepi32_ps(_mm256_and_si256(w0, mask)), highHalf: _mm256_cvtepi32_ps(_mm256_and_si256(w1, mask)))
        let high = SIMD16(lowHalf: _mm256_cvtepi32_ps(_mm256_srli_epi32(w0, 4)), highHalf: _mm256_cvtepi32_ps(_mm256_srli_epi32(w1, 4)))
        return (low, high)
        #else
        let b = p.loadUnaligned(as: SIMD16<UInt8>.self)
        var low = SIMD16<Float>(), high = SIMD16<Float>()
        for i in 0..<16 {
            low[i] = Float(b[i] & 0x0F)
            high[i] = Float(b[i] >> 4)
        }
        return (low, high)
        #endif
    }

    /// The sum of the lanes (exact for Int32 unless it wraps, which the
    /// kernels' bounds exclude).
    @inline(__always)
    static func sum(_ v: Words) -> Int32 {
        let a = v.lowHalf &+ v.highHalf
        let b = a.lowHalf &+ a.highHalf
        return b[0] &+ b[1]
    }

    /// Sixteen bytes, then sixteen more, as one 32-byte vector.
    @inline(__always)
    static func joined(_ low: SIMD16<UInt8>, _ high: SIMD16<UInt8>) -> UnsignedBytes {
        UnsignedBytes(lowHalf: low, highHalf: high)
    }

    // MARK: Loads

    @inline(__always)
    static func bytes(_ p: UnsafeRawPointer) -> Bytes { p.loadUnaligned(as: Bytes.self) }

    @inline(__always)
    static func unsignedBytes(_ p: UnsafeRawPointer) -> UnsignedBytes { p.loadUnaligned(as: UnsignedBytes.self) }

    @inline(__always)
    static func floats(_ p: UnsafePointer<Float>) -> Floats { UnsafeRawPointer(p).loadUnaligned(as: Floats.self) }

    #if arch(x86_64)
    @inline(__always)
    private static func m<V: SIMD>(_ v: V) -> __m256i { unsafeBitCast(v, to: __m256i.self) }
    #endif
}

#if arch(x86_64)
private extension SIMD8 where Scalar == Int32 {
    @inline(__always) init(_ v: __m256i) { self = unsafeBitCast(v, to: SIMD8<Int32>.self) }
}

private extension SIMD16 where Scalar == Int16 {
    @inline(__always) init(_ v: __m256i) { self = unsafeBitCast(v, to: SIMD16<Int16>.self) }
}

private extension SIMD32 where Scalar == UInt8 {
    @inline(__always) init(_ v: __m256i) { self = unsafeBitCast(v, to: SIMD32<UInt8>.self) }
}
#endif
