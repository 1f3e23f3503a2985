/// C −= A·Bᵀ on sub-blocks of row-major matrices, with the float32 GEMM
/// kernel (`FloatPanelGEMM`, both cores): the rank-k updates of GPTQ's
/// blocked Cholesky, triangular inverse and lazy weight updates.
enum MethodGEMM {
    /// C[m×n] −= A[m×k]·B[n×k]ᵀ; rows of A, B and C are `lda`, `ldb`, `ldc` floats apart.
    /// Summation as `FloatPanelGEMM` (Float32, FMA, fixed order): deterministic
    /// whatever the number of cores.
    /// `scratch`, when given, holds at least m·n floats and is used for the
    /// product (callers that run many updates allocate it once: a fresh 64 MB
    /// buffer per call costs its page faults every time).
    static func subtractProduct(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                                m: Int, n: Int, k: Int, from c: UnsafeMutablePointer<Float>, ldc: Int,
                                scratch: UnsafeMutablePointer<Float>? = nil) {
        guard m > 0, n > 0, k > 0 else { return }
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: m * k)
        let product = scratch ?? UnsafeMutablePointer<Float>.allocate(capacity: m * n)
        defer {
            packed.deallocate()
            if scratch == nil { product.deallocate() }
        }
        for r in 0..<m { (packed + r * k).update(from: a + r * lda, count: k) }
        FloatPanelGEMM.run(packed, m: m, k: k, panels: StridedRowPanels(base: b, rows: n, columns: k, stride: ldb),
                           rowScale: nil, columnScale: nil, into: product)
        let io = UnsafeSendable((product, c))
        Parallel.forEach(count: m, minimumChunk: max(1, 16_384 / n)) { range in
            let (product, c) = io.value
            for r in range {
                let src = product + r * n, dst = c + r * ldc
                var j = 0
                while j + 8 <= n {
                    let v = UnsafeRawPointer(dst + j).loadUnaligned(as: SIMD8<Float>.self)
                        - UnsafeRawPointer(src + j).loadUnaligned(as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(dst + j).storeBytes(of: v, as: SIMD8<Float>.self)
                    j += 8
                }
                while j < n { dst[j] -= src[j]; j += 1 }
            }
        }
    }
}
