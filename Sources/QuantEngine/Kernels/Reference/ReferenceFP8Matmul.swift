/// The plain twin of `FP8Matmul`: quantize each token with
/// `ReferenceActivationQuantizer.e4m3`, decode both sides through the
/// 256-entry table, and sum the products in Float64.
enum ReferenceFP8Matmul {
    /// y[m, n] and Σ_k |S_x·S_w·w·x| per output (the float sum's error scale).
    static func multiply(_ x: [Float], m: Int, _ w: FP8Weights) -> (y: [Float], magnitudes: [Double], codes: [UInt8], scales: [Float]) {
        let k = w.columns, table = FP8Matmul.decodeTable
        var y = [Float](repeating: 0, count: m * w.rows), mags = [Double](repeating: 0, count: m * w.rows)
        var allCodes: [UInt8] = [], scales: [Float] = []
        for i in 0..<m {
            let (codes, sx) = ReferenceActivationQuantizer.e4m3(Array(x[(i * k)..<((i + 1) * k)]))
            allCodes += codes
            scales.append(sx)
            for j in 0..<w.rows {
                var sum = 0.0, mag = 0.0
                for c in 0..<k {
                    let p = Double(table[Int(w.code(row: j, column: c))]) * Double(table[Int(codes[c])])
                    sum += p
                    mag += abs(p)
                }
                let s = Double(sx) * Double(w.scale(row: j))
                y[i * w.rows + j] = Float(s * sum)
                mags[i * w.rows + j] = abs(s) * mag
            }
        }
        return (y, mags, allCodes, scales)
    }
}
