/// FP8 W8A8: E4M3 weights (`FP8Weights`, per-tensor or per-channel scale)
/// times E4M3 activations (one scale per token), products summed in Float32.
///
/// ```
///  y[m, n] = S_x[m]·S_w[n]·Σ_k e4m3⁻¹(w[n, k])·e4m3⁻¹(x[m, k])
/// ```
/// CPUs here have no FP8 arithmetic, so both sides are decoded to Float32
/// (every E4M3 value and every product of two is exact in Float32): the
/// activations through the 256-entry table `decodeTable` (once per token),
/// the weights in registers by moving the code's bits into a Float16 and
/// widening it with `vcvtph2ps`, which equals the table divided by 256 for
/// every code (NaN included, when `hasNaNCodes` asks for that path). The 256
/// moves into the scale, exactly (a power of two).
///
/// Error against the exact sum: at most about (K/16 + 16)·2⁻²⁴·Σ|S_x·S_w·w·x|
/// for GEMV, (K/8 + 16)·2⁻²⁴ for GEMM; the tests check it.
public enum FP8Matmul {
    /// E4M3FN code → Float32, exactly (`FloatFormat.e4m3fn.decode`).
    public static let decodeTable: [Float] = (0..<256).map { FloatFormat.e4m3fn.decode(UInt32($0)) }

    /// Quantizes `x` (M×K) to E4M3 per token and computes Y = X·Wᵀ into `y`.
    public static func multiply(_ x: UnsafeBufferPointer<Float>, m: Int, weights w: FP8Weights,
                                into y: UnsafeMutableBufferPointer<Float>) {
        let k = w.columns, n = w.rows
        precondition(x.count >= m * k && y.count >= m * n)
        guard m > 0, n > 0, let yb = y.baseAddress else { return }
        guard k > 0, let xb = x.baseAddress else {
            yb.initialize(repeating: 0, count: m * n)
            return
        }
        let a = FP8Activations(quantizing: xb, rows: m, columns: k, stride: w.rowStride)
        multiply(a, w, into: yb)
    }

    /// Y = X·Wᵀ as a new M×N array.
    public static func multiply(_ x: [Float], m: Int, weights: FP8Weights) -> [Float] {
        var y = [Float](repeating: 0, count: m * weights.rows)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { multiply(xb, m: m, weights: weights, into: $0) }
        }
        return y
    }

    static func multiply(_ a: FP8Activations, _ w: FP8Weights, into y: UnsafeMutablePointer<Float>) {
        let m = a.rows, n = w.rows
        // S_w·256 per column: the fast decode is the table value / 256.
        let columnScales = (0..<n).map { w.scale(row: $0) * 256 }
        w.codes.withUnsafeBufferPointer { c in
            a.values.withUnsafeBufferPointer { xv in
                a.scales.withUnsafeBufferPointer { sx in
                    columnScales.withUnsafeBufferPointer { sw in
                        guard let c = c.baseAddress, let xv = xv.baseAddress, let sx = sx.baseAddress, let sw = sw.baseAddress else { return }
                        let codes = Codes(codes: c, rows: n, columns: w.rowStride, exactNaN: w.hasNaNCodes)
                        if m == 1 {
                            gemv(xv, codes, scale: sx[0], columnScales: sw, into: y)
                        } else {
                            FloatPanelGEMM.run(xv, m: m, k: w.rowStride, panels: codes, rowScale: sx, columnScale: sw, into: y)
                        }
                    }
                }
            }
        }
    }

    /// Sixteen E4M3 codes → their values / 256 as Float32: the code's
    /// sign to bit 15 and magnitude to bits 13…7 of a Float16 (E4M3's bias
    /// 7 is Float16's 15 minus 8: a factor 2⁻⁸; E4M3 subnormals land on
    /// Float16 subnormals exactly). With `exactNaN`, codes S.1111.111 get a
    /// Float16 NaN instead of ±480/256.
    @inline(__always)
    static func decode(_ c: SIMD16<UInt8>, exactNaN: Bool) -> SIMD16<Float> {
        var h = SIMD16<Int16>()
        for i in 0..<16 { h[i] = Int16(bitPattern: UInt16(c[i]) << 8) }
        var bits = unsafeBitCast((h &>> 1) & Int16(bitPattern: 0xBF80), to: SIMD16<UInt16>.self)
        if exactNaN {
            let magnitude = unsafeBitCast((h &>> 8) & 0x7F, to: SIMD16<UInt16>.self)
            bits |= (SIMD16<UInt16>(repeating: 0) &- ((magnitude &+ 1) &>> 7)) & 0x7E00
        }
        return SIMD16(lowHalf: KernelLanes.floats(halves: bits.lowHalf), highHalf: KernelLanes.floats(halves: bits.highHalf))
    }

    /// The codes as raw rows, and as `FloatPanelGEMM` panels (decoded / 256).
    struct Codes: FloatWeightPanels {
        let codes: UnsafePointer<UInt8>
        let rows: Int
        let columns: Int
        let exactNaN: Bool
        var evenOddWithin32: Bool { false }

        func pack(first: Int, chunks: Int, into panel: UnsafeMutablePointer<Float>) {
            let r6 = FloatPanelGEMM.panelRows
            // Chunk-major, so the six rows stream in together.
            for q in 0..<(chunks / 2) {
                for r in 0..<r6 {
                    let row = first + r
                    var v = SIMD16<Float>()
                    if row < rows {
                        v = FP8Matmul.decode(UnsafeRawPointer(codes + row * columns + 16 * q).loadUnaligned(as: SIMD16<UInt8>.self),
                                             exactNaN: exactNaN)
                    }
                    UnsafeMutableRawPointer(panel + (2 * q * r6 + r) * 8).storeBytes(of: v.lowHalf, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(panel + ((2 * q + 1) * r6 + r) * 8).storeBytes(of: v.highHalf, as: SIMD8<Float>.self)
                }
            }
        }
    }

    private static func gemv(_ x: UnsafePointer<Float>, _ w: Codes, scale: Float, columnScales: UnsafePointer<Float>,
                             into y: UnsafeMutablePointer<Float>) {
        let io = UnsafeSendable((x, y, columnScales))
        Parallel.forEach(count: w.rows, minimumChunk: max(2, (1 << 17) / max(1, w.columns))) { range in
            let (x, y, columnScales) = io.value
            // Four rows at a time (`RowQuads`), one 8-lane FMA chain pair each.
            RowQuads.forEach(range) { rows in
                var acc = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                var b = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                let c0 = UnsafeRawPointer(w.codes + rows[0] * w.columns), c1 = UnsafeRawPointer(w.codes + rows[1] * w.columns)
                let c2 = UnsafeRawPointer(w.codes + rows[2] * w.columns), c3 = UnsafeRawPointer(w.codes + rows[3] * w.columns)
                var i = 0
                while i + 16 <= w.columns {
                    let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
                    @inline(__always) func step(_ codes: UnsafeRawPointer, _ a: inout SIMD8<Float>, _ b: inout SIMD8<Float>) {
                        let v = decode(codes.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self), exactNaN: w.exactNaN)
                        a.addProduct(v.lowHalf, xv.lowHalf)
                        b.addProduct(v.highHalf, xv.highHalf)
                    }
                    step(c0, &acc.0, &b.0); step(c1, &acc.1, &b.1); step(c2, &acc.2, &b.2); step(c3, &acc.3, &b.3)
                    i += 16
                }
                let sums = SIMD4((acc.0 + b.0).treeSum(), (acc.1 + b.1).treeSum(), (acc.2 + b.2).treeSum(), (acc.3 + b.3).treeSum())
                for r in (0..<4).reversed() { y[rows[r]] = sums[r] * (scale * columnScales[rows[r]]) }
            }
        }
    }
}
