/// GPTQ (Frantar et al. 2022; docs/contract.md §16.3): quantize W one input
/// column at a time and spread each column's error over the columns not yet
/// quantized, weighted by the inverse Hessian of the layer's squared output
/// error, H = 2·XᵀX/tokens + λI.
///
/// As the reference code (`gptq.py`, `fasterquant`): dead columns
/// (diag H = 0) get H_jj = 1 and W[:, j] = 0; act-order sorts columns by
/// decreasing diag H (a stable sort); λ = damp·mean(diag H); U is the upper
/// Cholesky factor of H⁻¹ (`InverseCholesky`); columns go in lazy batches
/// of `blockSize`: inside a batch each column's error e = (w − q)/U_jj
/// updates the batch's later columns at once, and the rest of W once per
/// batch as one GEMM. `tensor` and `channel` scales come from W before any
/// update; a `group:G` scale from the group's columns as updated when its
/// first column's turn comes (groups run in processing order, the
/// reference's `static_groups=False`). Rows are independent, so the column
/// sweep runs rows in parallel; every sum has a fixed order, so the result
/// does not depend on the number of cores.
enum GPTQ {
    static func run(_ problem: LayerProblem, options: GPTQOptions, token: WorkToken?) throws(MethodError) -> MethodOutcome {
        let start = EngineBenchmark.now()
        let rows = problem.outputs, n = problem.inputs
        var h = GPTQHessian.compute(problem.calibration)
        if token?.isCancelled == true { throw .cancelled }
        var w = problem.weight.values
        for j in 0..<n where h[j * n + j] == 0 {
            h[j * n + j] = 1
            for r in 0..<rows { w[r * n + j] = 0 }
        }
        let quantizer = MethodQuantizer(problem.scheme)
        let fixed = fixedParameters(w, rows: rows, n: n, granularity: problem.granularity, quantizer: quantizer)
        let order = options.actOrder ? decreasingDiagonal(h, n: n) : Array(0..<n)
        if options.actOrder {
            w = permuteColumns(w, rows: rows, n: n, order: order)
            h = permuteSymmetric(h, n: n, order: order)
        }
        var diagonalSum = 0.0
        for j in 0..<n { diagonalSum += Double(h[j * n + j]) }
        let lambda = Float(options.damp * diagonalSum / Double(n))
        for j in 0..<n { h[j * n + j] += lambda }
        try h.withUnsafeMutableBufferPointer { (u: inout UnsafeMutableBufferPointer<Float>) throws(MethodError) in
            try InverseCholesky.factor(u.baseAddress!, n: n, token: token)
        }
        var sweep = GPTQSweep(rows: rows, n: n, groupSize: problem.groupSize, grouped: isGrouped(problem.granularity),
                          blockSize: options.blockSize, quantizer: quantizer, fixed: fixed)
        try sweep.run(&w, u: h, token: token)
        guard w.allSatisfy(\.isFinite), sweep.scales.allSatisfy(\.isFinite), sweep.finite else { throw .overflow("GPTQ's error feedback") }
        // Back to the original column order (row by row, so reads and writes stay in cache).
        var weight = w, codes = sweep.codes
        var groupIndex = [Int32](repeating: 0, count: n)
        for (position, column) in order.enumerated() { groupIndex[column] = Int32(position / problem.groupSize) }
        if options.actOrder {
            for r in 0..<rows {
                for (position, column) in order.enumerated() {
                    weight[r * n + column] = w[r * n + position]
                    codes[r * n + column] = sweep.codes[r * n + position]
                }
            }
        }
        let methodCodes = MethodCodes(scheme: problem.scheme, granularity: problem.granularity, shape: problem.weight.shape,
                                      codes: codes, scales: sweep.scales, zeroPoints: sweep.zeroPoints,
                                      groupsPerRow: problem.groupsPerRow, groupIndex: groupIndex)
        let trace = sweep.trace(order: order, u: h)
        return MethodOutcome(method: .gptq(options), weight: weight, codes: methodCodes,
                             milliseconds: EngineBenchmark.now() - start, trace: .gptq(trace))
    }

    static func isGrouped(_ g: Granularity) -> Bool {
        if case .group = g { return true }
        return false
    }

    /// `tensor` and `channel` parameters, from W before any update (nil for `group:G`).
    static func fixedParameters(_ w: [Float], rows: Int, n: Int, granularity: Granularity,
                                quantizer: MethodQuantizer) -> [AffineCodec.Parameters]? {
        w.withUnsafeBufferPointer { wb in
            switch granularity {
            case .tensor:
                let r = quantizer.range(wb.baseAddress!, count: rows * n)
                return [AffineCodec.Parameters](repeating: quantizer.parameters(lo: r.lo, hi: r.hi), count: rows)
            case .channel:
                return (0..<rows).map { row in
                    let r = quantizer.range(wb.baseAddress! + row * n, count: n)
                    return quantizer.parameters(lo: r.lo, hi: r.hi)
                }
            default:
                return nil
            }
        }
    }

    /// Columns by decreasing diag H, ties by index (numpy's stable argsort of −diag).
    static func decreasingDiagonal(_ h: [Float], n: Int) -> [Int] {
        (0..<n).sorted { a, b in
            let da = h[a * n + a], db = h[b * n + b]
            return da > db || (da == db && a < b)
        }
    }

    static func permuteColumns(_ w: [Float], rows: Int, n: Int, order: [Int]) -> [Float] {
        var out = w
        for r in 0..<rows { for (p, c) in order.enumerated() { out[r * n + p] = w[r * n + c] } }
        return out
    }

    static func permuteSymmetric(_ h: [Float], n: Int, order: [Int]) -> [Float] {
        var out = h
        for (p, i) in order.enumerated() { for (q, j) in order.enumerated() { out[p * n + q] = h[i * n + j] } }
        return out
    }
}
