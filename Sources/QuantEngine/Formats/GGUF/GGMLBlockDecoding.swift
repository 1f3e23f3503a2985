/// Decodes GGML block types to Float32, bit-exact with `gguf.quants.dequantize`
/// (gguf-py 0.19) and ggml's `dequantize_row_*`.
///
/// Supported: Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 (`LegacyBlockDecoder`), Q2_K…Q6_K
/// and Q8_K (`KQuantBlockDecoder`), IQ4_NL, IQ4_XS and MXFP4
/// (`NonLinearBlockDecoder`). Each is a SIMD loop over whole blocks; large
/// tensors are split over the cores by block.
public enum GGMLBlockDecoding {
    /// Decodes `blocks` consecutive blocks from `src` into `dst`, one thread.
    typealias Kernel = (_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) -> Void

    /// Whether this build decodes `type`'s blocks.
    public static func supports(_ type: GGMLType) -> Bool { kernel(for: type) != nil }

    /// Decodes `count` values (a multiple of `type.blockSize`) from `raw`, which
    /// holds exactly `count / type.blockSize` blocks (checked by the caller).
    static func decode(_ type: GGMLType, _ raw: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutableBufferPointer<Float>) {
        guard let kernel = kernel(for: type) else { preconditionFailure("no block decoder for \(type)") }
        let blocks = count / type.blockSize
        precondition(count % type.blockSize == 0 && raw.count >= blocks * type.typeSize && out.count >= count)
        guard blocks > 0, let src = raw.baseAddress, let dst = out.baseAddress else { return }
        let io = UnsafeSendable((src, dst))
        let (typeSize, blockSize) = (type.typeSize, type.blockSize)
        Parallel.forEach(count: blocks, minimumChunk: max(1, (1 << 18) / blockSize)) { range in
            let (src, dst) = io.value
            kernel(src + range.lowerBound * typeSize, dst + range.lowerBound * blockSize, range.count)
        }
    }

    /// The single-threaded decoder of `type`, or nil.
    static func kernel(for type: GGMLType) -> Kernel? {
        switch type.id {
        case GGMLType.q4_0.id: return LegacyBlockDecoder.q4_0
        case GGMLType.q4_1.id: return LegacyBlockDecoder.q4_1
        case GGMLType.q5_0.id: return LegacyBlockDecoder.q5_0
        case GGMLType.q5_1.id: return LegacyBlockDecoder.q5_1
        case GGMLType.q8_0.id: return LegacyBlockDecoder.q8_0
        case GGMLType.q2_K.id: return KQuantBlockDecoder.q2_K
        case GGMLType.q3_K.id: return KQuantBlockDecoder.q3_K
        case GGMLType.q4_K.id: return KQuantBlockDecoder.q4_K
        case GGMLType.q5_K.id: return KQuantBlockDecoder.q5_K
        case GGMLType.q6_K.id: return KQuantBlockDecoder.q6_K
        case GGMLType.q8_K.id: return KQuantBlockDecoder.q8_K
        case GGMLType.iq4_nl.id: return NonLinearBlockDecoder.iq4_nl
        case GGMLType.iq4_xs.id: return NonLinearBlockDecoder.iq4_xs
        case GGMLType.mxfp4.id: return NonLinearBlockDecoder.mxfp4
        default: return nil
        }
    }
}
