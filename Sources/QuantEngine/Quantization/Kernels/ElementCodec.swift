/// One scheme's per-element arithmetic, as the segment driver needs it.
///
/// A codec turns a group's range into parameters, and encodes 16 finite
/// values at a time into codes and their dequantized values. The driver
/// (`SegmentQuantizer`) owns everything else — parallelism, tails,
/// non-finite values, metrics — so each scheme is a few lines of SIMD.
protocol ElementCodec: Sendable {
    associatedtype Parameters: Sendable

    /// Parameters for a group whose finite values span [lo, hi]; both
    /// include 0 (lo ≤ 0 ≤ hi), which is what every scheme here wants.
    func parameters(lo: Float, hi: Float) -> Parameters

    /// Encodes 16 finite values. A lane holding 0 must give the value 0, so
    /// zero padding adds nothing to any error sum.
    func encode(_ x: SIMD16<Float>, _ p: Parameters) -> (codes: SIMD16<UInt32>, values: SIMD16<Float>)

    /// Encodes one NaN or ±Inf.
    func encodeNonFinite(_ x: Float, _ p: Parameters) -> (code: UInt32, value: Float)

    /// The scale written out for a group (S, d, absmax, 2^k).
    func scale(_ p: Parameters) -> Float

    /// The zero-point written out for a group (0 where the scheme has none).
    func zeroPoint(_ p: Parameters) -> Int32
}

extension SIMD16 where Scalar == Float {
    /// Rounds to the nearest integer, ties to even, for |x| < 2^22, with the
    /// 1.5·2^23 trick: `rounded()` is not vectorised (see the speed notes).
    /// Also returns the integer in the low bits of the sum's bit pattern.
    @inline(__always)
    func roundedToEvenWithBits() -> (rounded: SIMD16<Float>, bits: SIMD16<UInt32>) {
        let magic = SIMD16<Float>(repeating: 12_582_912)
        let sum = self + magic
        return (sum - magic, SIMD16<UInt32>(bitPattern: sum))
    }

    /// Clamps lane-wise with float compares (vectorised; `clamped(to:)` is not).
    @inline(__always)
    func clamped(_ lower: SIMD16<Float>, _ upper: SIMD16<Float>) -> SIMD16<Float> {
        var r = replacing(with: lower, where: self .< lower)
        r = r.replacing(with: upper, where: r .> upper)
        return r
    }
}
