/// The plain twin of `W8A8Matmul`: quantize each token with
/// `ReferenceActivationQuantizer`, then for every output subtract the
/// zero-point from each activation code before multiplying — no row sums,
/// no correction term — and scale once.
enum ReferenceW8A8Matmul {
    /// The activations' codes (M×K, unpadded), scales and zero-points.
    static func quantize(_ x: [Float], m: Int, k: Int, mode: Int8Activations.Mode) -> (codes: [Int8], scales: [Float], zeroPoints: [Int32]) {
        var codes: [Int8] = [], scales: [Float] = [], zeros: [Int32] = []
        for i in 0..<m {
            let q = ReferenceActivationQuantizer.int8(Array(x[(i * k)..<((i + 1) * k)]), symmetric: mode == .symmetric)
            codes += q.codes
            scales.append(q.scale)
            zeros.append(q.zeroPoint)
        }
        return (codes, scales, zeros)
    }

    /// acc[m, n] = Σ_k q_w[n, k]·(q_x[m, k] − Z_x[m]), M×N.
    static func accumulators(_ a: Int8Activations, _ w: Int8ChannelWeights) -> [Int32] {
        var acc = [Int32](repeating: 0, count: a.rows * w.rows)
        for i in 0..<a.rows {
            for j in 0..<w.rows {
                var sum: Int32 = 0
                for c in 0..<a.columns {
                    sum += Int32(w.code(row: j, column: c)) * (Int32(a.code(row: i, column: c)) - a.zeroPoints[i])
                }
                acc[i * w.rows + j] = sum
            }
        }
        return acc
    }

    /// y[m, n] = Float(acc)·(S_x[m]·S_w[n]).
    static func multiply(_ a: Int8Activations, _ w: Int8ChannelWeights) -> [Float] {
        let acc = accumulators(a, w)
        var y = [Float](repeating: 0, count: a.rows * w.rows)
        for i in 0..<a.rows {
            for j in 0..<w.rows { y[i * w.rows + j] = Float(acc[i * w.rows + j]) * (a.scales[i] * w.scales[j]) }
        }
        return y
    }
}
