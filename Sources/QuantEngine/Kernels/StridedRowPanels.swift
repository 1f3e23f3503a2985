/// Rows of a row-major matrix (`stride` floats apart; `stride == columns` for a
/// whole matrix, as `Float32Matmul` uses it) as GEMM weight
/// panels, so the methods' blocked updates multiply sub-blocks of H, its
/// factors and W in place, without copying them out first.
struct StridedRowPanels: FloatWeightPanels {
    let base: UnsafePointer<Float>
    let rows: Int
    let columns: Int
    let stride: Int
    var evenOddWithin32: Bool { false }

    func pack(first: Int, chunks: Int, into panel: UnsafeMutablePointer<Float>) {
        let r6 = FloatPanelGEMM.panelRows
        for c in 0..<chunks {
            for r in 0..<r6 {
                let row = first + r
                let dst = panel + (c * r6 + r) * 8
                let col = 8 * c
                if row < rows && col + 8 <= columns {
                    UnsafeMutableRawPointer(dst).storeBytes(of: KernelLanes.floats(base + row * stride + col), as: SIMD8<Float>.self)
                } else {
                    for lane in 0..<8 { dst[lane] = row < rows && col + lane < columns ? base[row * stride + col + lane] : 0 }
                }
            }
        }
    }
}
