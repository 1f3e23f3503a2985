/// W8A8: int8 weights (per-channel symmetric) times int8 activations
/// (per-token, symmetric or asymmetric), Int32 accumulators, one Float32
/// multiply per output.
///
/// ```
///  acc[m, n] = Σ_k q_w[n, k]·(q_x[m, k] − Z_x[m])
///            = Σ_k q_w·q_x − Z_x[m]·Σ_k q_w[n, k]        (row sums precomputed with the weights)
///  y[m, n]   = Float(acc)·(S_x[m]·S_w[n])
/// ```
/// The integer part is exact (|acc| ≤ K·128·127 < 2³¹ for K ≤ 132,000), so the
/// fast kernel and `ReferenceW8A8Matmul` agree bit for bit on the
/// accumulators and on y. Quantizing the activations is part of every
/// `multiply` call (and of its benchmark time); the weights are quantized once.
///
/// GEMV (memory-bound): `KernelLanes.dot`, 32 products per `vpsignb` +
/// `vpmaddubsw` + `vpmaddwd` + `vpaddd` on the bytes as stored, four rows at
/// a time. GEMM (compute-bound): weights and activations widened to Int16
/// once, then one `vpmaddwd` + `vpaddd` per 16 products, eight weight rows
/// against one token at a time.
///
/// On CPUs with AVX-512 VNNI both run `vpdpbusd` instead (64 products per
/// instruction, see `W8A8Matmul+VNNI.swift`), unless `Int8KernelPath`
/// says otherwise; the accumulators are the same either way.
public enum W8A8Matmul {
    /// Quantizes `x` (M×K) per token and computes Y = X·Wᵀ into `y` (M×N).
    public static func multiply(_ x: UnsafeBufferPointer<Float>, m: Int, weights: Int8ChannelWeights,
                                mode: Int8Activations.Mode, into y: UnsafeMutableBufferPointer<Float>) {
        let a = Int8Activations(quantizing: x, rows: m, columns: weights.columns, mode: mode)
        multiply(a, weights, into: y)
    }

    /// Y = X·Wᵀ as a new M×N array.
    public static func multiply(_ x: [Float], m: Int, weights: Int8ChannelWeights, mode: Int8Activations.Mode) -> [Float] {
        var y = [Float](repeating: 0, count: m * weights.rows)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { multiply(xb, m: m, weights: weights, mode: mode, into: $0) }
        }
        return y
    }

    /// Y from activations already quantized.
    /// - Parameter path: the inner loops to run (one this machine supports).
    public static func multiply(_ a: Int8Activations, _ w: Int8ChannelWeights, into y: UnsafeMutableBufferPointer<Float>,
                                path: Int8KernelPath = .current) {
        precondition(a.columns == w.columns && y.count >= a.rows * w.rows)
        guard let yb = y.baseAddress else { return }
        a.scales.withUnsafeBufferPointer { sx in
            a.zeroPoints.withUnsafeBufferPointer { zx in
                w.scales.withUnsafeBufferPointer { sw in
                    w.rowSums.withUnsafeBufferPointer { rs in
                        guard let sx = sx.baseAddress, let zx = zx.baseAddress, let sw = sw.baseAddress, let rs = rs.baseAddress else { return }
                        run(a, w, ScaledOutput(y: yb, n: w.rows, sx: sx, zx: zx, sw: sw, rowSums: rs), path: path)
                    }
                }
            }
        }
    }

    /// The Int32 accumulators acc[m, n] = Σ_k q_w·(q_x − Z_x), M×N, from the
    /// same fast path `multiply` uses (`path`: as for `multiply`).
    public static func accumulators(_ a: Int8Activations, _ w: Int8ChannelWeights, path: Int8KernelPath = .current) -> [Int32] {
        precondition(a.columns == w.columns)
        var acc = [Int32](repeating: 0, count: a.rows * w.rows)
        acc.withUnsafeMutableBufferPointer { out in
            a.zeroPoints.withUnsafeBufferPointer { zx in
                w.rowSums.withUnsafeBufferPointer { rs in
                    guard let o = out.baseAddress, let zx = zx.baseAddress, let rs = rs.baseAddress else { return }
                    run(a, w, AccumulatorOutput(acc: o, n: w.rows, zx: zx, rowSums: rs), path: path)
                }
            }
        }
        return acc
    }

    // MARK: Driver

    /// The raw dots Σ_k q_w·q_x go to an epilogue, which applies the
    /// zero-point correction and the scales.
    static func run<E: Int8Epilogue>(_ a: Int8Activations, _ w: Int8ChannelWeights, _ epilogue: E, path: Int8KernelPath) {
        path.checkSupported()
        let m = a.rows, n = w.rows, stride = w.rowStride
        guard m > 0, n > 0 else { return }
        a.codes.withUnsafeBufferPointer { ac in
            w.codes.withUnsafeBufferPointer { wc in
                guard let ap = ac.baseAddress, let wp = wc.baseAddress else { return }
                if path == .avx512VNNI {
                    w.rowSums.withUnsafeBufferPointer { rs in
                        guard let rs = rs.baseAddress else { return }
                        runVNNI(ap, wp, rowSums: rs, m: m, n: n, stride: stride, epilogue)
                    }
                } else if m == 1 {
                    gemv(ap, wp, n: n, stride: stride, epilogue)
                } else {
                    gemm(ap, wp, m: m, n: n, stride: stride, epilogue)
                }
            }
        }
    }

    private static func gemv<E: Int8Epilogue>(_ a: UnsafePointer<Int8>, _ w: UnsafePointer<Int8>, n: Int, stride: Int, _ epilogue: E) {
        let io = UnsafeSendable((a, w, epilogue))
        Parallel.forEach(count: n, minimumChunk: max(4, (1 << 18) / max(1, stride))) { range in
            let (a, w, epilogue) = io.value
            let chunks = stride / 32
            RowQuads.forEach(range) { rows in
                let w0 = w + rows[0] * stride, w1 = w + rows[1] * stride, w2 = w + rows[2] * stride, w3 = w + rows[3] * stride
                var s0 = KernelLanes.Words(), s1 = s0, s2 = s0, s3 = s0
                for c in 0..<chunks {
                    let x = KernelLanes.bytes(a + 32 * c)
                    let ax = KernelLanes.absolute(x)
                    s0 &+= KernelLanes.dot(x, absX: ax, KernelLanes.bytes(w0 + 32 * c))
                    s1 &+= KernelLanes.dot(x, absX: ax, KernelLanes.bytes(w1 + 32 * c))
                    s2 &+= KernelLanes.dot(x, absX: ax, KernelLanes.bytes(w2 + 32 * c))
                    s3 &+= KernelLanes.dot(x, absX: ax, KernelLanes.bytes(w3 + 32 * c))
                }
                let sums = SIMD4(KernelLanes.sum(s0), KernelLanes.sum(s1), KernelLanes.sum(s2), KernelLanes.sum(s3))
                for r in (0..<4).reversed() { epilogue.store(sums[r], row: 0, column: rows[r]) }
            }
        }
    }

    /// Columns of K per block: an eight-row Int16 weight panel of it (16 KiB)
    /// stays in L1 while the tokens stream past.
    static let blockColumns = 1024

    /// Every token against panels of eight weight rows, both widened to
    /// Int16 once (`vpmovsxbw`), so the inner step is one `vpmaddwd` and one
    /// `vpaddd` per 16 products, eight accumulators per token. Measured on
    /// this machine (Zen 4, AVX2), that runs ~20 % faster than the
    /// `vpmaddubsw` sign trick, which needs four instructions per 32 products,
    /// two of them on the multiply pipes.
    ///
    /// The next panel is widened a slice at a time between the tiles of the
    /// current one (two panel buffers), so its weights, which come from main
    /// memory, arrive while the multiplies run instead of before them.
    private static func gemm<E: Int8Epilogue>(_ a: UnsafePointer<Int8>, _ w: UnsafePointer<Int8>, m: Int, n: Int, stride: Int, _ epilogue: E) {
        let packed = Int16RowPacking(a, m: m, stride: stride, blockColumns: blockColumns)
        defer { packed.deallocate() }
        let panels = (n + 7) / 8
        let io = UnsafeSendable((packed, w, epilogue))
        Parallel.forEach(count: panels, minimumChunk: max(1, 1024 / max(1, m * stride / 256))) { range in
            let (packed, w, epilogue) = io.value
            let chunksTotal = stride / 16
            // [chunk of 16][row][16 Int16]: 256 bytes per chunk; two of them.
            var panel = UnsafeMutableRawPointer.allocate(byteCount: 8 * stride * 2, alignment: 64)
            var next = UnsafeMutableRawPointer.allocate(byteCount: 8 * stride * 2, alignment: 64)
            let sums = UnsafeMutablePointer<SIMD8<Int32>>.allocate(capacity: m)
            defer { panel.deallocate(); next.deallocate(); sums.deallocate() }
            /// Widens chunks `chunks` of panel `p` into `dst`.
            func widen(_ p: Int, _ chunks: Range<Int>, into dst: UnsafeMutableRawPointer) {
                let n0 = 8 * p, valid = min(8, n - n0)
                for c in chunks {
                    for r in 0..<8 {
                        let v = r < valid ? KernelLanes.shorts(w + (n0 + r) * stride + 16 * c) : KernelLanes.Shorts()
                        (dst + (c * 8 + r) * 32).storeBytes(of: v, as: KernelLanes.Shorts.self)
                    }
                }
            }
            let blocks = (stride + blockColumns - 1) / blockColumns
            let steps = blocks * m, perStep = (chunksTotal + steps - 1) / steps
            widen(range.lowerBound, 0..<chunksTotal, into: panel)
            for p in range {
                let hasNext = p + 1 < range.upperBound
                sums.initialize(repeating: SIMD8<Int32>(), count: m)
                var step = 0
                var k0 = 0
                while k0 < stride {
                    let chunks = min(blockColumns, stride - k0) / 16
                    let xBlock = packed.block(k0), wBlock = panel + (k0 / 16) * 256
                    for t in 0..<m {
                        sums[t] &+= tile(xBlock + t * chunks * 32, wBlock, chunks)
                        if hasNext {
                            let first = min(chunksTotal, step * perStep)
                            widen(p + 1, first..<min(chunksTotal, first + perStep), into: next)
                        }
                        step += 1
                    }
                    k0 += blockColumns
                }
                let n0 = 8 * p
                for t in 0..<m {
                    for j in 0..<min(8, n - n0) { epilogue.store(sums[t][j], row: t, column: n0 + j) }
                }
                swap(&panel, &next)
            }
        }
    }

    /// One token against eight weight rows over `chunks` chunks of 16
    /// columns (x chunk: 16 Int16; w chunk: eight rows of 16 Int16): the
    /// eight dots.
    @inline(__always)
    static func tile(_ x: UnsafeRawPointer, _ w: UnsafeRawPointer, _ chunks: Int) -> SIMD8<Int32> {
        typealias L = KernelLanes
        var a0 = L.Words(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0
        var xp = x, wp = w
        @inline(__always) func step(_ xv: L.Shorts, _ wp: UnsafeRawPointer) {
            a0 &+= L.multiplyAdd(xv, wp.loadUnaligned(as: L.Shorts.self))
            a1 &+= L.multiplyAdd(xv, wp.loadUnaligned(fromByteOffset: 32, as: L.Shorts.self))
            a2 &+= L.multiplyAdd(xv, wp.loadUnaligned(fromByteOffset: 64, as: L.Shorts.self))
            a3 &+= L.multiplyAdd(xv, wp.loadUnaligned(fromByteOffset: 96, as: L.Shorts.self))
            a4 &+= L.multiplyAdd(xv, wp.loadUnaligned(fromByteOffset: 128, as: L.Shorts.self))
            a5 &+= L.multiplyAdd(xv, wp.loadUnaligned(fromByteOffset: 160, as: L.Shorts.self))
            a6 &+= L.multiplyAdd(xv, wp.loadUnaligned(fromByteOffset: 192, as: L.Shorts.self))
            a7 &+= L.multiplyAdd(xv, wp.loadUnaligned(fromByteOffset: 224, as: L.Shorts.self))
        }
        // Two chunks per trip: the loop's own instructions were ~5 % of its time.
        var c = 0
        while c + 2 <= chunks {
            step(xp.loadUnaligned(as: L.Shorts.self), wp)
            step(xp.loadUnaligned(fromByteOffset: 32, as: L.Shorts.self), wp + 256)
            xp += 64
            wp += 512
            c += 2
        }
        if c < chunks { step(xp.loadUnaligned(as: L.Shorts.self), wp) }
        return SIMD8(L.sum(a0), L.sum(a1), L.sum(a2), L.sum(a3), L.sum(a4), L.sum(a5), L.sum(a6), L.sum(a7))
    }
}

/// Where a W8A8 kernel sends each raw dot Σ_k q_w·q_x.
protocol Int8Epilogue {
    func store(_ dot: Int32, row: Int, column: Int)
}

extension W8A8Matmul {
    /// y = Float(dot − Z_x·rowSum)·(S_x·S_w).
    struct ScaledOutput: Int8Epilogue {
        let y: UnsafeMutablePointer<Float>
        let n: Int
        let sx: UnsafePointer<Float>, zx: UnsafePointer<Int32>, sw: UnsafePointer<Float>, rowSums: UnsafePointer<Int32>

        @inline(__always)
        func store(_ dot: Int32, row: Int, column: Int) {
            let acc = dot &- zx[row] &* rowSums[column]
            y[row * n + column] = Float(acc) * (sx[row] * sw[column])
        }
    }

    /// The accumulator itself.
    struct AccumulatorOutput: Int8Epilogue {
        let acc: UnsafeMutablePointer<Int32>
        let n: Int
        let zx: UnsafePointer<Int32>, rowSums: UnsafePointer<Int32>

        @inline(__always)
        func store(_ dot: Int32, row: Int, column: Int) {
            acc[row * n + column] = dot &- zx[row] &* rowSums[column]
        }
    }
}
