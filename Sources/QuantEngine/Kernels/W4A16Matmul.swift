/// W4A16: group-wise 4-bit weights (`Int4GroupWeights`) times float
/// activations, the codes unpacked in registers, Float32 accumulation.
/// (Real W4A16 kernels take Float16/BFloat16 activations; these take
/// Float32, which only changes the activations' rounding.)
///
/// ```
///  y[m, n] = Σ_g S[n, g]·Σ_{k∈g} (q[n, k] − Z[n, g])·x[m, k]
///  GEMV:   Σ_{k∈g} (q − Z)·x = Σ q·x − Z·Σ_{k∈g} x
/// ```
/// GEMV keeps two 8-lane sums per row and group: each 16-byte load is 32
/// codes, low nibbles (even k) against the even activations and high
/// nibbles (odd k) against the odd ones — the activations are split
/// evens/odds once per token, so no byte ever needs a shuffle — and a group
/// ends with S·Σqx into the row's lanes and S·Z·Σx into a separate sum,
/// subtracted at the end. GEMM dequantizes six rows at a time, S·(q − Z) in
/// the same evens/odds order, into `FloatPanelGEMM` panels.
///
/// Error against the exact sum: at most about (K/8 + 2·K/G + 16)·2⁻²⁴·Σ|S|(q + Z)|x|
/// for GEMV (the Σqx and ZΣx terms are rounded before they cancel) and
/// (K/8 + 16)·2⁻²⁴·Σ|S(q − Z)x| for GEMM; the tests check both.
public enum W4A16Matmul {
    /// Computes Y = X·Wᵀ (X M×K float, W int4) into `y` (M×N).
    public static func multiply(_ x: UnsafeBufferPointer<Float>, m: Int, weights w: Int4GroupWeights,
                                into y: UnsafeMutableBufferPointer<Float>) {
        let k = w.columns, n = w.rows
        precondition(x.count >= m * k && y.count >= m * n)
        guard m > 0, n > 0, let yb = y.baseAddress else { return }
        guard let xb = x.baseAddress, k > 0 else {
            yb.initialize(repeating: 0, count: m * n)
            return
        }
        w.packed.withUnsafeBufferPointer { p in
            w.scales.withUnsafeBufferPointer { s in
                w.zeroPoints.withUnsafeBufferPointer { z in
                    guard let p = p.baseAddress, let s = s.baseAddress, let z = z.baseAddress else { return }
                    let codes = PackedCodes(packed: p, scales: s, zeroPoints: z, rows: n, k: k, groupSize: w.groupSize,
                                            groups: w.groupsPerRow, rowBytes: w.rowBytes)
                    if m == 1 {
                        gemv(xb, codes, into: yb)
                    } else {
                        FloatPanelGEMM.run(xb, m: m, k: k, panels: codes, rowScale: nil, columnScale: nil, into: yb)
                    }
                }
            }
        }
    }

    /// Y = X·Wᵀ as a new M×N array.
    public static func multiply(_ x: [Float], m: Int, weights: Int4GroupWeights) -> [Float] {
        var y = [Float](repeating: 0, count: m * weights.rows)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { multiply(xb, m: m, weights: weights, into: $0) }
        }
        return y
    }

    /// The weights as raw pointers, and as `FloatPanelGEMM` panels.
    struct PackedCodes: FloatWeightPanels {
        let packed: UnsafePointer<UInt8>
        let scales: UnsafePointer<Float>
        let zeroPoints: UnsafePointer<UInt8>
        let rows: Int
        let k: Int
        let groupSize: Int
        let groups: Int
        let rowBytes: Int

        var columns: Int { 2 * rowBytes }
        var evenOddWithin32: Bool { true }

        /// The 32 codes at `p` as Float32: evens (low nibbles) then odds
        /// (high nibbles).
        @inline(__always)
        static func codes(_ p: UnsafePointer<UInt8>) -> (SIMD16<Float>, SIMD16<Float>) {
            KernelLanes.nibbleFloats(p)
        }

        func pack(first: Int, chunks: Int, into panel: UnsafeMutablePointer<Float>) {
            let r6 = FloatPanelGEMM.panelRows
            // Chunk-major, so the six rows stream in together.
            for q in 0..<(chunks / 4) {
                for r in 0..<r6 {
                    let row = first + r
                    var lo = SIMD16<Float>(), hi = SIMD16<Float>()
                    if row < rows {
                        let g = row * groups + (32 * q) / groupSize
                        let s = SIMD16<Float>(repeating: scales[g])
                        let z = SIMD16<Float>(repeating: Float(zeroPoints[g]))
                        let (l, h) = PackedCodes.codes(packed + row * rowBytes + 16 * q)
                        lo = s * (l - z)
                        hi = s * (h - z)
                    }
                    let base = panel + (4 * q * r6 + r) * 8
                    UnsafeMutableRawPointer(base).storeBytes(of: lo.lowHalf, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(base + r6 * 8).storeBytes(of: lo.highHalf, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(base + 2 * r6 * 8).storeBytes(of: hi.lowHalf, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(base + 3 * r6 * 8).storeBytes(of: hi.highHalf, as: SIMD8<Float>.self)
                }
            }
        }
    }

    private static func gemv(_ x: UnsafePointer<Float>, _ w: PackedCodes, into y: UnsafeMutablePointer<Float>) {
        let width = w.columns, chunksPerGroup = w.groupSize / 32
        // The token split evens/odds per 32, zero-padded, and its per-group sums.
        let xs = UnsafeMutablePointer<Float>.allocate(capacity: width)
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: w.groups)
        defer { xs.deallocate(); sums.deallocate() }
        xs.initialize(repeating: 0, count: width)
        xs.update(from: x, count: w.k)
        FloatPanelGEMM.splitEvenOdd(xs, count: width)
        for g in 0..<w.groups {
            var s = SIMD16<Float>()
            for c in 0..<chunksPerGroup {
                let base = UnsafeRawPointer(xs + g * w.groupSize + 32 * c)
                s += base.loadUnaligned(as: SIMD16<Float>.self) + base.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            }
            sums[g] = s.treeSum()
        }
        let io = UnsafeSendable((UnsafePointer(xs), UnsafePointer(sums), y))
        Parallel.forEach(count: w.rows, minimumChunk: max(4, (1 << 17) / max(1, width))) { range in
            let (xs, sums, y) = io.value
            // Four rows at a time (`RowQuads`: four sequential weight streams),
            // two 8-lane FMA chains each, sharing every activation load. A group
            // ends with one S·acc per row into the row's total; the zero-point
            // terms S·Z·Σx of the four rows add up in one 4-lane vector.
            RowQuads.forEach(range) { rows in
                let b0 = w.packed + rows[0] * w.rowBytes, b1 = w.packed + rows[1] * w.rowBytes
                let b2 = w.packed + rows[2] * w.rowBytes, b3 = w.packed + rows[3] * w.rowBytes
                let g0 = rows &* w.groups
                var t0 = SIMD8<Float>(), t1 = t0, t2 = t0, t3 = t0
                var zeroTerms = SIMD4<Float>()
                for g in 0..<w.groups {
                    var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0, e0 = a0, e1 = a0, e2 = a0, e3 = a0
                    for c in 0..<chunksPerGroup {
                        let k0 = g &* w.groupSize &+ 32 &* c
                        let xv = UnsafeRawPointer(xs + k0)
                        @inline(__always) func step(_ bytes: UnsafePointer<UInt8>, _ a: inout SIMD8<Float>, _ e: inout SIMD8<Float>) {
                            let (lo, hi) = PackedCodes.codes(bytes + (k0 &>> 1))
                            a.addProduct(lo.lowHalf, xv.loadUnaligned(as: SIMD8<Float>.self))
                            e.addProduct(lo.highHalf, xv.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
                            a.addProduct(hi.lowHalf, xv.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
                            e.addProduct(hi.highHalf, xv.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
                        }
                        step(b0, &a0, &e0)
                        step(b1, &a1, &e1)
                        step(b2, &a2, &e2)
                        step(b3, &a3, &e3)
                    }
                    let index = g0 &+ g
                    let scale = SIMD4(w.scales[index[0]], w.scales[index[1]], w.scales[index[2]], w.scales[index[3]])
                    let zero = SIMD4(Float(w.zeroPoints[index[0]]), Float(w.zeroPoints[index[1]]),
                                     Float(w.zeroPoints[index[2]]), Float(w.zeroPoints[index[3]]))
                    zeroTerms.addProduct(scale * zero, SIMD4(repeating: sums[g]))
                    t0.addProduct(SIMD8(repeating: scale[0]), a0 + e0)
                    t1.addProduct(SIMD8(repeating: scale[1]), a1 + e1)
                    t2.addProduct(SIMD8(repeating: scale[2]), a2 + e2)
                    t3.addProduct(SIMD8(repeating: scale[3]), a3 + e3)
                }
                let totals = SIMD4(t0.treeSum(), t1.treeSum(), t2.treeSum(), t3.treeSum()) - zeroTerms
                for r in (0..<4).reversed() { y[rows[r]] = totals[r] }
            }
        }
    }
}
