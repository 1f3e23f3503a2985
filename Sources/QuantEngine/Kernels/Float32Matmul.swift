/// Float32 matrix multiply, Y = X·Wᵀ: the baseline every quantized kernel
/// is timed against.
///
/// W is [N out, K in] row-major (a PyTorch `Linear` weight), X is [M tokens,
/// K] row-major, Y is [M, N] row-major.
///
/// - GEMV (M = 1): each worker streams its share of W's rows four at a time
///   (`RowQuads`) against the one activation row (which stays in L1);
///   memory-bound.
/// - GEMM (M > 1): `FloatPanelGEMM`, a 2×6 register tile over K blocks of
///   1024, with W copied into small panels.
///
/// Summation is in Float32 with FMA: sixteen lane sums for GEMV (then a
/// tree), eight per K block for GEMM. Against an exact sum the error is at
/// most about (K/8 + 16)·2⁻²⁴·Σ|x·w| (the tests' bound); numpy's float64
/// product rounded to float32 agrees within it.
public enum Float32Matmul {
    /// Computes Y = X·Wᵀ into `y` (M×N, overwritten).
    /// - Parameters:
    ///   - x: M×K activations, row-major.
    ///   - w: N×K weights, row-major.
    ///   - y: M×N output.
    public static func multiply(_ x: UnsafeBufferPointer<Float>, _ w: UnsafeBufferPointer<Float>,
                                m: Int, n: Int, k: Int, into y: UnsafeMutableBufferPointer<Float>) {
        precondition(m >= 0 && n >= 0 && k >= 0 && x.count >= m * k && w.count >= n * k && y.count >= m * n,
                     "Float32Matmul: buffers too small for \(m)×\(k) · (\(n)×\(k))ᵀ")
        guard m > 0, n > 0, let yb = y.baseAddress else { return }
        guard k > 0, let xb = x.baseAddress, let wb = w.baseAddress else {
            yb.initialize(repeating: 0, count: m * n)
            return
        }
        if m == 1 {
            gemv(xb, wb, n: n, k: k, into: yb)
        } else {
            FloatPanelGEMM.run(xb, m: m, k: k, panels: StridedRowPanels(base: wb, rows: n, columns: k, stride: k),
                               rowScale: nil, columnScale: nil, into: yb)
        }
    }

    /// Y = X·Wᵀ as a new array (M×N).
    public static func multiply(_ x: [Float], _ w: [Float], m: Int, n: Int, k: Int) -> [Float] {
        var y = [Float](repeating: 0, count: m * n)
        x.withUnsafeBufferPointer { xb in
            w.withUnsafeBufferPointer { wb in
                y.withUnsafeMutableBufferPointer { multiply(xb, wb, m: m, n: n, k: k, into: $0) }
            }
        }
        return y
    }

    /// One activation row against every weight row, split over the cores.
    static func gemv(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, n: Int, k: Int, into y: UnsafeMutablePointer<Float>) {
        let io = UnsafeSendable((x, w, y))
        Parallel.forEach(count: n, minimumChunk: max(4, (1 << 16) / max(1, k))) { range in
            let (x, w, y) = io.value
            RowQuads.forEach(range) { rows in
                let s = dot4(x, w + rows[0] * k, w + rows[1] * k, w + rows[2] * k, w + rows[3] * k, k)
                for r in (0..<4).reversed() { y[rows[r]] = s[r] }
            }
        }
    }

    /// Four dot products of x with four rows of w.
    @inline(__always)
    static func dot4(_ x: UnsafePointer<Float>, _ w0: UnsafePointer<Float>, _ w1: UnsafePointer<Float>, _ w2: UnsafePointer<Float>,
                     _ w3: UnsafePointer<Float>, _ k: Int) -> SIMD4<Float> {
        typealias V = SIMD16<Float>
        var a0 = V(), a1 = V(), a2 = V(), a3 = V()
        var i = 0
        while i + 16 <= k {
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            a0.addProduct(xv, UnsafeRawPointer(w0 + i).loadUnaligned(as: V.self))
            a1.addProduct(xv, UnsafeRawPointer(w1 + i).loadUnaligned(as: V.self))
            a2.addProduct(xv, UnsafeRawPointer(w2 + i).loadUnaligned(as: V.self))
            a3.addProduct(xv, UnsafeRawPointer(w3 + i).loadUnaligned(as: V.self))
            i += 16
        }
        var s = SIMD4(a0.treeSum(), a1.treeSum(), a2.treeSum(), a3.treeSum())
        while i < k {
            let xv = x[i]
            s[0] += xv * w0[i]; s[1] += xv * w1[i]; s[2] += xv * w2[i]; s[3] += xv * w3[i]
            i += 1
        }
        return s
    }
}
