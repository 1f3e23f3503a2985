import Foundation

/// The plain twin of `SmoothQuant`: loops, Float64 sums,
/// `ReferenceRoundToNearest` for the weights and
/// `ReferenceActivationQuantizer.int8` for each token (docs/contract.md §16.5).
enum SmoothQuantReference {
    /// s_j = max(max_t|x_tj|^α / max(max_o|w_oj|, 1e-5)^(1−α), 1e-5).
    static func scales(weight w: [Float], rows n: Int, columns k: Int, activations x: [Float], tokens m: Int, alpha: Double) -> [Float] {
        (0..<k).map { j -> Float in
            var a: Float = 0, b: Float = 0
            for t in 0..<m { a = max(a, abs(x[t * k + j])) }
            for o in 0..<n { b = max(b, abs(w[o * k + j])) }
            return Float(max(pow(Double(a), alpha) / pow(max(Double(b), 1e-5), 1 - alpha), 1e-5))
        }
    }

    /// Ŷ = Q_tok(X/s)·Q(W·s)ᵀ in Float64 (s = 1 for plain W8A8 when `smoothing` is false).
    static func output(weight w: [Float], rows n: Int, columns k: Int, activations x: [Float], tokens m: Int,
                       scheme: IntegerScheme, group: Int, alpha: Double, smoothing: Bool = true) -> [Float] {
        let s = smoothing ? scales(weight: w, rows: n, columns: k, activations: x, tokens: m, alpha: alpha)
                          : [Float](repeating: 1, count: k)
        var scaled = w
        for o in 0..<n { for j in 0..<k { scaled[o * k + j] = w[o * k + j] * s[j] } }
        let qw = ReferenceRoundToNearest.roundTrip(scaled, rows: n, columns: k, scheme: scheme, group: group)
        var y = [Float](repeating: 0, count: m * n)
        for t in 0..<m {
            let row = (0..<k).map { x[t * k + $0] / s[$0] }
            let q = ReferenceActivationQuantizer.int8(row, symmetric: true)
            for o in 0..<n {
                var sum = 0.0
                for j in 0..<k { sum += Double(q.scale * Float(q.codes[j])) * Double(qw[o * k + j]) }
                y[t * n + o] = Float(sum)
            }
        }
        return y
    }
}
