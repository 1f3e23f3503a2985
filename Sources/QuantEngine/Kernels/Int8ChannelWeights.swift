/// Int8 weights with one symmetric scale per output channel (row of W), the
/// weight half of W8A8: w ≈ S_w[n]·q, q ∈ [−127, 127], S_w[n] = max|W[n, :]|/127,
/// round half to even (the `int8` scheme with `channel:0`, bit for bit).
///
/// ```
///  codes   [N][rowStride] int8, row-major, K rounded up to 32 with zero codes
///  scales  [N] Float32
///  rowSums [N] Int32 = Σ_k q[n, k]   (the zero-point correction for asymmetric activations)
/// ```
/// Codes are never −128, which the kernels' `vpmaddubsw` sign trick needs.
public struct Int8ChannelWeights: Sendable {
    /// Output channels (N).
    public let rows: Int
    /// Inputs per channel (K).
    public let columns: Int
    /// Bytes per row in `codes` (K rounded up to 32).
    public let rowStride: Int
    public let codes: [Int8]
    public let scales: [Float]
    public let rowSums: [Int32]

    /// Quantizes N×K row-major weights, once, before any multiply.
    public init(quantizing w: UnsafeBufferPointer<Float>, rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0 && w.count >= rows * columns)
        let stride = Int8Activations.stride(columns)
        var codes = [Int8](repeating: 0, count: rows * stride)
        var scales = [Float](repeating: 1, count: rows)
        if let wb = w.baseAddress {
            codes.withUnsafeMutableBufferPointer { c in
                scales.withUnsafeMutableBufferPointer { s in
                    let out = UnsafeSendable((c.baseAddress, s.baseAddress))
                    Parallel.forEach(count: rows, minimumChunk: max(1, (1 << 16) / max(1, columns))) { range in
                        guard let c = out.value.0, let s = out.value.1 else { return }
                        for r in range {
                            s[r] = ActivationQuantizer.int8(wb + r * columns, k: columns, symmetric: true,
                                                            into: c + r * stride, stride: stride).scale
                        }
                    }
                }
            }
        }
        self.init(paddedCodes: codes, scales: scales, rows: rows, columns: columns)
    }

    /// Quantizes an array of N×K weights.
    public init(quantizing w: [Float], rows: Int, columns: Int) {
        self = w.withUnsafeBufferPointer { Int8ChannelWeights(quantizing: $0, rows: rows, columns: columns) }
    }

    /// Wraps codes made elsewhere (`codes` is rows × columns, unpadded, none −128).
    public init(codes: [Int8], scales: [Float], rows: Int, columns: Int) {
        precondition(codes.count == rows * columns && scales.count == rows)
        precondition(!codes.contains(-128), "Int8ChannelWeights: symmetric codes are in [-127, 127]")
        let stride = Int8Activations.stride(columns)
        var padded = [Int8](repeating: 0, count: rows * stride)
        for r in 0..<rows {
            for c in 0..<columns { padded[r * stride + c] = codes[r * columns + c] }
        }
        self.init(paddedCodes: padded, scales: scales, rows: rows, columns: columns)
    }

    private init(paddedCodes: [Int8], scales: [Float], rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        rowStride = Int8Activations.stride(columns)
        codes = paddedCodes
        self.scales = scales
        let stride = rowStride
        rowSums = (0..<rows).map { r in
            var s: Int32 = 0
            for c in 0..<columns { s += Int32(paddedCodes[r * stride + c]) }
            return s
        }
    }

    /// A copy with its own storage (the benchmark cycles through several so
    /// that no multiply finds its weights in cache).
    init(copying other: Int8ChannelWeights) {
        rows = other.rows
        columns = other.columns
        rowStride = other.rowStride
        codes = other.codes.withUnsafeBufferPointer { Array($0) }
        scales = other.scales.withUnsafeBufferPointer { Array($0) }
        rowSums = other.rowSums.withUnsafeBufferPointer { Array($0) }
    }

    /// The code of row `row`, column `column`.
    public func code(row: Int, column: Int) -> Int8 { codes[row * rowStride + column] }

    /// Bytes a multiply reads: codes (padded as stored), scales and row sums.
    public var byteCount: Int { codes.count + 4 * scales.count + 4 * rowSums.count }
}
