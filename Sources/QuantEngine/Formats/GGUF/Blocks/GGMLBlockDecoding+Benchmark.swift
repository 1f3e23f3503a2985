extension GGMLBlockDecoding {
    /// Times decoding `blocks` seeded random blocks of `type` into a buffer
    /// that is already paged in, and returns the median milliseconds per decode.
    ///
    /// The blocks are random bytes whose scale fields are finite, moderate
    /// Float16 values (Float32 for Q8_K, exponents 100…149 for MXFP4), as
    /// `tools/gguf_decode_speed.py` makes them for `gguf.quants.dequantize`,
    /// so neither side is timed on NaN or subnormal arithmetic. Million values
    /// per second = `blocks · type.blockSize / ms / 1000`.
    /// - Parameters:
    ///   - type: a type `supports(_:)` accepts (anything else is a programmer error).
    ///   - blocks: blocks per decode; 65,536 Q4_K blocks are 16M values (64 MiB out).
    ///   - repeats: timed decodes after one warm-up.
    ///   - parallel: split the blocks over the cores as `decode` does, instead of one thread.
    /// - Returns: the median milliseconds of one decode.
    public static func benchmark(type: GGMLType, blocks: Int, repeats: Int, parallel: Bool = false) -> Double {
        guard let kernel = kernel(for: type) else { preconditionFailure("no block decoder for \(type)") }
        let count = max(1, blocks) * type.blockSize
        let raw = randomBlocks(type, blocks: max(1, blocks), seed: 42)
        let out = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
        out.initialize(repeating: 0)
        defer { out.deallocate() }
        return raw.withUnsafeBytes { raw in
            EngineBenchmark.median(repeats) {
                let start = EngineBenchmark.now()
                if parallel {
                    decode(type, raw, count: count, into: out)
                } else if let src = raw.baseAddress, let dst = out.baseAddress {
                    kernel(src, dst, count / type.blockSize)
                }
                return EngineBenchmark.now() - start
            }
        }
    }

    /// `blocks` random blocks of `type` with finite scale fields.
    static func randomBlocks(_ type: GGMLType, blocks: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var bytes = [UInt8](repeating: 0, count: blocks * type.typeSize)
        var i = 0
        while i < bytes.count {
            var word = rng.next()
            for _ in 0..<8 where i < bytes.count {
                bytes[i] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                i += 1
            }
        }
        // A finite Float16 of magnitude 2^-10…2: random sign, exponent 5…15, mantissa.
        func scale() -> UInt16 {
            let r = rng.next()
            return UInt16(r & 0x8000) | UInt16(5 + (r >> 16) % 11) << 10 | UInt16((r >> 32) & 0x3FF)
        }
        let offsets = halfScaleOffsets(type)
        for b in 0..<blocks {
            let base = b * type.typeSize
            switch type.id {
            case GGMLType.q8_K.id:
                let d = Float(Float16(bitPattern: scale())).bitPattern
                for k in 0..<4 { bytes[base + k] = UInt8(truncatingIfNeeded: d >> (8 * k)) }
            case GGMLType.mxfp4.id:
                bytes[base] = UInt8(100 + rng.next() % 50)
            default:
                for offset in offsets {
                    let h = scale()
                    bytes[base + offset] = UInt8(truncatingIfNeeded: h)
                    bytes[base + offset + 1] = UInt8(truncatingIfNeeded: h >> 8)
                }
            }
        }
        return bytes
    }

    /// Byte offsets of the Float16 scale fields inside one block of `type`.
    private static func halfScaleOffsets(_ type: GGMLType) -> [Int] {
        switch type.id {
        case GGMLType.q4_1.id, GGMLType.q5_1.id, GGMLType.q4_K.id, GGMLType.q5_K.id: return [0, 2]
        case GGMLType.q2_K.id: return [80, 82]
        case GGMLType.q3_K.id: return [108]
        case GGMLType.q6_K.id: return [208]
        default: return [0]
        }
    }
}
