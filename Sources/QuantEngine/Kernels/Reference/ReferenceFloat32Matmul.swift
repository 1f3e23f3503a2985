/// The plain twin of `Float32Matmul`: every output a Float64 sum of Float64
/// products in column order, rounded once to Float32.
enum ReferenceFloat32Matmul {
    /// Y = X·Wᵀ; X is M×K, W is N×K, Y is M×N (all row-major).
    static func multiply(_ x: [Float], _ w: [Float], m: Int, n: Int, k: Int) -> [Float] {
        precondition(x.count == m * k && w.count == n * k)
        var y = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for c in 0..<k { sum += Double(x[i * k + c]) * Double(w[j * k + c]) }
                y[i * n + j] = Float(sum)
            }
        }
        return y
    }

    /// Σ_k |x·w| for every output: the scale of a float sum's rounding error.
    static func magnitudes(_ x: [Float], _ w: [Float], m: Int, n: Int, k: Int) -> [Double] {
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for c in 0..<k { sum += abs(Double(x[i * k + c]) * Double(w[j * k + c])) }
                out[i * n + j] = sum
            }
        }
        return out
    }
}
