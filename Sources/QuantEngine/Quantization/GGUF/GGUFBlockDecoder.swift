/// Decodes GGUF blocks of the quantizable legacy types to Float32, exactly as
/// `gguf.quants.dequantize` does (Float32 arithmetic: d·q, d·q + m), through
/// the SIMD decoders behind `GGMLBlockDecoding`.
enum GGUFBlockDecoder {
    /// Decodes `count` values (a multiple of 32) from `raw`.
    static func decode(_ block: GGUFBlockScheme, _ raw: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutableBufferPointer<Float>) {
        GGMLBlockDecoding.decode(ggmlType(block), raw, count: count, into: out)
    }

    /// The little-endian Float16 at `offset`, widened to Float32.
    @inline(__always)
    static func half(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(raw[offset]) | UInt16(raw[offset + 1]) << 8))
    }

    /// The ggml type whose blocks `block` writes.
    static func ggmlType(_ block: GGUFBlockScheme) -> GGMLType {
        switch block {
        case .q4_0: return .q4_0
        case .q4_1: return .q4_1
        case .q5_0: return .q5_0
        case .q5_1: return .q5_1
        case .q8_0: return .q8_0
        }
    }
}
