/// Bit casts between Float and UInt32 SIMD vectors: the kernels round and
/// take floats apart on their bit patterns.
extension SIMD8 where Scalar == Float {
    @inline(__always)
    init(bitPattern: SIMD8<UInt32>) { self = unsafeBitCast(bitPattern, to: SIMD8<Float>.self) }
}

extension SIMD8 where Scalar == UInt32 {
    @inline(__always)
    init(bitPattern: SIMD8<Float>) { self = unsafeBitCast(bitPattern, to: SIMD8<UInt32>.self) }
}

extension SIMD16 where Scalar == Float {
    @inline(__always)
    init(bitPattern: SIMD16<UInt32>) { self = unsafeBitCast(bitPattern, to: SIMD16<Float>.self) }
}

extension SIMD16 where Scalar == UInt32 {
    @inline(__always)
    init(bitPattern: SIMD16<Float>) { self = unsafeBitCast(bitPattern, to: SIMD16<UInt32>.self) }
}
