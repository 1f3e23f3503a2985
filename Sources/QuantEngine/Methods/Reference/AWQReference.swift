import Foundation

/// The plain twin of `AWQ`: the same search written as loops over Float64
/// sums, with `ReferenceRoundToNearest` for Q, for the tests to hold the
/// fast path against (docs/contract.md §16.4).
enum AWQReference {
    static func quantize(weight w: [Float], rows n: Int, columns k: Int, activations x: [Float], tokens m: Int,
                         scheme: IntegerScheme, group: Int, options: AWQOptions = AWQOptions()) -> (weight: [Float], trace: AWQTrace) {
        // a_j = mean_t |x_tj|
        var a = [Float](repeating: 0, count: k)
        for j in 0..<k {
            var sum = 0.0
            for t in 0..<m { sum += Double(abs(x[t * k + j])) }
            a[j] = Float(sum / Double(max(m, 1)))
        }
        var alphas: [Double] = [], losses: [Double] = []
        var bestIndex = 0, bestWeight: [Float] = [], bestScales: [Float] = []
        for i in 0..<options.gridSize {
            let alpha = Double(i) / Double(options.gridSize)
            // s = max(a^α, 1e-4) / √(max · min)
            var raw = [Double](repeating: 0, count: k)
            for j in 0..<k { raw[j] = max(pow(Double(a[j]), alpha), 1e-4) }
            let norm = (raw.max()! * raw.min()!).squareRoot()
            let s = raw.map { Float($0 / norm) }
            // Ŵ = Q(W·s) / s
            var scaled = w
            for o in 0..<n { for j in 0..<k { scaled[o * k + j] = w[o * k + j] * s[j] } }
            var hat = ReferenceRoundToNearest.roundTrip(scaled, rows: n, columns: k, scheme: scheme, group: group)
            for o in 0..<n { for j in 0..<k { hat[o * k + j] = hat[o * k + j] / s[j] } }
            let loss = outputMeanSquaredError(x, tokens: m, w, hat, rows: n, columns: k)
            alphas.append(alpha)
            losses.append(loss)
            if i == 0 || loss < losses[bestIndex] {
                bestIndex = i
                bestWeight = hat
                bestScales = s
            }
        }
        var trace = AWQTrace(activationMagnitude: a, gridAlphas: alphas, gridLosses: losses, chosenIndex: bestIndex,
                             scales: bestScales, clipRatios: nil, clippedLoss: nil)
        guard options.clipSearch else { return (bestWeight, trace) }
        let clipped = clip(w, rows: n, columns: k, activations: x, tokens: m, scales: bestScales, scheme: scheme, group: group)
        trace.clipRatios = clipped.ratios
        trace.clippedLoss = outputMeanSquaredError(x, tokens: m, w, clipped.weight, rows: n, columns: k)
        return (clipped.weight, trace)
    }

    /// The clip search: per group, the ratio r = 1 − i/20 (i < 10) whose
    /// clamp-then-RTN gives the least mean squared partial output over the
    /// sampled tokens of X/s.
    static func clip(_ w: [Float], rows n: Int, columns k: Int, activations x: [Float], tokens m: Int, scales s: [Float],
                     scheme: IntegerScheme, group: Int) -> (weight: [Float], ratios: [Float]) {
        let g = max(1, min(group, k)), perRow = (k + g - 1) / g
        var scaled = w
        for o in 0..<n { for j in 0..<k { scaled[o * k + j] = w[o * k + j] * s[j] } }
        let step = max(1, m / AWQ.clipSampleTokens)
        let sampled = Array(stride(from: 0, to: m, by: step))
        var best = [Double](repeating: .infinity, count: n * perRow)
        var ratios = [Float](repeating: 1, count: n * perRow)
        var maxima = [Float](repeating: 0, count: n * perRow)
        for o in 0..<n {
            for b in 0..<perRow {
                for j in (b * g)..<min(k, (b + 1) * g) { maxima[o * perRow + b] = max(maxima[o * perRow + b], abs(scaled[o * k + j])) }
            }
        }
        func clamped(_ r: [Float]) -> [Float] {
            var out = scaled
            for o in 0..<n {
                for b in 0..<perRow {
                    let limit = maxima[o * perRow + b] * r[o * perRow + b]
                    for j in (b * g)..<min(k, (b + 1) * g) { out[o * k + j] = min(max(scaled[o * k + j], -limit), limit) }
                }
            }
            return out
        }
        for i in 0..<AWQ.clipSteps {
            let r = Float(1 - Double(i) / Double(AWQ.clipGrid))
            let q = ReferenceRoundToNearest.roundTrip(clamped([Float](repeating: r, count: n * perRow)),
                                                      rows: n, columns: k, scheme: scheme, group: g)
            for o in 0..<n {
                for b in 0..<perRow {
                    var err = 0.0
                    for t in sampled {
                        var partial = 0.0
                        for j in (b * g)..<min(k, (b + 1) * g) {
                            let xs = x[t * k + j] / s[j]
                            partial += Double(xs) * (Double(scaled[o * k + j]) - Double(q[o * k + j]))
                        }
                        err += partial * partial
                    }
                    err /= Double(sampled.count)
                    if err < best[o * perRow + b] {
                        best[o * perRow + b] = err
                        ratios[o * perRow + b] = r
                    }
                }
            }
        }
        var hat = ReferenceRoundToNearest.roundTrip(clamped(ratios), rows: n, columns: k, scheme: scheme, group: g)
        for o in 0..<n { for j in 0..<k { hat[o * k + j] = hat[o * k + j] / s[j] } }
        return (hat, ratios)
    }

    /// Σ_t Σ_o (Σ_j x_tj·(w_oj − ŵ_oj))² / (M·N), all in Float64.
    static func outputMeanSquaredError(_ x: [Float], tokens m: Int, _ w: [Float], _ hat: [Float], rows n: Int, columns k: Int) -> Double {
        guard m > 0, n > 0 else { return 0 }
        var sum = 0.0
        for t in 0..<m {
            for o in 0..<n {
                var y = 0.0
                for j in 0..<k { y += Double(x[t * k + j]) * (Double(w[o * k + j]) - Double(hat[o * k + j])) }
                sum += y * y
            }
        }
        return sum / Double(m * n)
    }
}
