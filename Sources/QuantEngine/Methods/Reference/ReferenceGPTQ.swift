/// GPTQ written the plain way, for the tests (docs/contract.md §16.3): the
/// algorithm of `GPTQ` in Float64, loops only, column by column, every
/// update applied at once to all later columns (no lazy batches), H⁻¹ by
/// Cholesky solves and its upper factor by a second Cholesky, as the
/// reference code's three calls. The quantizer is the same Float32 one
/// (§1), so codes agree with `GPTQ` except where a value sits within
/// rounding of a tie.
public enum ReferenceGPTQ {
    public static func run(_ problem: LayerProblem, options: GPTQOptions) throws(MethodError) -> MethodOutcome {
        let rows = problem.outputs, n = problem.inputs, tokens = problem.tokens
        let x = problem.calibration.values
        var h = [Double](repeating: 0, count: n * n)
        for t in 0..<tokens {
            for i in 0..<n { for j in 0..<n { h[i * n + j] += Double(x[t * n + i]) * Double(x[t * n + j]) } }
        }
        for i in h.indices { h[i] *= 2 / Double(tokens) }
        var w = problem.weight.values.map(Double.init)
        for j in 0..<n where h[j * n + j] == 0 {
            h[j * n + j] = 1
            for r in 0..<rows { w[r * n + j] = 0 }
        }
        let quantizer = MethodQuantizer(problem.scheme)
        func parameters(_ values: [Double]) -> AffineCodec.Parameters {
            let f = values.map { Float($0) }
            return f.withUnsafeBufferPointer { b in
                let r = quantizer.range(b.baseAddress!, count: b.count)
                return quantizer.parameters(lo: r.lo, hi: r.hi)
            }
        }
        var params = [AffineCodec.Parameters](repeating: .init(scale: 1, zeroPoint: 0), count: rows)
        switch problem.granularity {
        case .tensor: params = Array(repeating: parameters(w), count: rows)
        case .channel: params = (0..<rows).map { r in parameters(Array(w[(r * n)..<((r + 1) * n)])) }
        default: break
        }
        var order = Array(0..<n)
        if options.actOrder {
            order.sort { a, b in h[a * n + a] > h[b * n + b] || (h[a * n + a] == h[b * n + b] && a < b) }
        }
        var hp = [Double](repeating: 0, count: n * n)
        for p in 0..<n { for q in 0..<n { hp[p * n + q] = h[order[p] * n + order[q]] } }
        var mean = 0.0
        for j in 0..<n { mean += hp[j * n + j] }
        mean /= Double(n)
        for j in 0..<n { hp[j * n + j] += options.damp * mean }
        // H⁻¹ = L⁻ᵀL⁻¹ column by column (solve L y = e_c, then Lᵀ z = y), then U = chol(H⁻¹)ᵀ.
        let l = try lowerCholesky(hp, n: n)
        var inverse = [Double](repeating: 0, count: n * n)
        for c in 0..<n {
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var s = i == c ? 1.0 : 0.0
                for t in 0..<i { s -= l[i * n + t] * y[t] }
                y[i] = s / l[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = y[i]
                for t in (i + 1)..<max(i + 1, n) { s -= l[t * n + i] * inverse[t * n + c] }
                inverse[i * n + c] = s / l[i * n + i]
            }
        }
        let l2 = try lowerCholesky(inverse, n: n)
        var u = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in i..<n { u[i * n + j] = l2[j * n + i] } }

        let g = problem.groupSize, grouped = GPTQ.isGrouped(problem.granularity), perRow = problem.groupsPerRow
        var wp = [Double](repeating: 0, count: rows * n)
        for r in 0..<rows { for p in 0..<n { wp[r * n + p] = w[r * n + order[p]] } }
        var codes = [UInt8](repeating: 0, count: rows * n), weight = [Float](repeating: 0, count: rows * n)
        var scales = params.map(\.scale), zeros = params.map { Int32($0.zeroPoint) }
        if grouped {
            scales = [Float](repeating: 1, count: rows * perRow)
            zeros = [Int32](repeating: 0, count: rows * perRow)
        }
        var columnError = [Double](repeating: 0, count: n), norms = columnError, running = columnError
        var total = 0.0
        for j in 0..<n {
            var errorSquares = 0.0
            for r in 0..<rows {
                if grouped && j % g == 0 {
                    params[r] = parameters(Array(wp[(r * n + j)..<(r * n + min(j + g, n))]))
                    scales[r * perRow + j / g] = params[r].scale
                    zeros[r * perRow + j / g] = Int32(params[r].zeroPoint)
                }
                let xf = Float(wp[r * n + j])
                let (q, v) = quantizer.quantize(xf, params[r])
                codes[r * n + order[j]] = MethodQuantizer.byte(q)
                weight[r * n + order[j]] = v
                let delta = wp[r * n + j] - Double(v)
                let e = delta / u[j * n + j]
                for t in (j + 1)..<max(j + 1, n) { wp[r * n + t] -= e * u[j * n + t] }
                columnError[j] += delta * delta
                errorSquares += e * e
                total += delta * delta / (2 * u[j * n + j] * u[j * n + j])
            }
            var s = 0.0
            for t in (j + 1)..<max(j + 1, n) { s += u[j * n + t] * u[j * n + t] }
            norms[j] = (errorSquares * s).squareRoot()
            running[j] = total
        }
        var groupIndex = [Int32](repeating: 0, count: n)
        for (p, c) in order.enumerated() { groupIndex[c] = Int32(p / g) }
        let methodCodes = MethodCodes(scheme: problem.scheme, granularity: problem.granularity, shape: problem.weight.shape,
                                      codes: codes, scales: scales, zeroPoints: zeros, groupsPerRow: perRow, groupIndex: groupIndex)
        let trace = GPTQTrace(order: order, columnError: columnError, updateNorm: norms, runningProxyError: running)
        return MethodOutcome(method: .gptq(options), weight: weight, codes: methodCodes, milliseconds: 0, trace: .gptq(trace))
    }

    /// Plain lower Cholesky in Float64.
    static func lowerCholesky(_ a: [Double], n: Int) throws(MethodError) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var d = a[j * n + j]
            for t in 0..<j { d -= l[j * n + t] * l[j * n + t] }
            guard d > 0, d.isFinite else { throw .notPositiveDefinite(column: j) }
            l[j * n + j] = d.squareRoot()
            for i in (j + 1)..<max(j + 1, n) {
                var s = a[i * n + j]
                for t in 0..<j { s -= l[i * n + t] * l[j * n + t] }
                l[i * n + j] = s / l[j * n + j]
            }
        }
        return l
    }
}
