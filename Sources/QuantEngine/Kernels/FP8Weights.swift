/// FP8 E4M3 weights (OCP `float8_e4m3fn`: S EEEE MMM, bias 7, no Inf,
/// NaN = S.1111.111, max ±448) with one scale per tensor or per output
/// channel: the weight half of the FP8 W8A8 kernel.
///
/// ```
///  S = amax/448 (over the tensor, or over row n)    code = e4m3(w / S)    w ≈ S·e4m3⁻¹(code)
///  codes [N][rowStride] bytes, K rounded up to 32 with +0 codes;  scales [1] or [N]
/// ```
/// Encoding saturates to ±448 and rounds ties to even (`FloatCodec`, the
/// `fp8-e4m3` scheme bit for bit), so quantized weights never hold a NaN
/// code; codes given from elsewhere may, and are decoded exactly.
public struct FP8Weights: Sendable {
    /// One scale for the tensor or one per output channel.
    public enum ScaleGranularity: String, Sendable, CaseIterable {
        case tensor, channel
    }

    public let granularity: ScaleGranularity
    public let rows: Int
    public let columns: Int
    public let rowStride: Int
    public let codes: [UInt8]
    /// One scale (`.tensor`) or one per row (`.channel`).
    public let scales: [Float]
    /// Whether any code is a NaN (0x7F, 0xFF): the kernels then decode with
    /// the exact NaN-aware path.
    public let hasNaNCodes: Bool

    /// Quantizes N×K row-major weights, once, before any multiply.
    public init(quantizing w: UnsafeBufferPointer<Float>, rows: Int, columns: Int, granularity: ScaleGranularity = .channel) {
        precondition(rows >= 0 && columns >= 0 && w.count >= rows * columns)
        let stride = Int8Activations.stride(columns)
        var codes = [UInt8](repeating: 0, count: rows * stride)
        var scales = [Float](repeating: 1, count: granularity == .tensor ? 1 : rows)
        if let wb = w.baseAddress, rows > 0 {
            var tensorScale: Float? = nil
            if granularity == .tensor {
                let r = SegmentQuantizer<FloatCodec>.range(wb, count: rows * columns)
                tensorScale = ActivationQuantizer.e4m3.parameters(lo: r.lo, hi: r.hi).scale
                scales[0] = tensorScale ?? 1
            }
            codes.withUnsafeMutableBufferPointer { c in
                scales.withUnsafeMutableBufferPointer { s in
                    let out = UnsafeSendable((c.baseAddress, s.baseAddress))
                    Parallel.forEach(count: rows, minimumChunk: max(1, (1 << 16) / max(1, columns))) { range in
                        guard let c = out.value.0, let s = out.value.1 else { return }
                        for r in range {
                            let scale = ActivationQuantizer.e4m3(wb + r * columns, k: columns, into: c + r * stride, stride: stride, scale: tensorScale)
                            if tensorScale == nil { s[r] = scale }
                        }
                    }
                }
            }
        }
        self.init(paddedCodes: codes, scales: scales, rows: rows, columns: columns, granularity: granularity)
    }

    /// Quantizes an array of N×K weights.
    public init(quantizing w: [Float], rows: Int, columns: Int, granularity: ScaleGranularity = .channel) {
        self = w.withUnsafeBufferPointer { FP8Weights(quantizing: $0, rows: rows, columns: columns, granularity: granularity) }
    }

    /// Wraps E4M3 codes made elsewhere (`codes` rows × columns, unpadded).
    public init(codes: [UInt8], scales: [Float], rows: Int, columns: Int, granularity: ScaleGranularity) {
        precondition(codes.count == rows * columns && scales.count == (granularity == .tensor ? 1 : rows))
        let stride = Int8Activations.stride(columns)
        var padded = [UInt8](repeating: 0, count: rows * stride)
        for r in 0..<rows {
            for c in 0..<columns { padded[r * stride + c] = codes[r * columns + c] }
        }
        self.init(paddedCodes: padded, scales: scales, rows: rows, columns: columns, granularity: granularity)
    }

    private init(paddedCodes: [UInt8], scales: [Float], rows: Int, columns: Int, granularity: ScaleGranularity) {
        self.granularity = granularity
        self.rows = rows
        self.columns = columns
        rowStride = Int8Activations.stride(columns)
        codes = paddedCodes
        self.scales = scales
        hasNaNCodes = paddedCodes.contains { $0 & 0x7F == 0x7F }
    }

    /// A copy with its own storage (see `Int8ChannelWeights.init(copying:)`).
    init(copying other: FP8Weights) {
        granularity = other.granularity
        rows = other.rows
        columns = other.columns
        rowStride = other.rowStride
        codes = other.codes.withUnsafeBufferPointer { Array($0) }
        scales = other.scales.withUnsafeBufferPointer { Array($0) }
        hasNaNCodes = other.hasNaNCodes
    }

    /// The scale of row `row`.
    public func scale(row: Int) -> Float { granularity == .tensor ? scales[0] : scales[row] }

    /// The code of row `row`, column `column`.
    public func code(row: Int, column: Int) -> UInt8 { codes[row * rowStride + column] }

    /// Bytes a multiply reads: codes (padded as stored) and scales.
    public var byteCount: Int { codes.count + 4 * scales.count }
}
