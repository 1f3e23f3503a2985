/// The plain twin of `W4A8Matmul`: each group's accumulator as Σ (q − Z)·a
/// over its own columns, element by element, then y = S_x·Σ_g S·acc in Float64.
enum ReferenceW4A8Matmul {
    /// acc[m, n, g], M×N×⌈K/G⌉.
    static func groupAccumulators(_ a: Int8Activations, _ w: Int4GroupWeights) -> [Int32] {
        let groups = w.groupsPerRow
        var out = [Int32](repeating: 0, count: a.rows * w.rows * groups)
        for i in 0..<a.rows {
            for j in 0..<w.rows {
                for g in 0..<groups {
                    var sum: Int32 = 0
                    let z = Int32(w.zeroPoints[j * groups + g])
                    for c in (g * w.groupSize)..<min(w.columns, (g + 1) * w.groupSize) {
                        sum += (Int32(w.code(row: j, column: c)) - z) * Int32(a.code(row: i, column: c))
                    }
                    out[(i * w.rows + j) * groups + g] = sum
                }
            }
        }
        return out
    }

    /// y[m, n], and S_x·Σ_g |S|·Σ_{k∈g} |(q − Z)·a| (the float sum's error scale).
    static func multiply(_ a: Int8Activations, _ w: Int4GroupWeights) -> (y: [Float], magnitudes: [Double]) {
        let acc = groupAccumulators(a, w), groups = w.groupsPerRow
        var y = [Float](repeating: 0, count: a.rows * w.rows)
        var mags = [Double](repeating: 0, count: a.rows * w.rows)
        for i in 0..<a.rows {
            for j in 0..<w.rows {
                var sum = 0.0, mag = 0.0
                for g in 0..<groups {
                    let s = Double(w.scales[j * groups + g]), z = Int(w.zeroPoints[j * groups + g])
                    sum += s * Double(acc[(i * w.rows + j) * groups + g])
                    var terms = 0
                    for c in (g * w.groupSize)..<min(w.columns, (g + 1) * w.groupSize) {
                        terms += abs((Int(w.code(row: j, column: c)) - z) * Int(a.code(row: i, column: c)))
                    }
                    mag += abs(s) * Double(terms)
                }
                y[i * w.rows + j] = Float(Double(a.scales[i]) * sum)
                mags[i * w.rows + j] = abs(Double(a.scales[i])) * mag
            }
        }
        return (y, mags)
    }
}
