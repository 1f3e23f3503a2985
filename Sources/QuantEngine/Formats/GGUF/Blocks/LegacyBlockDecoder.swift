/// SIMD decoders for ggml's original 32-value block types, bit-exact with
/// `gguf.quants.dequantize` (gguf-py 0.19) and ggml's `dequantize_row_*`.
///
/// ```
///  q4_0  d:f16 | qs[16]                x̂ = d·(q − 8)     q 0…15
///  q4_1  d:f16 m:f16 | qs[16]          x̂ = (d·q) + m
///  q5_0  d:f16 qh:u32 | qs[16]         x̂ = d·(q − 16)    q 0…31
///  q5_1  d:f16 m:f16 qh:u32 | qs[16]   x̂ = (d·q) + m
///  q8_0  d:f16 | qs:int8[32]           x̂ = q·d
///  value j < 16: low nibble of qs[j]; value j ≥ 16: high nibble of qs[j − 16];
///  q5: bit 4 of value j is bit j of qh (little-endian u32).
/// ```
/// Each value is one Float32 multiply (and one add for q4_1/q5_1), never
/// fused, exactly as numpy evaluates it; the integer codes are exact floats.
/// Non-finite or subnormal scales pass through the arithmetic unchanged.
enum LegacyBlockDecoder {
    private typealias L = BlockLanes

    /// Decodes `blocks` Q4_0 blocks from `src` into `dst` (32 values each).
    static func q4_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.Floats(repeating: L.half(s, 0))
            let q = L.words(s, 2)
            L.store(d * L.floats(q & 0x0F, minus: 8), o, 0)
            L.store(d * L.floats(q &>> 4, minus: 8), o, 16)
            s += 18; o += 32
        }
    }

    /// Decodes `blocks` Q4_1 blocks from `src` into `dst`.
    static func q4_1(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.Floats(repeating: L.half(s, 0)), m = L.half(s, 2)
            let q = L.words(s, 4)
            L.store(affine(d, L.floats(q & 0x0F, minus: 0), m), o, 0)
            L.store(affine(d, L.floats(q &>> 4, minus: 0), m), o, 16)
            s += 20; o += 32
        }
    }

    /// Decodes `blocks` Q5_0 blocks from `src` into `dst`.
    static func q5_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.Floats(repeating: L.half(s, 0))
            let (low, high) = codes5(s, 2)
            L.store(d * L.floats(low, minus: 16), o, 0)
            L.store(d * L.floats(high, minus: 16), o, 16)
            s += 22; o += 32
        }
    }

    /// Decodes `blocks` Q5_1 blocks from `src` into `dst`.
    static func q5_1(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.Floats(repeating: L.half(s, 0)), m = L.half(s, 2)
            let (low, high) = codes5(s, 4)
            L.store(affine(d, L.floats(low, minus: 0), m), o, 0)
            L.store(affine(d, L.floats(high, minus: 0), m), o, 16)
            s += 24; o += 32
        }
    }

    /// Decodes `blocks` Q8_0 blocks from `src` into `dst`.
    static func q8_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.Floats(repeating: L.half(s, 0))
            // Flipping the sign bit maps int8 q to the unsigned q + 128.
            L.store(L.floats(L.words(s, 2) ^ 0x80, minus: 128) * d, o, 0)
            L.store(L.floats(L.words(s, 18) ^ 0x80, minus: 128) * d, o, 16)
            s += 34; o += 32
        }
    }

    /// (d·q) + m, as numpy adds: when both terms are NaN the result is the
    /// product's NaN (the add's first operand on x86). LLVM may commute the
    /// add, so a NaN m — rare: a corrupt block — takes an explicit select.
    @inline(__always)
    private static func affine(_ d: L.Floats, _ q: L.Floats, _ m: Float) -> L.Floats {
        let p = d * q, sum = p + L.Floats(repeating: m)
        return m.isNaN ? sum.replacing(with: p, where: p .!= p) : sum
    }

    /// The 5-bit codes of a Q5 block whose `qh` word starts at `offset`
    /// (the nibbles follow it): values 0…15 and 16…31.
    @inline(__always)
    private static func codes5(_ s: UnsafeRawPointer, _ offset: Int) -> (L.Words, L.Words) {
        let qh = UInt32(littleEndian: s.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        let q = L.words(s, offset + 4)
        let lowBits = ((L.Words(repeating: qh) &>> L.laneIndex) & 1) &<< 4
        let highBits = ((L.Words(repeating: qh &>> 16) &>> L.laneIndex) & 1) &<< 4
        return ((q & 0x0F) | lowBits, (q &>> 4) | highBits)
    }
}
