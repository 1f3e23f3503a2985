/// Decodes GGML block types to Float32 (bit-exact with `gguf.quants.dequantize`).
enum GGMLBlockDecoding {
    static func supports(_ type: GGMLType) -> Bool { legacy(type) != nil }

    static func decode(_ type: GGMLType, _ raw: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutableBufferPointer<Float>) {
        if let block = legacy(type) {
            GGUFBlockDecoder.decode(block, raw, count: count, into: out)
        }
    }

    private static func legacy(_ type: GGMLType) -> GGUFBlockScheme? {
        switch type {
        case .q4_0: return .q4_0
        case .q4_1: return .q4_1
        case .q5_0: return .q5_0
        case .q5_1: return .q5_1
        case .q8_0: return .q8_0
        default: return nil
        }
    }
}
