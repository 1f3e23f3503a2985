/// Activations quantized to int8 one token (row) at a time, as a W8A8 or
/// W4A8 kernel does before it multiplies.
///
/// ```
///  symmetric   S = max|x| / 127                 q = clamp(round(x/S), −127, 127)        Z = 0
///  asymmetric  S = (max − min) / 255 (0 in range) q = clamp(round(x/S + Z), −128, 127)   Z = clamp(−128 − round(min/S))
///  x ≈ S·(q − Z); round = ties to even; S = 1 for an all-zero row
/// ```
/// These are the `int8` and `int8-asym` schemes of `Quantizer` with
/// `channel:0` granularity, bit for bit.
public struct Int8Activations: Sendable {
    /// How a token's range maps onto int8.
    public enum Mode: String, Sendable, CaseIterable {
        case symmetric, asymmetric
    }

    public let mode: Mode
    /// Tokens (M).
    public let rows: Int
    /// Values per token (K).
    public let columns: Int
    /// Bytes per token in `codes`: K rounded up to 32, the tail zero.
    public let rowStride: Int
    /// Row-major codes, `rows × rowStride`.
    public internal(set) var codes: [Int8]
    /// One scale per token.
    public internal(set) var scales: [Float]
    /// One zero-point per token (all 0 when symmetric).
    public internal(set) var zeroPoints: [Int32]

    /// Quantizes M×K row-major values, one token per row.
    public init(quantizing x: UnsafeBufferPointer<Float>, rows: Int, columns: Int, mode: Mode) {
        precondition(rows >= 0 && columns >= 0 && x.count >= rows * columns)
        self.mode = mode
        self.rows = rows
        self.columns = columns
        rowStride = Int8Activations.stride(columns)
        codes = [Int8](repeating: 0, count: rows * rowStride)
        scales = [Float](repeating: 1, count: rows)
        zeroPoints = [Int32](repeating: 0, count: rows)
        guard let xb = x.baseAddress else { return }
        let stride = rowStride, symmetric = mode == .symmetric
        codes.withUnsafeMutableBufferPointer { c in
            scales.withUnsafeMutableBufferPointer { s in
                zeroPoints.withUnsafeMutableBufferPointer { z in
                    let out = UnsafeSendable((c.baseAddress, s.baseAddress, z.baseAddress))
                    Parallel.forEach(count: rows, minimumChunk: max(1, (1 << 15) / max(1, columns))) { range in
                        guard let c = out.value.0, let s = out.value.1, let z = out.value.2 else { return }
                        for r in range {
                            let p = ActivationQuantizer.int8(xb + r * columns, k: columns, symmetric: symmetric,
                                                             into: c + r * stride, stride: stride)
                            s[r] = p.scale
                            z[r] = p.zeroPoint
                        }
                    }
                }
            }
        }
    }

    /// Quantizes an array of M×K values.
    public init(quantizing x: [Float], rows: Int, columns: Int, mode: Mode) {
        self = x.withUnsafeBufferPointer { Int8Activations(quantizing: $0, rows: rows, columns: columns, mode: mode) }
    }

    /// Wraps codes made elsewhere (`codes` is rows × columns, unpadded).
    public init(codes: [Int8], scales: [Float], zeroPoints: [Int32], rows: Int, columns: Int, mode: Mode) {
        precondition(codes.count == rows * columns && scales.count == rows && zeroPoints.count == rows)
        self.mode = mode
        self.rows = rows
        self.columns = columns
        rowStride = Int8Activations.stride(columns)
        var padded = [Int8](repeating: 0, count: rows * rowStride)
        for r in 0..<rows {
            for c in 0..<columns { padded[r * rowStride + c] = codes[r * columns + c] }
        }
        self.codes = padded
        self.scales = scales
        self.zeroPoints = zeroPoints
    }

    /// The code of token `row`, element `column`.
    public func code(row: Int, column: Int) -> Int8 { codes[row * rowStride + column] }

    /// K rounded up to a whole number of 32-byte vectors.
    static func stride(_ columns: Int) -> Int { (columns + 31) / 32 * 32 }
}
