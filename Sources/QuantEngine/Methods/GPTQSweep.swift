/// GPTQ's column sweep over a permuted W with U (upper, UᵀU = H⁻¹):
/// lazy batches of columns, rows in parallel inside a batch, one GEMM per
/// batch for the columns after it (docs/contract.md §16.3).
struct GPTQSweep {
    let rows: Int
    let n: Int
    let groupSize: Int
    let grouped: Bool
    let blockSize: Int
    let quantizer: MethodQuantizer
    /// Per row: `tensor` / `channel` parameters; nil for groups.
    let fixed: [AffineCodec.Parameters]?

    /// Codes in processing order, row-major.
    private(set) var codes: [UInt8]
    private(set) var scales: [Float]
    private(set) var zeroPoints: [Int32]
    private var columnError: [Double]
    private var errorSquares: [Double]
    private var proxy: [Double]
    /// False when a column reached its turn holding ±Inf or NaN (an overflow).
    private(set) var finite = true

    init(rows: Int, n: Int, groupSize: Int, grouped: Bool, blockSize: Int, quantizer: MethodQuantizer,
         fixed: [AffineCodec.Parameters]?) {
        self.rows = rows
        self.n = n
        self.groupSize = groupSize
        self.grouped = grouped
        self.blockSize = blockSize
        self.quantizer = quantizer
        self.fixed = fixed
        let perRow = (n + groupSize - 1) / groupSize
        codes = [UInt8](repeating: 0, count: rows * n)
        scales = fixed?.map(\.scale) ?? [Float](repeating: 1, count: rows * perRow)
        zeroPoints = fixed?.map { Int32($0.zeroPoint) } ?? [Int32](repeating: 0, count: rows * perRow)
        columnError = [Double](repeating: 0, count: n)
        errorSquares = [Double](repeating: 0, count: n)
        proxy = [Double](repeating: 0, count: n)
    }

    /// The end of the batch starting at i1: blockSize columns, cut short so
    /// that a group starting inside a batch also ends inside it (a group's
    /// scale must see all earlier errors; the reference code's stale
    /// `W[:, i1+i:…]` read is not copied, docs/contract.md §16.3).
    func batchEnd(_ i1: Int) -> Int {
        var i2 = min(i1 + blockSize, n)
        guard grouped else { return i2 }
        var c = (i1 / groupSize + 1) * groupSize
        while c < i2 {
            if min(c + groupSize, n) > i2 { i2 = c; break }
            c += groupSize
        }
        return i2
    }

    /// Quantizes every column of `w` (rows × n, processing order), leaving x̂ in its place.
    mutating func run(_ w: inout [Float], u: [Float], token: WorkToken?) throws(MethodError) {
        token?.expect(n)
        let perRow = (n + groupSize - 1) / groupSize
        var current = fixed ?? [AffineCodec.Parameters](repeating: .init(scale: 1, zeroPoint: 0), count: rows)
        var errors = [Float](repeating: 0, count: rows * blockSize)
        var tail = [Float](repeating: 0, count: n * blockSize)
        // The lazy update's product, allocated once for the whole sweep.
        let product = UnsafeMutablePointer<Float>.allocate(capacity: max(1, rows * (n - 1)))
        defer { product.deallocate() }
        let (rows, n, g, grouped, quantizer) = (self.rows, self.n, groupSize, grouped, quantizer)
        var i1 = 0
        while i1 < n {
            let i2 = batchEnd(i1), width = i2 - i1
            let parts = w.withUnsafeMutableBufferPointer { wb in
                u.withUnsafeBufferPointer { ub in
                    codes.withUnsafeMutableBufferPointer { cb in
                        scales.withUnsafeMutableBufferPointer { sb in
                            zeroPoints.withUnsafeMutableBufferPointer { zb in
                                current.withUnsafeMutableBufferPointer { pb in
                                    errors.withUnsafeMutableBufferPointer { eb in
                                        let io = UnsafeSendable((wb.baseAddress!, ub.baseAddress!, cb.baseAddress!, sb.baseAddress!,
                                                                 zb.baseAddress!, pb.baseAddress!, eb.baseAddress!))
                                        return Parallel.map(count: rows, minimumChunk: 4) { range -> [Double] in
                                            let (w, u, codes, scales, zeros, params, errors) = io.value
                                            // Per column of the batch: Σ(w − q)², Σe², Σ(w − q)²/(2·U_jj²).
                                            var sums = [Double](repeating: 0, count: 3 * width)
                                            for r in range {
                                                let wr = w + r * n
                                                var p = params[r]
                                                for j in i1..<i2 {
                                                    if grouped && j % g == 0 {
                                                        let range = quantizer.range(wr + j, count: min(g, n - j))
                                                        p = quantizer.parameters(lo: range.lo, hi: range.hi)
                                                        scales[r * perRow + j / g] = p.scale
                                                        zeros[r * perRow + j / g] = Int32(p.zeroPoint)
                                                    }
                                                    let x = wr[j]
                                                    let (q, v) = quantizer.quantize(x, p)
                                                    codes[r * n + j] = MethodQuantizer.byte(q)
                                                    wr[j] = v
                                                    let d = u[j * n + j], delta = x - v
                                                    let e = delta / d
                                                    errors[r * width + (j - i1)] = e
                                                    GPTQSweep.axpy(-e, u + j * n + j + 1, wr + j + 1, count: i2 - j - 1)
                                                    let k = j - i1
                                                    sums[k] += Double(delta) * Double(delta)
                                                    sums[width + k] += Double(e) * Double(e)
                                                    sums[2 * width + k] += Double(delta) * Double(delta) / (2 * Double(d) * Double(d))
                                                }
                                                params[r] = p
                                            }
                                            return sums
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for part in parts {
                if !part.allSatisfy(\.isFinite) { finite = false }
                for k in 0..<width {
                    columnError[i1 + k] += part[k]
                    errorSquares[i1 + k] += part[width + k]
                    proxy[i1 + k] += part[2 * width + k]
                }
            }
            if i2 < n {
                // W[:, i2…] −= E·U[i1..<i2, i2…], with U's block transposed so K is contiguous.
                let rest = n - i2
                for c in 0..<rest { for t in 0..<width { tail[c * width + t] = u[(i1 + t) * n + i2 + c] } }
                errors.withUnsafeBufferPointer { eb in
                    tail.withUnsafeBufferPointer { tb in
                        w.withUnsafeMutableBufferPointer { wb in
                            MethodGEMM.subtractProduct(eb.baseAddress!, lda: width, tb.baseAddress!, ldb: width,
                                                       m: rows, n: rest, k: width, from: wb.baseAddress! + i2, ldc: n,
                                                       scratch: product)
                        }
                    }
                }
            }
            token?.advance(width)
            if token?.isCancelled == true { throw .cancelled }
            i1 = i2
        }
    }

    /// y[0..<count] += a·x[0..<count].
    @inline(__always)
    static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let av = SIMD8<Float>(repeating: a)
        var i = 0
        while i + 8 <= count {
            var yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            yv.addProduct(av, UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self))
            UnsafeMutableRawPointer(y + i).storeBytes(of: yv, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { y[i] = y[i].addingProduct(a, x[i]); i += 1 }
    }

    /// The trace in processing order (`order[j]` = the original column of step j).
    func trace(order: [Int], u: [Float]) -> GPTQTrace {
        var norms = [Double](repeating: 0, count: n), running = [Double](repeating: 0, count: n)
        var total = 0.0
        for j in 0..<n {
            var s = 0.0
            for t in (j + 1)..<max(j + 1, n) { s += Double(u[j * n + t]) * Double(u[j * n + t]) }
            norms[j] = (errorSquares[j] * s).squareRoot()
            total += proxy[j]
            running[j] = total
        }
        return GPTQTrace(order: order, columnError: columnError, updateNorm: norms, runningProxyError: running)
    }
}
