/// The plain twin of `W4A16Matmul`: dequantize each weight, S·(q − Z), one
/// at a time, and sum its products with the activations in Float64.
enum ReferenceW4A16Matmul {
    static func multiply(_ x: [Float], m: Int, _ w: Int4GroupWeights) -> [Float] {
        let k = w.columns
        var y = [Float](repeating: 0, count: m * w.rows)
        for i in 0..<m {
            for j in 0..<w.rows {
                var sum = 0.0
                for c in 0..<k { sum += Double(w.value(row: j, column: c)) * Double(x[i * k + c]) }
                y[i * w.rows + j] = Float(sum)
            }
        }
        return y
    }

    /// Σ_k |S|·(q + Z)·|x| per output: the size of the terms the fast GEMV
    /// rounds before they cancel (it adds Σqx and −ZΣx).
    static func magnitudes(_ x: [Float], m: Int, _ w: Int4GroupWeights) -> [Double] {
        let k = w.columns
        var out = [Double](repeating: 0, count: m * w.rows)
        for i in 0..<m {
            for j in 0..<w.rows {
                var sum = 0.0
                for c in 0..<k {
                    let g = j * w.groupsPerRow + c / w.groupSize
                    let q = Double(w.code(row: j, column: c)), z = Double(w.zeroPoints[g])
                    sum += abs(Double(w.scales[g])) * (q + z) * abs(Double(x[i * k + c]))
                }
                out[i * w.rows + j] = sum
            }
        }
        return out
    }
}
