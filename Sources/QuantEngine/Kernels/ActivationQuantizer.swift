/// The per-token activation quantizers the kernels run before they multiply:
/// int8 (symmetric or asymmetric, one scale per token), Q8_0 (one Float16
/// scale per 32 values) and FP8 E4M3 (one scale per token).
///
/// Each works on one row at a time in SIMD16 and uses the same arithmetic as
/// the tensor quantizers, so a token's codes here equal what `Quantizer`
/// gives for that row:
/// - int8: `AffineCodec` (S = max|x|/127, or S = (max − min)/255 and
///   Z = clamp(−128 − round(min/S)); q = clamp(round(x/S + Z)), ties to even);
/// - Q8_0: `GGUFBlockQuantizer` / llama.cpp's `quantize_row_q8_0_ref`
///   (d = amax/127, q = round-half-away(x·(1/d)), d stored as Float16);
/// - E4M3: `FloatCodec` (S = amax/448, saturating, ties to even).
///
/// Non-finite activations: int8 and E4M3 encode them as the tensor
/// quantizers do (NaN → Z or NaN code, ±Inf saturate) and leave them out of
/// the range; Q8_0 treats them as 0, as `GGUFBlockQuantizer` does.
enum ActivationQuantizer {
    static let int8Symmetric = AffineCodec(scheme: IntegerScheme(bits: 8, mode: .symmetric), clip: 1)
    static let int8Asymmetric = AffineCodec(scheme: IntegerScheme(bits: 8, mode: .asymmetric), clip: 1)
    static let e4m3 = FloatCodec(format: .e4m3fn, rule: .amaxOverMaxFinite, clip: 1)

    /// Quantizes `k` values to int8 codes at `codes` (columns `k..<stride` set
    /// to 0); returns the token's scale and zero-point.
    static func int8(_ x: UnsafePointer<Float>, k: Int, symmetric: Bool, into codes: UnsafeMutablePointer<Int8>,
                     stride: Int) -> (scale: Float, zeroPoint: Int32) {
        let codec = symmetric ? int8Symmetric : int8Asymmetric
        let r = SegmentQuantizer<AffineCodec>.range(x, count: k)
        let p = codec.parameters(lo: r.lo, hi: r.hi)
        encode(x, k: k, stride: stride, into: UnsafeMutableRawPointer(codes)) { codec.encode($0, p).codes }
        if r.nonfinite > 0 {
            for i in 0..<k where !x[i].isFinite {
                codes[i] = Int8(truncatingIfNeeded: Int32(bitPattern: codec.encodeNonFinite(x[i], p).code))
            }
        }
        return (p.scale, Int32(p.zeroPoint))
    }

    /// Quantizes `k` values to E4M3 codes at `codes` (columns `k..<stride`
    /// set to 0, the code of +0); returns the scale: `scale` when given (a
    /// per-tensor weight scale), else the row's amax/448.
    static func e4m3(_ x: UnsafePointer<Float>, k: Int, into codes: UnsafeMutablePointer<UInt8>, stride: Int, scale: Float? = nil) -> Float {
        let codec = e4m3
        let r = SegmentQuantizer<FloatCodec>.range(x, count: k)
        let p = scale.map { FloatCodec.Parameters(scale: $0) } ?? codec.parameters(lo: r.lo, hi: r.hi)
        encode(x, k: k, stride: stride, into: UnsafeMutableRawPointer(codes)) { codec.encode($0, p).codes }
        if r.nonfinite > 0 {
            for i in 0..<k where !x[i].isFinite { codes[i] = UInt8(truncatingIfNeeded: codec.encodeNonFinite(x[i], p).code) }
        }
        return p.scale
    }

    /// Runs a SIMD16 encoder over a row, writing the low byte of each code;
    /// the tail is padded with zero inputs, and zero codes fill up to `stride`.
    @inline(__always)
    private static func encode(_ x: UnsafePointer<Float>, k: Int, stride: Int, into out: UnsafeMutableRawPointer,
                               _ body: (FloatVector) -> WordVector) {
        var i = 0
        while i + 16 <= k {
            let c = body(UnsafeRawPointer(x + i).loadUnaligned(as: FloatVector.self))
            out.storeBytes(of: narrowed(c), toByteOffset: i, as: ByteVector.self)
            i += 16
        }
        if i < k {
            var v = FloatVector()
            for lane in 0..<(k - i) { v[lane] = x[i + lane] }
            let c = narrowed(body(v))
            for lane in 0..<(k - i) { out.storeBytes(of: c[lane], toByteOffset: i + lane, as: UInt8.self) }
            i = k
        }
        if stride > k { (out + k).initializeMemory(as: UInt8.self, repeating: 0, count: stride - k) }
    }

    /// The low byte of each lane (a lane loop: the stdlib's truncating
    /// initializer stays an out-of-line call).
    @inline(__always)
    static func narrowed(_ c: WordVector) -> ByteVector {
        var b = ByteVector()
        for lane in 0..<16 { b[lane] = UInt8(truncatingIfNeeded: c[lane]) }
        return b
    }

    // MARK: Q8_0

    /// Quantizes `k` values (a multiple of 32) to Q8_0: codes at `codes`, and
    /// each block's scale — the Float16-rounded d, as Float32 — at `scales`.
    static func q8_0(_ x: UnsafePointer<Float>, k: Int, codes: UnsafeMutablePointer<Int8>, scales: UnsafeMutablePointer<Float>) {
        precondition(k % 32 == 0)
        for b in 0..<(k / 32) {
            let raw = UnsafeRawPointer(x + 32 * b)
            var v0 = raw.loadUnaligned(as: FloatVector.self), v1 = raw.loadUnaligned(fromByteOffset: 64, as: FloatVector.self)
            // Non-finite values count as 0 (x − x is NaN for them).
            v0 = v0.replacing(with: 0, where: .!((v0 - v0) .== FloatVector()))
            v1 = v1.replacing(with: 0, where: .!((v1 - v1) .== FloatVector()))
            let a0 = magnitude(v0), a1 = magnitude(v1)
            let amax = a0.replacing(with: a1, where: a1 .> a0).treeMax()
            let d = amax / 127
            let id: Float = d == 0 ? 0 : 1 / d
            let out = UnsafeMutableRawPointer(codes + 32 * b)
            out.storeBytes(of: roundedAway(v0 * id), as: SIMD16<Int8>.self)
            out.storeBytes(of: roundedAway(v1 * id), toByteOffset: 16, as: SIMD16<Int8>.self)
            scales[b] = Float(Float16(d))
        }
    }

    @inline(__always)
    static func magnitude(_ v: FloatVector) -> FloatVector {
        FloatVector(bitPattern: WordVector(bitPattern: v) & 0x7FFF_FFFF)
    }

    /// Round half away from zero (C's `roundf`, `.toNearestOrAwayFromZero`)
    /// for |v| < 2^22, as Int8 (|v| ≤ 127.5 here): round to even with the
    /// magic constant, then move the ties that went down back up. a − r is
    /// exact, so the tie test is too.
    @inline(__always)
    static func roundedAway(_ v: FloatVector) -> SIMD16<Int8> {
        let bits = WordVector(bitPattern: v)
        let a = FloatVector(bitPattern: bits & 0x7FFF_FFFF)
        let (even, _) = a.roundedToEvenWithBits()
        let r = even.replacing(with: even + 1, where: a - even .== FloatVector(repeating: 0.5))
        let magnitude = WordVector(bitPattern: r + FloatVector(repeating: 8_388_608)) & 0xFF
        let negative = bits &>> 31
        // Two's complement: (m XOR −s) + s negates where s = 1.
        let q = (magnitude ^ (WordVector(repeating: 0) &- negative)) &+ negative
        var out = SIMD16<Int8>()
        for lane in 0..<16 { out[lane] = Int8(truncatingIfNeeded: q[lane]) }
        return out
    }
}
