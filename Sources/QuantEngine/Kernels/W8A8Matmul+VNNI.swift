internal import QuantKernelsVNNI

/// The W8A8 drivers around the AVX-512 VNNI inner loops of
/// `VNNIInt8Dots`: the same split over the cores as the AVX2 path, the
/// same epilogues.
///
/// `vpdpbusd` takes unsigned × signed bytes, so the activation codes go in
/// moved up by 128 and every dot comes back as Σ (q_x + 128)·q_w; the
/// weights' row sums take the 128 out again, exactly (Int32, wrapping):
///
/// ```
///  Σ_k q_w·q_x = Σ_k q_w·(q_x + 128) − 128·rowSum[n]
/// ```
/// after which the epilogue subtracts Z_x·rowSum[n] as on the AVX2 path.
extension W8A8Matmul {
    /// Only on x86-64 with `AVX512VNNISupport.isAvailable` (the caller checks).
    static func runVNNI<E: Int8Epilogue>(_ a: UnsafePointer<Int8>, _ w: UnsafePointer<Int8>, rowSums: UnsafePointer<Int32>,
                                         m: Int, n: Int, stride: Int, _ epilogue: E) {
        #if arch(x86_64)
        if m == 1 {
            gemvVNNI(a, w, rowSums: rowSums, n: n, stride: stride, epilogue)
        } else {
            gemmVNNI(a, w, rowSums: rowSums, m: m, n: n, stride: stride, epilogue)
        }
        #else
        preconditionFailure("W8A8Matmul: no VNNI path off x86-64")
        #endif
    }

    #if arch(x86_64)
    /// Four rows at a time (`RowQuads`), 64 bytes of each per step.
    private static func gemvVNNI<E: Int8Epilogue>(_ a: UnsafePointer<Int8>, _ w: UnsafePointer<Int8>, rowSums: UnsafePointer<Int32>,
                                                  n: Int, stride: Int, _ epilogue: E) {
        let io = UnsafeSendable((a, w, rowSums, epilogue))
        Parallel.forEach(count: n, minimumChunk: max(4, (1 << 18) / max(1, stride))) { range in
            let (a, w, rowSums, epilogue) = io.value
            let dots = UnsafeMutablePointer<Int32>.allocate(capacity: 4)
            defer { dots.deallocate() }
            RowQuads.forEach(range) { rows in
                VNNIInt8Dots.biasedDots(token: a, w + rows[0] * stride, w + rows[1] * stride, w + rows[2] * stride, w + rows[3] * stride,
                                        bytes: stride, into: dots)
                for r in (0..<4).reversed() { epilogue.store(dots[r] &- 128 &* rowSums[rows[r]], row: 0, column: rows[r]) }
            }
        }
    }

    /// Panels of `VNNIInt8Dots.panelRows` weight rows split over the
    /// cores; each panel against every token, the tokens moved up by 128
    /// once beforehand.
    private static func gemmVNNI<E: Int8Epilogue>(_ a: UnsafePointer<Int8>, _ w: UnsafePointer<Int8>, rowSums: UnsafePointer<Int32>,
                                                  m: Int, n: Int, stride: Int, _ epilogue: E) {
        let biased = UnsafeMutableRawPointer.allocate(byteCount: m * stride, alignment: 64)
        defer { biased.deallocate() }
        VNNIInt8Dots.bias(a, count: m * stride, into: biased)
        let rowsPerPanel = VNNIInt8Dots.panelRows
        let panels = (n + rowsPerPanel - 1) / rowsPerPanel
        let io = UnsafeSendable((UnsafeRawPointer(biased), w, rowSums, epilogue))
        Parallel.forEach(count: panels, minimumChunk: max(1, 1024 / max(1, m * stride / 256))) { range in
            let (u, w, rowSums, epilogue) = io.value
            let dots = UnsafeMutablePointer<Int32>.allocate(capacity: m * rowsPerPanel)
            defer { dots.deallocate() }
            for p in range {
                let n0 = p * rowsPerPanel, valid = min(rowsPerPanel, n - n0)
                VNNIInt8Dots.panel(tokens: u, count: m, stride: stride, rows: w + n0 * stride, rowCount: valid, rowStride: stride,
                                   bytes: stride, into: dots)
                for t in 0..<m {
                    for j in 0..<valid {
                        epilogue.store(dots[t * rowsPerPanel + j] &- 128 &* rowSums[n0 + j], row: t, column: n0 + j)
                    }
                }
            }
        }
    }
    #endif
}
