/// The result of quantizing one tensor: codes, per-group parameters, the
/// dequantized values and how far they are from the originals.
public struct QuantizedTensor: Sendable {
    public let scheme: Scheme
    /// The granularity actually used (the scheme's default when none was given).
    public let granularity: Granularity
    public let shape: [Int]
    /// Fraction of each group's range kept (1 = none clipped).
    public let clip: Float
    /// One code per element, row-major: the low byte of the code (two's
    /// complement for signed schemes; the bit pattern for float formats).
    public var codes: [UInt8]
    /// One scale per group, in group order (S, d, absmax, or 2^k).
    public var scales: [Float]
    /// One zero-point per group (0 for symmetric and float schemes); nil for GGUF blocks.
    public var zeroPoints: [Int32]?
    /// GGUF q4_1 / q5_1: each block's minimum m.
    public var mins: [Float]?
    /// GGUF schemes: the exact block bytes llama.cpp writes.
    public var blockBytes: [UInt8]?
    /// x̂ for every element, row-major; empty when the quantizer was asked
    /// not to keep it. `dequantize(_:into:)` and `dequantizedValue(at:)`
    /// answer either way, bit for bit the same.
    public var dequantized: [Float]
    public let metrics: ErrorMetrics
    /// Σ(x − x̂)² per group.
    public var groupSquaredError: [Double]
    /// Elements per group that were NaN or ±Inf.
    public var groupNonfinite: [Int]
    /// The layout that maps elements to groups.
    public let layout: GroupLayout

    /// The code of element `index` as a signed integer (or unsigned for U8 codes).
    public func code(at index: Int) -> Int {
        scheme.signedCodes ? Int(Int8(bitPattern: codes[index])) : Int(codes[index])
    }

    /// The group holding element `index`.
    public func group(ofElement index: Int) -> Int { layout.group(ofElement: index) }

    /// √(mean over elements of (error / S)²): the error in units of each
    /// group's scale. For integer schemes S is the grid step, and uniform
    /// rounding gives 1/√12 ≈ 0.289 when nothing clips; for float, NF4 and
    /// MX schemes S is not a step, so the number is relative only. Nil when
    /// the error is not finite (`metrics.isFinite`, docs/contract.md §6).
    public var rmseOverScale: Double? {
        guard metrics.isFinite else { return nil }
        guard metrics.elements - metrics.nonfinite > 0, scales.count == groupSquaredError.count else { return 0 }
        var sum = 0.0
        for g in scales.indices {
            let s = Double(scales[g])
            if s > 0 && s.isFinite { sum += groupSquaredError[g] / (s * s) }
        }
        return (sum / Double(metrics.elements - metrics.nonfinite)).squareRoot()
    }

}
