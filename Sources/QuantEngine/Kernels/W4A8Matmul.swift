/// W4A8: group-wise 4-bit weights (`Int4GroupWeights`) times int8
/// activations (per-token symmetric, `Int8Activations`), an Int32
/// accumulator per group, scaled per group in Float32.
///
/// ```
///  acc[m, n, g] = Σ_{k∈g} (q[n, k] − Z[n, g])·a[m, k]                       exact Int32
///               = Σ q·a − Z·Σ_{k∈g} a             q, Z ∈ 0…15
///  y[m, n]      = S_x[m]·Σ_g S[n, g]·Float(acc[m, n, g])
/// ```
/// `vpmaddubsw` multiplies the unsigned q by the signed a; with q ≤ 15 a
/// pair sum is at most 3,840, so up to eight 32-code steps add up in Int16
/// lanes before `vpmaddwd` widens them. The activations are split
/// evens/odds per 32 (as W4A16 does with floats), so the two nibbles of a
/// byte meet their own activations without shuffles.
///
/// The accumulators equal `ReferenceW4A8Matmul`'s exactly; y is summed in
/// Float32 lanes, one scaled term per group (GEMV) or per unit of at most
/// 128 codes (GEMM): error at most about (K/32 + 8)·2⁻²⁴·S_x·Σ|S·(q − Z)·a|.
///
/// On CPUs with AVX-512 VNNI one `vpdpbusd` per 32 codes replaces
/// `vpmaddubsw` and the Int16 sums (`W4A8Matmul+VNNI.swift`), unless
/// `Int8KernelPath` says otherwise; the lanes, so y, are the same bit for bit.
public enum W4A8Matmul {
    /// Quantizes `x` (M×K) per token (symmetric int8) and computes Y = X·Wᵀ.
    public static func multiply(_ x: UnsafeBufferPointer<Float>, m: Int, weights w: Int4GroupWeights,
                                into y: UnsafeMutableBufferPointer<Float>) {
        let a = Int8Activations(quantizing: x, rows: m, columns: w.columns, mode: .symmetric)
        multiply(a, w, into: y)
    }

    /// Y = X·Wᵀ as a new M×N array.
    public static func multiply(_ x: [Float], m: Int, weights: Int4GroupWeights) -> [Float] {
        var y = [Float](repeating: 0, count: m * weights.rows)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { multiply(xb, m: m, weights: weights, into: $0) }
        }
        return y
    }

    /// Y from symmetric int8 activations already quantized.
    /// - Parameter path: the inner loops to run (one this machine supports).
    public static func multiply(_ a: Int8Activations, _ w: Int4GroupWeights, into y: UnsafeMutableBufferPointer<Float>,
                                path: Int8KernelPath = .current) {
        precondition(a.mode == .symmetric, "W4A8Matmul takes symmetric activations")
        precondition(a.columns == w.columns && y.count >= a.rows * w.rows)
        guard let yb = y.baseAddress else { return }
        a.scales.withUnsafeBufferPointer { sx in
            guard let sx = sx.baseAddress else { return }
            run(a, w, sx: sx, into: yb, path: path)
        }
    }

    /// acc[m, n, g], M×N×⌈K/G⌉, from the same integer lanes `multiply`
    /// uses: the GEMV lanes for one token, the GEMM tiles for more (`path`:
    /// as for `multiply`).
    public static func groupAccumulators(_ a: Int8Activations, _ w: Int4GroupWeights, path: Int8KernelPath = .current) -> [Int32] {
        precondition(a.mode == .symmetric && a.columns == w.columns)
        let groups = w.groupsPerRow
        var out = [Int32](repeating: 0, count: a.rows * w.rows * groups)
        out.withUnsafeMutableBufferPointer { o in
            guard let o = o.baseAddress else { return }
            if a.rows > 1 || path == .avx512VNNI {
                var y = [Float](repeating: 0, count: a.rows * w.rows)
                y.withUnsafeMutableBufferPointer { yb in
                    a.scales.withUnsafeBufferPointer { sx in
                        guard let yb = yb.baseAddress, let sx = sx.baseAddress else { return }
                        run(a, w, sx: sx, into: yb, collect: o, path: path)
                    }
                }
                return
            }
            let layout = Layout(w, a)
            prepared(a, layout) { act in
                w.packed.withUnsafeBufferPointer { p in
                    w.zeroPoints.withUnsafeBufferPointer { z in
                        guard let p = p.baseAddress, let z = z.baseAddress else { return }
                        for row in 0..<a.rows {
                            for n in 0..<w.rows {
                                for g in 0..<groups {
                                    let lanes = groupLanes(p + n * w.rowBytes + g * w.groupSize / 2, act.codes + row * layout.width + g * w.groupSize,
                                                           chunks: w.groupSize / 32, zeroPoint: z[n * groups + g], sums: act.sums[row * groups + g])
                                    o[(row * w.rows + n) * groups + g] = KernelLanes.sum(lanes)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    // MARK: Driver

    struct Layout {
        let width: Int, groups: Int, groupSize: Int
        /// Units of at most four 32-code steps per group (see `gemm`).
        let units: Int
        init(_ w: Int4GroupWeights, _ a: Int8Activations) {
            width = w.rowBytes * 2
            groups = w.groupsPerRow
            groupSize = w.groupSize
            units = (w.groupSize / 32 + 3) / 4
        }
    }

    /// Token codes split evens/odds per 32 and zero-padded to whole groups,
    /// and each group's activation sums as Int32 lanes (lane i: codes 4i…4i+3
    /// of every 32 in the group), for the Z' correction.
    struct PreparedActivations {
        let codes: UnsafePointer<Int8>
        let sums: UnsafePointer<KernelLanes.Words>
        /// Per token and per unit of at most four 32-code steps within a
        /// group (`Layout.units` per group): the activations' Int16 pair sums.
        let pairSums: UnsafePointer<KernelLanes.Shorts>
    }

    static func prepared<R>(_ a: Int8Activations, _ layout: Layout, _ body: (PreparedActivations) -> R) -> R {
        let m = a.rows, width = layout.width
        let codes = UnsafeMutablePointer<Int8>.allocate(capacity: m * width)
        let sums = UnsafeMutablePointer<KernelLanes.Words>.allocate(capacity: m * layout.groups)
        let pairSums = UnsafeMutablePointer<KernelLanes.Shorts>.allocate(capacity: m * layout.groups * layout.units)
        defer { codes.deallocate(); sums.deallocate(); pairSums.deallocate() }
        codes.initialize(repeating: 0, count: m * width)
        let ones = KernelLanes.UnsignedBytes(repeating: 1)
        a.codes.withUnsafeBufferPointer { src in
            guard let src = src.baseAddress else { return }
            for row in 0..<m {
                let dst = codes + row * width
                (dst).update(from: src + row * a.rowStride, count: min(a.rowStride, width))
                var c = 0
                while c + 32 <= width {
                    let raw = UnsafeMutableRawPointer(dst + c)
                    let v = raw.loadUnaligned(as: SIMD32<Int8>.self)
                    raw.storeBytes(of: SIMD32(lowHalf: v.evenHalf, highHalf: v.oddHalf), as: SIMD32<Int8>.self)
                    c += 32
                }
                for g in 0..<layout.groups {
                    var s = KernelLanes.Words()
                    for u in 0..<layout.units {
                        var p = KernelLanes.Shorts()
                        for c in (4 * u)..<min(layout.groupSize / 32, 4 * u + 4) {
                            p &+= KernelLanes.products(ones, KernelLanes.bytes(dst + g * layout.groupSize + 32 * c))
                        }
                        pairSums[(row * layout.groups + g) * layout.units + u] = p
                        s &+= KernelLanes.pairSums(p)
                    }
                    sums[row * layout.groups + g] = s
                }
            }
        }
        return body(PreparedActivations(codes: codes, sums: sums, pairSums: pairSums))
    }

    /// One group's accumulator as eight Int32 lanes: Σ q·a − Z·Σa, exact.
    /// `w` is the group's packed bytes.
    @inline(__always)
    static func groupLanes(_ w: UnsafePointer<UInt8>, _ a: UnsafePointer<Int8>, chunks: Int, zeroPoint: UInt8,
                           sums: KernelLanes.Words) -> KernelLanes.Words {
        var lanes = KernelLanes.Words()
        var c = 0
        while c < chunks {
            // At most eight steps in Int16 lanes (8·3,840 < 32,767).
            var acc = KernelLanes.Shorts()
            for step in c..<min(chunks, c + 8) {
                acc &+= KernelLanes.products(nibbles(w + 16 * step), KernelLanes.bytes(a + 32 * step))
            }
            lanes &+= KernelLanes.pairSums(acc)
            c += 8
        }
        return lanes &- KernelLanes.Words(repeating: Int32(zeroPoint)) &* sums
    }

    /// The same from codes already unpacked to one code per byte (32 per step).
    @inline(__always)
    static func groupLanes(unpacked w: UnsafeRawPointer, _ a: UnsafePointer<Int8>, chunks: Int, zeroPoint: UInt8,
                           sums: KernelLanes.Words) -> KernelLanes.Words {
        var lanes = KernelLanes.Words()
        var c = 0
        while c < chunks {
            var acc = KernelLanes.Shorts()
            for step in c..<min(chunks, c + 8) {
                acc &+= KernelLanes.products(KernelLanes.unsignedBytes(w + 32 * step), KernelLanes.bytes(a + 32 * step))
            }
            lanes &+= KernelLanes.pairSums(acc)
            c += 8
        }
        return lanes &- KernelLanes.Words(repeating: Int32(zeroPoint)) &* sums
    }

    /// The 32 codes of 16 packed bytes: evens, then odds.
    @inline(__always)
    static func nibbles(_ p: UnsafePointer<UInt8>) -> KernelLanes.UnsignedBytes {
        let b = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self)
        return KernelLanes.joined(b & 0x0F, b &>> 4)
    }

    /// y[m, n] = S_x[m]·Σ_g S·Float(acc_g) for every output, split over the
    /// cores by weight rows.
    /// `collect`, when given (M×N×groups, zeroed), receives the GEMM's group
    /// accumulators as well, for the tests (on the VNNI path, the GEMV's too).
    static func run(_ a: Int8Activations, _ w: Int4GroupWeights, sx: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                    collect: UnsafeMutablePointer<Int32>? = nil, path: Int8KernelPath) {
        path.checkSupported()
        let m = a.rows, n = w.rows
        guard m > 0, n > 0 else { return }
        let layout = Layout(w, a)
        prepared(a, layout) { act in
            w.packed.withUnsafeBufferPointer { p in
                w.scales.withUnsafeBufferPointer { s in
                    w.zeroPoints.withUnsafeBufferPointer { z in
                        guard let p = p.baseAddress, let s = s.baseAddress, let z = z.baseAddress else { return }
                        let weights = Weights(packed: p, scales: s, zeroPoints: z, rows: n, rowBytes: w.rowBytes)
                        if path == .avx512VNNI {
                            runVNNI(act, weights, layout, m: m, sx: sx, into: y, collect: collect)
                        } else if m == 1 {
                            gemv(act, weights, layout, sx: sx[0], into: y)
                        } else {
                            gemm(act, weights, layout, m: m, sx: sx, into: y, collect: collect)
                        }
                    }
                }
            }
        }
    }

    struct Weights {
        let packed: UnsafePointer<UInt8>
        let scales: UnsafePointer<Float>
        let zeroPoints: UnsafePointer<UInt8>
        let rows: Int
        let rowBytes: Int
    }

    /// One token: each row's groups straight from the packed bytes.
    private static func gemv(_ act: PreparedActivations, _ w: Weights, _ layout: Layout, sx: Float, into y: UnsafeMutablePointer<Float>) {
        let io = UnsafeSendable((act, w, y))
        let chunks = layout.groupSize / 32, groups = layout.groups
        Parallel.forEach(count: w.rows, minimumChunk: max(2, (1 << 17) / max(1, layout.width))) { range in
            let (act, w, y) = io.value
            // Four rows at a time (`RowQuads`), sharing the activation loads.
            RowQuads.forEach(range) { rows in
                var t0 = KernelLanes.Floats(), t1 = t0, t2 = t0, t3 = t0
                for g in 0..<groups {
                    let a = act.codes + g * layout.groupSize, sums = act.sums[g]
                    @inline(__always) func step(_ n: Int, _ total: inout KernelLanes.Floats) {
                        let lanes = groupLanes(w.packed + n * w.rowBytes + g * layout.groupSize / 2, a, chunks: chunks,
                                               zeroPoint: w.zeroPoints[n * groups + g], sums: sums)
                        total.addProduct(KernelLanes.Floats(repeating: w.scales[n * groups + g]), KernelLanes.floats(lanes))
                    }
                    step(rows[0], &t0); step(rows[1], &t1); step(rows[2], &t2); step(rows[3], &t3)
                }
                let s = SIMD4(t0.treeSum(), t1.treeSum(), t2.treeSum(), t3.treeSum()) * sx
                for r in (0..<4).reversed() { y[rows[r]] = s[r] }
            }
        }
    }

    /// Tokens in pairs against panels of four rows unpacked to one code per
    /// byte (`[step][row][32]`), a 2×4 tile of Int16 accumulators. Every
    /// unit of up to four steps ends with the exact correction in Int16
    /// (t − Z·pair sums of a: |t| ≤ 4·3,840, |Z·Σ| ≤ 15·1,016), widened to
    /// Int32 lanes and scaled by the group's S into Float32 lanes.
    private static func gemm(_ act: PreparedActivations, _ w: Weights, _ layout: Layout, m: Int, sx: UnsafePointer<Float>,
                             into y: UnsafeMutablePointer<Float>, collect: UnsafeMutablePointer<Int32>?) {
        let width = layout.width, groups = layout.groups, steps = layout.groupSize / 32, units = layout.units
        // An odd last token pairs with zeros.
        let zeroCodes = UnsafeMutablePointer<Int8>.allocate(capacity: width)
        let zeroSums = UnsafeMutablePointer<KernelLanes.Shorts>.allocate(capacity: groups * units)
        defer { zeroCodes.deallocate(); zeroSums.deallocate() }
        zeroCodes.initialize(repeating: 0, count: width)
        zeroSums.initialize(repeating: KernelLanes.Shorts(), count: groups * units)
        let io = UnsafeSendable((act, w, sx, y, UnsafePointer(zeroCodes), UnsafePointer(zeroSums), collect))
        let panels = (w.rows + 3) / 4
        Parallel.forEach(count: panels, minimumChunk: max(1, 2048 / max(1, m * width / 256))) { range in
            let (act, w, sx, y, zeroCodes, zeroSums, collect) = io.value
            let panel = UnsafeMutableRawPointer.allocate(byteCount: 4 * width, alignment: 64)
            defer { panel.deallocate() }
            for p in range {
                let n0 = 4 * p, valid = min(4, w.rows - n0)
                for c in 0..<(width / 32) {
                    for r in 0..<4 {
                        let v = r < valid ? nibbles(w.packed + (n0 + r) * w.rowBytes + 16 * c) : KernelLanes.UnsignedBytes()
                        (panel + (c * 4 + r) * 32).storeBytes(of: v, as: KernelLanes.UnsignedBytes.self)
                    }
                }
                for t in 0..<((m + 1) / 2) {
                    let second = 2 * t + 1 < m
                    let a0 = act.codes + 2 * t * width, a1 = second ? a0 + width : zeroCodes
                    let p0 = act.pairSums + 2 * t * groups * units, p1 = second ? p0 + groups * units : zeroSums
                    var f00 = KernelLanes.Floats(), f01 = f00, f02 = f00, f03 = f00, f10 = f00, f11 = f00, f12 = f00, f13 = f00
                    for g in 0..<groups {
                        let zr = SIMD4<Int16>(valid > 0 ? Int16(w.zeroPoints[n0 * groups + g]) : 0,
                                              valid > 1 ? Int16(w.zeroPoints[(n0 + 1) * groups + g]) : 0,
                                              valid > 2 ? Int16(w.zeroPoints[(n0 + 2) * groups + g]) : 0,
                                              valid > 3 ? Int16(w.zeroPoints[(n0 + 3) * groups + g]) : 0)
                        let sr = SIMD4<Float>(valid > 0 ? w.scales[n0 * groups + g] : 0, valid > 1 ? w.scales[(n0 + 1) * groups + g] : 0,
                                              valid > 2 ? w.scales[(n0 + 2) * groups + g] : 0, valid > 3 ? w.scales[(n0 + 3) * groups + g] : 0)
                        for u in 0..<units {
                            var t00 = KernelLanes.Shorts(), t01 = t00, t02 = t00, t03 = t00, t10 = t00, t11 = t00, t12 = t00, t13 = t00
                            let first = g * steps + 4 * u, last = g * steps + min(steps, 4 * u + 4)
                            for c in first..<last {
                                let x0 = KernelLanes.bytes(a0 + 32 * c), x1 = KernelLanes.bytes(a1 + 32 * c)
                                let wc = panel + c * 128
                                var v = KernelLanes.unsignedBytes(wc)
                                t00 &+= KernelLanes.products(v, x0); t10 &+= KernelLanes.products(v, x1)
                                v = KernelLanes.unsignedBytes(wc + 32)
                                t01 &+= KernelLanes.products(v, x0); t11 &+= KernelLanes.products(v, x1)
                                v = KernelLanes.unsignedBytes(wc + 64)
                                t02 &+= KernelLanes.products(v, x0); t12 &+= KernelLanes.products(v, x1)
                                v = KernelLanes.unsignedBytes(wc + 96)
                                t03 &+= KernelLanes.products(v, x0); t13 &+= KernelLanes.products(v, x1)
                            }
                            let s0 = p0[g * units + u], s1 = p1[g * units + u]
                            @inline(__always) func ints(_ acc: KernelLanes.Shorts, _ sums: KernelLanes.Shorts, _ r: Int) -> KernelLanes.Words {
                                KernelLanes.pairSums(acc &- KernelLanes.Shorts(repeating: zr[r]) &* sums)
                            }
                            let i00 = ints(t00, s0, 0), i01 = ints(t01, s0, 1), i02 = ints(t02, s0, 2), i03 = ints(t03, s0, 3)
                            let i10 = ints(t10, s1, 0), i11 = ints(t11, s1, 1), i12 = ints(t12, s1, 2), i13 = ints(t13, s1, 3)
                            let c0 = KernelLanes.Floats(repeating: sr[0]), c1 = KernelLanes.Floats(repeating: sr[1])
                            let c2 = KernelLanes.Floats(repeating: sr[2]), c3 = KernelLanes.Floats(repeating: sr[3])
                            f00.addProduct(KernelLanes.floats(i00), c0); f01.addProduct(KernelLanes.floats(i01), c1)
                            f02.addProduct(KernelLanes.floats(i02), c2); f03.addProduct(KernelLanes.floats(i03), c3)
                            f10.addProduct(KernelLanes.floats(i10), c0); f11.addProduct(KernelLanes.floats(i11), c1)
                            f12.addProduct(KernelLanes.floats(i12), c2); f13.addProduct(KernelLanes.floats(i13), c3)
                            if let collect {
                                let found = [[i00, i01, i02, i03], [i10, i11, i12, i13]]
                                for (i, row) in found.enumerated() where i == 0 || second {
                                    for r in 0..<valid { collect[((2 * t + i) * w.rows + n0 + r) * groups + g] &+= KernelLanes.sum(row[r]) }
                                }
                            }
                        }
                    }
                    let sums0 = SIMD4(f00.treeSum(), f01.treeSum(), f02.treeSum(), f03.treeSum()) * sx[2 * t]
                    for r in 0..<valid { y[2 * t * w.rows + n0 + r] = sums0[r] }
                    if second {
                        let sums1 = SIMD4(f10.treeSum(), f11.treeSum(), f12.treeSum(), f13.treeSum()) * sx[2 * t + 1]
                        for r in 0..<valid { y[(2 * t + 1) * w.rows + n0 + r] = sums1[r] }
                    }
                }
            }
        }
    }
}
