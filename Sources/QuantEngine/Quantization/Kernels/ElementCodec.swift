/// One scheme's per-element arithmetic, as the segment driver needs it.
///
/// A codec turns a group's range into parameters, and encodes a vector of
/// finite values at a time into codes and their dequantized values. The driver
/// (`SegmentQuantizer`) owns everything else — parallelism, tails,
/// non-finite values, metrics — so each scheme is a few lines of SIMD.
protocol ElementCodec: Sendable {
    associatedtype Parameters: Sendable

    /// Parameters for a group whose finite values span [lo, hi]. The range
    /// includes 0 (lo ≤ 0 ≤ hi), which is what every scheme here wants, except
    /// for a codec with `exactRange`: then it is the exact [min, max] of the
    /// finite values, and lo = +∞, hi = −∞ when there is none.
    func parameters(lo: Float, hi: Float) -> Parameters

    /// Whether `parameters` wants the exact [min, max] (`intB-asym-exact`).
    var exactRange: Bool { get }

    /// Encodes `FloatVector.scalarCount` finite values. A lane holding 0 gives the value 0 except
    /// under `exactRange` (0 may not be on that grid); the driver keeps padding lanes out of
    /// every error sum either way.
    func encode(_ x: FloatVector, _ p: Parameters) -> (codes: WordVector, values: FloatVector)

    /// Encodes one NaN or ±Inf.
    func encodeNonFinite(_ x: Float, _ p: Parameters) -> (code: UInt32, value: Float)

    /// The scale written out for a group (S, d, absmax, 2^k).
    func scale(_ p: Parameters) -> Float

    /// The zero-point written out for a group (0 where the scheme has none).
    func zeroPoint(_ p: Parameters) -> Int32
}

extension ElementCodec {
    var exactRange: Bool { false }
}

/// The SIMD width of every kernel: sixteen Float lanes (two AVX2 registers,
/// one AVX-512 register). Measured on this machine, 16 beat 8 by 5–30 %
/// once the error sums were kept in local vectors (see `SegmentQuantizer`).
typealias FloatVector = SIMD16<Float>
typealias WordVector = SIMD16<UInt32>
typealias ByteVector = SIMD16<UInt8>
typealias MaskStorageVector = SIMD16<Int32>

extension SIMD16 where Scalar == Float {
    /// Rounds to the nearest integer, ties to even, for |x| < 2^22, with the
    /// 1.5·2^23 trick: `rounded()` is not vectorised (see the speed notes).
    /// Also returns the integer in the low bits of the sum's bit pattern.
    @inline(__always)
    func roundedToEvenWithBits() -> (rounded: FloatVector, bits: WordVector) {
        let magic = FloatVector(repeating: 12_582_912)
        let sum = self + magic
        return (sum - magic, WordVector(bitPattern: sum))
    }

    /// Clamps lane-wise with float compares (vectorised; `clamped(to:)` is not).
    @inline(__always)
    func clamped(_ lower: FloatVector, _ upper: FloatVector) -> FloatVector {
        var r = replacing(with: lower, where: self .< lower)
        r = r.replacing(with: upper, where: r .> upper)
        return r
    }
}

extension SIMD8 where Scalar == Float {
    /// The sum of the lanes as a tree of vector adds (the stdlib's `sum()`
    /// adds lane by lane, 7 dependent adds).
    @inline(__always)
    func treeSum() -> Float {
        let a = lowHalf + highHalf
        let b = a.lowHalf + a.highHalf
        return b[0] + b[1]
    }

    @inline(__always)
    func treeMin() -> Float {
        let a = lowHalf.replacing(with: highHalf, where: highHalf .< lowHalf)
        let b = a.lowHalf.replacing(with: a.highHalf, where: a.highHalf .< a.lowHalf)
        return Swift.min(b[0], b[1])
    }

    @inline(__always)
    func treeMax() -> Float {
        let a = lowHalf.replacing(with: highHalf, where: highHalf .> lowHalf)
        let b = a.lowHalf.replacing(with: a.highHalf, where: a.highHalf .> a.lowHalf)
        return Swift.max(b[0], b[1])
    }
}

extension SIMD16 where Scalar == Float {
    @inline(__always) func treeSum() -> Float { (lowHalf + highHalf).treeSum() }
    @inline(__always) func treeMin() -> Float { lowHalf.replacing(with: highHalf, where: highHalf .< lowHalf).treeMin() }
    @inline(__always) func treeMax() -> Float { lowHalf.replacing(with: highHalf, where: highHalf .> lowHalf).treeMax() }
}
