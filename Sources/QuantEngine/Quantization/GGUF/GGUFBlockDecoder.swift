/// Decodes GGUF blocks of the quantizable types to Float32, exactly as
/// `gguf.quants.dequantize` does (Float32 arithmetic: d·q, d·q + m), through
/// the SIMD decoders behind `GGMLBlockDecoding`.
enum GGUFBlockDecoder {
    /// Decodes `count` values (a multiple of the block size) from `raw`.
    static func decode(_ block: GGUFBlockScheme, _ raw: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutableBufferPointer<Float>) {
        GGMLBlockDecoding.decode(block.ggmlType, raw, count: count, into: out)
    }

    /// The little-endian Float16 at `offset`, widened to Float32.
    @inline(__always)
    static func half(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(raw[offset]) | UInt16(raw[offset + 1]) << 8))
    }
}
