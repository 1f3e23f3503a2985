/// The SIMD pieces every GGML block decoder is built from: loads of a
/// block's bytes, exact integer → Float32 conversion, a sixteen-entry byte
/// table lookup, and stores of sixteen decoded values at a time.
///
/// Every conversion here is exact (small integers, Float16 widening), so the
/// only rounding a decoder does is in its own multiplies and subtractions,
/// which each decoder performs in the same order as `gguf.quants.dequantize`.
///
/// Written so that, compiled for Haswell, the loops around them become plain
/// AVX2 (`vpmovzxbd`, `vpsrlvd`, `vmulps`, unaligned stores) with no calls:
/// the byte widening is a lane loop rather than the stdlib's
/// `init(truncatingIfNeeded:)`, which stays an out-of-line call.
enum BlockLanes {
    typealias Floats = SIMD16<Float>
    typealias Words = SIMD16<UInt32>
    typealias Bytes = SIMD16<UInt8>

    /// Lane numbers 0…15, for shifting one bit per lane out of a bit mask.
    static let laneIndex = Words(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

    /// The little-endian Float16 at `offset`, widened to Float32 (`vcvtph2ps`;
    /// NaN payloads, infinities and subnormals carry over exactly).
    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))))
    }

    /// The byte at `offset`.
    @inline(__always)
    static func byte(_ p: UnsafeRawPointer, _ offset: Int) -> UInt8 {
        p.load(fromByteOffset: offset, as: UInt8.self)
    }

    /// Sixteen bytes at `offset`, widened to 32-bit lanes.
    @inline(__always)
    static func words(_ p: UnsafeRawPointer, _ offset: Int) -> Words {
        let b = p.loadUnaligned(fromByteOffset: offset, as: Bytes.self)
        var w = Words()
        for i in 0..<16 { w[i] = UInt32(b[i]) }
        return w
    }

    /// `q − bias` as Float32, exactly, for q < 2^23 and a small integer
    /// `bias`: q's bits under the exponent of 2^23 make the float 2^23 + q.
    @inline(__always)
    static func floats(_ q: Words, minus bias: Float) -> Floats {
        Floats(bitPattern: q | 0x4B00_0000) - Floats(repeating: 8_388_608 + bias)
    }

    /// Stores sixteen values at `dst + offset` (no alignment needed).
    @inline(__always)
    static func store(_ v: Floats, _ dst: UnsafeMutablePointer<Float>, _ offset: Int) {
        UnsafeMutableRawPointer(dst + offset).storeBytes(of: v, as: Floats.self)
    }

    /// A table of sixteen signed bytes (a codebook such as IQ4_NL's
    /// `kvalues`), held in four 32-bit words so a lookup is a select and a
    /// variable shift per lane instead of a memory access.
    struct ByteTable: Sendable {
        /// Entries 4k…4k+3, each plus 128, in word k (entry 4k lowest).
        let w0, w1, w2, w3: UInt32

        init(_ entries: [Int8]) {
            precondition(entries.count == 16)
            func word(_ k: Int) -> UInt32 {
                (0..<4).reduce(0) { $0 | UInt32(UInt8(Int(entries[4 * k + $1]) + 128)) << (8 * $1) }
            }
            (w0, w1, w2, w3) = (word(0), word(1), word(2), word(3))
        }

        /// `table[q]` as Float32, exactly, for codes q in 0…15.
        @inline(__always)
        func floats(_ q: Words) -> Floats {
            // All-ones where bit 2 (bit 3) of q is set: picks the word by q >> 2.
            let bit2 = Words(repeating: 0) &- ((q &>> 2) & 1)
            let bit3 = Words(repeating: 0) &- (q &>> 3)
            let low = Words(repeating: w0) ^ (Words(repeating: w0 ^ w1) & bit2)
            let high = Words(repeating: w2) ^ (Words(repeating: w2 ^ w3) & bit2)
            let word = low ^ ((low ^ high) & bit3)
            let biased = (word &>> ((q & 3) &<< 3)) & 0xFF
            return BlockLanes.floats(biased, minus: 128)
        }
    }
}
