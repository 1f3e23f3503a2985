internal import QuantKernelsVNNI

/// The W4A8 drivers around the AVX-512 VNNI inner loops of
/// `VNNIInt4Dots`: the same activations (`prepared`), the same split over
/// the cores and panels as the AVX2 path, and the same Float32 lanes, which
/// are summed and scaled here exactly as there.
extension W4A8Matmul {
    /// Only on x86-64 with `AVX512VNNISupport.isAvailable` (the caller checks).
    static func runVNNI(_ act: PreparedActivations, _ w: Weights, _ layout: Layout, m: Int, sx: UnsafePointer<Float>,
                        into y: UnsafeMutablePointer<Float>, collect: UnsafeMutablePointer<Int32>?) {
        #if arch(x86_64)
        if m == 1 {
            gemvVNNI(act, w, layout, sx: sx[0], into: y, collect: collect)
        } else {
            gemmVNNI(act, w, layout, m: m, sx: sx, into: y, collect: collect)
        }
        #else
        preconditionFailure("W4A8Matmul: no VNNI path off x86-64")
        #endif
    }

    #if arch(x86_64)
    /// Four rows at a time (`RowQuads`) straight from the packed bytes.
    private static func gemvVNNI(_ act: PreparedActivations, _ w: Weights, _ layout: Layout, sx: Float, into y: UnsafeMutablePointer<Float>,
                                 collect: UnsafeMutablePointer<Int32>?) {
        let io = UnsafeSendable((act, w, y, collect))
        let groups = layout.groups
        Parallel.forEach(count: w.rows, minimumChunk: max(2, (1 << 17) / max(1, layout.width))) { range in
            let (act, w, y, collect) = io.value
            let lanes = UnsafeMutablePointer<KernelLanes.Floats>.allocate(capacity: 4)
            let found = collect == nil ? nil : UnsafeMutablePointer<Int32>.allocate(capacity: 4 * groups)
            defer { lanes.deallocate(); found?.deallocate() }
            RowQuads.forEach(range) { rows in
                VNNIInt4Dots.rowQuadLanes(token: act.codes, groupSums: act.sums,
                                          rows: w.packed + rows[0] * w.rowBytes, w.packed + rows[1] * w.rowBytes,
                                          w.packed + rows[2] * w.rowBytes, w.packed + rows[3] * w.rowBytes,
                                          scales: (w.scales + rows[0] * groups, w.scales + rows[1] * groups,
                                                   w.scales + rows[2] * groups, w.scales + rows[3] * groups),
                                          zeroPoints: (w.zeroPoints + rows[0] * groups, w.zeroPoints + rows[1] * groups,
                                                       w.zeroPoints + rows[2] * groups, w.zeroPoints + rows[3] * groups),
                                          groups: groups, groupSize: layout.groupSize,
                                          into: UnsafeMutableRawPointer(lanes).assumingMemoryBound(to: Float.self), collect: found)
                let s = SIMD4(lanes[0].treeSum(), lanes[1].treeSum(), lanes[2].treeSum(), lanes[3].treeSum()) * sx
                for r in (0..<4).reversed() { y[rows[r]] = s[r] }
                if let collect, let found {
                    for r in 0..<4 { (collect + rows[r] * groups).update(from: found + r * groups, count: groups) }
                }
            }
        }
    }

    /// Panels of four rows unpacked to one code per byte (`[step][row][32]`)
    /// against every token, two at a time.
    private static func gemmVNNI(_ act: PreparedActivations, _ w: Weights, _ layout: Layout, m: Int, sx: UnsafePointer<Float>,
                                 into y: UnsafeMutablePointer<Float>, collect: UnsafeMutablePointer<Int32>?) {
        let width = layout.width, groups = layout.groups
        let io = UnsafeSendable((act, w, sx, y, collect))
        let panels = (w.rows + 3) / 4
        Parallel.forEach(count: panels, minimumChunk: max(1, 2048 / max(1, m * width / 256))) { range in
            let (act, w, sx, y, collect) = io.value
            let panel = UnsafeMutableRawPointer.allocate(byteCount: 4 * width, alignment: 64)
            let lanes = UnsafeMutablePointer<KernelLanes.Floats>.allocate(capacity: 4 * m)
            defer { panel.deallocate(); lanes.deallocate() }
            for p in range {
                let n0 = 4 * p, valid = min(4, w.rows - n0)
                for c in 0..<(width / 32) {
                    for r in 0..<4 {
                        let v = r < valid ? nibbles(w.packed + (n0 + r) * w.rowBytes + 16 * c) : KernelLanes.UnsignedBytes()
                        (panel + (c * 4 + r) * 32).storeBytes(of: v, as: KernelLanes.UnsignedBytes.self)
                    }
                }
                VNNIInt4Dots.panelLanes(tokens: act.codes, count: m, width: width, unitSums: act.pairSums, panel: panel, valid: valid,
                                        scales: w.scales + n0 * groups, zeroPoints: w.zeroPoints + n0 * groups,
                                        groups: groups, groupSize: layout.groupSize,
                                        into: UnsafeMutableRawPointer(lanes).assumingMemoryBound(to: Float.self),
                                        collect: collect.map { $0 + n0 * groups }, tokenStride: w.rows * groups)
                for t in 0..<m {
                    let l = lanes + 4 * t
                    let s = SIMD4(l[0].treeSum(), l[1].treeSum(), l[2].treeSum(), l[3].treeSum()) * sx[t]
                    for r in 0..<valid { y[t * w.rows + n0 + r] = s[r] }
                }
            }
        }
    }
    #endif
}
