/// AWQ's clip search (the reference's `auto_clip`, docs/contract.md §16.4).
///
/// After scaling, each group's weights (a run of G inputs of one output row,
/// or the whole row for `channel`) may round better if their range is cut:
/// for ratio r = 1 − i/20, i = 0…9, clamp the group of W·diag(s) to
/// ±r·max|w| and quantize; the error of the group is the mean over sampled
/// tokens of (Σ_{j∈group} X'_tj·(W'_oj − Q_oj))², X' = X·diag(1/s), against the
/// unclamped W'. Each group keeps its own best ratio (ties to the larger one);
/// groups quantize independently, so one pass per ratio serves all groups.
extension AWQ {
    /// Clip ratios tried per group: 1 − i/`clipGrid` for i in 0..<`clipSteps`
    /// (the reference's max_shrink·n_grid = 0.5·20 = 10 steps, 1.0 down to 0.55).
    public static let clipSteps = 10
    /// The denominator of the clip ratios (the reference's n_grid = 20).
    public static let clipGrid = 20
    /// The clip search looks at every ⌊M / this⌋-th token (the reference's n_sample_token = 512).
    public static let clipSampleTokens = 512

    /// The clip ratio of step `i`, as Float32 (the reference multiplies a
    /// float32 max by the Python float 1 − i/n_grid, which torch rounds to float32).
    public static func clipRatio(_ i: Int) -> Float { Float(1 - Double(i) / Double(clipGrid)) }

    static func clipSearch(_ w: [Float], rows n: Int, columns k: Int, activations x: [Float], tokens m: Int,
                           scales s: [Float], scheme: IntegerScheme, granularity: Granularity,
                           token: WorkToken?) throws(QuantizationError) -> (weight: [Float], codes: QuantizedTensor, ratios: [Float]) {
        let g = groupSize(granularity, columns: k)
        let perRow = (k + g - 1) / g
        var scaled = w
        scale(&scaled, columns: k, by: s)
        let sample = sampledTokens(x, tokens: m, columns: k)
        var xs = sample.values
        unscale(&xs, columns: k, by: s)
        let groupMax = groupMaxima(scaled, rows: n, columns: k, group: g)
        var bestError = [Double](repeating: .infinity, count: n * perRow)
        var bestRatio = [Float](repeating: 1, count: n * perRow)
        for i in 0..<clipSteps {
            if token?.isCancelled == true { throw .cancelled }
            let r = clipRatio(i)
            let clamped = clamp(scaled, rows: n, columns: k, group: g, maxima: groupMax, ratio: r)
            let q = try Quantizer.quantize(Tensor(shape: [n, k], values: clamped), scheme: .integer(scheme), granularity: granularity)
            let d = difference(scaled, q.dequantized)
            let errors = groupOutputErrors(xs, tokens: sample.count, d, rows: n, columns: k, group: g)
            for e in errors.indices where errors[e] < bestError[e] {
                bestError[e] = errors[e]
                bestRatio[e] = r
            }
            token?.advance(1)
        }
        let clamped = clamp(scaled, rows: n, columns: k, group: g, maxima: groupMax, ratios: bestRatio)
        let q = try Quantizer.quantize(Tensor(shape: [n, k], values: clamped), scheme: .integer(scheme), granularity: granularity)
        var hat = q.dequantized
        unscale(&hat, columns: k, by: s)
        return (hat, q, bestRatio)
    }

    /// Inputs per group along a row: G, or K for `channel`.
    static func groupSize(_ granularity: Granularity, columns k: Int) -> Int {
        if case .group(let size) = granularity { return max(1, min(size, k)) }
        return max(1, k)
    }

    /// Every ⌊M / n_sample⌋-th token from the first (all of them when M < 2·n_sample).
    static func sampledTokens(_ x: [Float], tokens m: Int, columns k: Int) -> (values: [Float], count: Int) {
        let step = max(1, m / clipSampleTokens)
        guard step > 1 else { return (x, m) }
        var out: [Float] = []
        var t = 0
        while t < m {
            out.append(contentsOf: x[(t * k)..<((t + 1) * k)])
            t += step
        }
        return (out, out.count / max(k, 1))
    }

    /// max|w| of each group, group order (row, then run along the row).
    static func groupMaxima(_ w: [Float], rows n: Int, columns k: Int, group g: Int) -> [Float] {
        let perRow = (k + g - 1) / g
        return [Float](unsafeUninitializedCapacity: n * perRow) { out, count in
            w.withUnsafeBufferPointer { wb in
                for o in 0..<n {
                    for b in 0..<perRow {
                        var a: Float = 0
                        for j in (b * g)..<min(k, (b + 1) * g) { a = max(a, abs(wb[o * k + j])) }
                        out[o * perRow + b] = a
                    }
                }
            }
            count = n * perRow
        }
    }

    /// W with each group clamped to ±max·ratio (one ratio for all groups).
    static func clamp(_ w: [Float], rows n: Int, columns k: Int, group g: Int, maxima: [Float], ratio: Float) -> [Float] {
        clamp(w, rows: n, columns: k, group: g, maxima: maxima, ratios: [Float](repeating: ratio, count: maxima.count))
    }

    /// W with group i clamped to ±maxima[i]·ratios[i].
    static func clamp(_ w: [Float], rows n: Int, columns k: Int, group g: Int, maxima: [Float], ratios: [Float]) -> [Float] {
        let perRow = (k + g - 1) / g
        return [Float](unsafeUninitializedCapacity: w.count) { out, count in
            w.withUnsafeBufferPointer { wb in
                for o in 0..<n {
                    for b in 0..<perRow {
                        let limit = maxima[o * perRow + b] * ratios[o * perRow + b]
                        for j in (b * g)..<min(k, (b + 1) * g) { out[o * k + j] = min(max(wb[o * k + j], -limit), limit) }
                    }
                }
            }
            count = w.count
        }
    }

    /// Per group (row o, run b): mean over tokens of (Σ_{j∈run} X_tj·D_oj)²,
    /// one `Float32Matmul` per run of columns (on both cores).
    static func groupOutputErrors(_ x: [Float], tokens t: Int, _ d: [Float], rows n: Int, columns k: Int, group g: Int) -> [Double] {
        let perRow = (k + g - 1) / g
        var out = [Double](repeating: 0, count: n * perRow)
        guard t > 0 else { return out }
        var xg = [Float](repeating: 0, count: t * g), dg = [Float](repeating: 0, count: n * g)
        var y = [Float](repeating: 0, count: t * n)
        for b in 0..<perRow {
            let lo = b * g, width = min(k, lo + g) - lo
            x.withUnsafeBufferPointer { xb in
                d.withUnsafeBufferPointer { db in
                    xg.withUnsafeMutableBufferPointer { xo in
                        dg.withUnsafeMutableBufferPointer { dout in
                            for r in 0..<t { for j in 0..<width { xo[r * width + j] = xb[r * k + lo + j] } }
                            for o in 0..<n { for j in 0..<width { dout[o * width + j] = db[o * k + lo + j] } }
                        }
                    }
                }
            }
            xg.withUnsafeBufferPointer { xb in
                dg.withUnsafeBufferPointer { db in
                    y.withUnsafeMutableBufferPointer { Float32Matmul.multiply(xb, db, m: t, n: n, k: width, into: $0) }
                }
            }
            y.withUnsafeBufferPointer { yb in
                out.withUnsafeMutableBufferPointer { ob in
                    for r in 0..<t {
                        for o in 0..<n { ob[o * perRow + b] += Double(yb[r * n + o]) * Double(yb[r * n + o]) }
                    }
                    for o in 0..<n { ob[o * perRow + b] /= Double(t) }
                }
            }
        }
        return out
    }
}
