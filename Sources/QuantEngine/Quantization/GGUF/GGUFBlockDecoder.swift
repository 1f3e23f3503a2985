/// Decodes GGUF blocks of the quantizable legacy types to Float32, exactly as
/// `gguf.quants.dequantize` does (Float32 arithmetic: d·q, d·q + m).
enum GGUFBlockDecoder {
    /// Decodes `count` values (a multiple of 32) from `raw`.
    static func decode(_ block: GGUFBlockScheme, _ raw: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutableBufferPointer<Float>) {
        let blocks = count / 32
        let io = UnsafeSendable((raw, out))
        Parallel.forEach(count: blocks, minimumChunk: 1024) { range in
            let (raw, out) = io.value
            for b in range {
                let base = b * block.typeSize, dst = b * 32
                let d = half(raw, at: base)
                switch block {
                case .q4_0:
                    for j in 0..<16 {
                        let byte = raw[base + 2 + j]
                        out[dst + j] = d * Float(Int(byte & 0x0F) - 8)
                        out[dst + j + 16] = d * Float(Int(byte >> 4) - 8)
                    }
                case .q4_1:
                    let m = half(raw, at: base + 2)
                    for j in 0..<16 {
                        let byte = raw[base + 4 + j]
                        out[dst + j] = d * Float(byte & 0x0F) + m
                        out[dst + j + 16] = d * Float(byte >> 4) + m
                    }
                case .q5_0, .q5_1:
                    let hasMin = block == .q5_1
                    let m = hasMin ? half(raw, at: base + 2) : 0
                    let qhOffset = base + (hasMin ? 4 : 2)
                    let qh = UInt32(raw[qhOffset]) | UInt32(raw[qhOffset + 1]) << 8 | UInt32(raw[qhOffset + 2]) << 16 | UInt32(raw[qhOffset + 3]) << 24
                    for j in 0..<16 {
                        let byte = raw[qhOffset + 4 + j]
                        let lo = Int(byte & 0x0F) | Int((qh >> UInt32(j)) & 1) << 4
                        let hi = Int(byte >> 4) | Int((qh >> UInt32(j + 16)) & 1) << 4
                        if hasMin {
                            out[dst + j] = d * Float(lo) + m
                            out[dst + j + 16] = d * Float(hi) + m
                        } else {
                            out[dst + j] = d * Float(lo - 16)
                            out[dst + j + 16] = d * Float(hi - 16)
                        }
                    }
                case .q8_0:
                    for j in 0..<32 {
                        out[dst + j] = Float(Int8(bitPattern: raw[base + 2 + j])) * d
                    }
                }
            }
        }
    }

    /// The little-endian Float16 at `offset`, widened to Float32.
    @inline(__always)
    static func half(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(raw[offset]) | UInt16(raw[offset + 1]) << 8))
    }
}
