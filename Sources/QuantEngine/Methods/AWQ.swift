import Foundation

/// Activation-aware weight quantization (Lin et al. 2023; docs/contract.md §16, AWQ).
///
/// Input channels that see large activations matter more to the output,
/// so AWQ scales them up before rounding (their weights get relatively
/// finer steps) and back down after:
///
/// ```
///  a_j = mean_t |X_tj|                          per input channel
///  s   = max(a^α, 1e-4);  s ← s / √(max s · min s)    α = 0, 1/n, …, (n−1)/n
///  Ŵ   = Q(W·diag(s)) · diag(1/s)               Q = RTN at the scheme and granularity
///  α*  = argmin ||X·Wᵀ − X·Ŵᵀ||² / (M·N)         on the calibration activations
/// ```
/// α = 0 gives s = 1, which is plain RTN, so the chosen α never does worse
/// than RTN on the calibration set. In a deployed model 1/s folds into the
/// previous operator (X·diag(1/s)); here Ŵ is returned in the original
/// activation space, X·Ŵᵀ being the same product.
///
/// The optional clip search (the reference's `auto_clip`) then shrinks each
/// group's max|w| of W·diag(s) by the ratio 1 − i/20, i = 0…9, clamps the
/// group to ±that, and keeps per group the ratio whose partial output
/// Σ_{j∈group} X_tj·s_j⁻¹·(W·s)_oj has the least squared error over every
/// ⌊M/512⌋-th token (`AWQ+Clip.swift`).
///
/// Float32 throughout except a_j, s and the losses (Float64); the products
/// run on `Float32Matmul` (both cores). `AWQReference` is the plain twin.
public enum AWQ {
    /// Quantizes W (N×K, row-major, a PyTorch Linear weight) with AWQ.
    /// - Parameters:
    ///   - x: calibration activations, M×K row-major.
    ///   - granularity: `channel` (axis 0: one scale per output row), `group:G`
    ///     or `tensor` (whose clip search clamps each row, then one scale
    ///     serves them all).
    /// - Returns: Ŵ in the original activation space (N×K), the RTN result
    ///   of W·diag(s) (clamped, with the clip search) it came from, and the trace.
    public static func quantize(weight w: [Float], rows n: Int, columns k: Int, activations x: [Float], tokens m: Int,
                                scheme: IntegerScheme, granularity: Granularity, options: AWQOptions = AWQOptions(),
                                token: WorkToken? = nil) throws(QuantizationError) -> (weight: [Float], codes: QuantizedTensor, trace: AWQTrace) {
        precondition(w.count == n * k && x.count == m * k, "AWQ: W is \(n)×\(k), X is \(m)×\(k)")
        try validate(granularity)
        let a = activationMagnitude(x, tokens: m, columns: k)
        var alphas: [Double] = [], losses: [Double] = []
        var best: (index: Int, weight: [Float], codes: QuantizedTensor, scales: [Float])?
        for i in 0..<options.gridSize {
            if token?.isCancelled == true { throw .cancelled }
            let alpha = Double(i) / Double(options.gridSize)
            let s = scales(a, alpha: alpha)
            let (hat, q) = try scaledRoundTrip(w, rows: n, columns: k, scales: s, scheme: scheme, granularity: granularity)
            let loss = outputMeanSquaredError(x, tokens: m, w, hat, rows: n, columns: k)
            alphas.append(alpha)
            losses.append(loss)
            if best == nil || loss < losses[best!.index] { best = (i, hat, q, s) }
        }
        guard let chosen = best else { preconditionFailure("AWQ: an empty grid") }
        var trace = AWQTrace(activationMagnitude: a, gridAlphas: alphas, gridLosses: losses,
                             chosenIndex: chosen.index, scales: chosen.scales, clipRatios: nil, clippedLoss: nil)
        guard options.clipSearch else { return (chosen.weight, chosen.codes, trace) }
        let clipped = try clipSearch(w, rows: n, columns: k, activations: x, tokens: m, scales: chosen.scales,
                                     scheme: scheme, granularity: granularity, token: token)
        trace.clipRatios = clipped.ratios
        trace.clippedLoss = outputMeanSquaredError(x, tokens: m, w, clipped.weight, rows: n, columns: k)
        return (clipped.weight, clipped.codes, trace)
    }

    /// AWQ scales one output row (`channel`) or a run of G inputs of one row (`group:G`).
    static func validate(_ granularity: Granularity) throws(QuantizationError) {
        switch granularity {
        case .tensor, .channel(axis: 0), .group: return
        default:
            throw .granularityNotSupported(scheme: "awq", granularity: "\(granularity)", allowed: "tensor, channel or group:G")
        }
    }

    /// a_j = mean over tokens of |X_tj|, summed in Float64.
    static func activationMagnitude(_ x: [Float], tokens m: Int, columns k: Int) -> [Float] {
        var sums = [Double](repeating: 0, count: k)
        x.withUnsafeBufferPointer { xb in
            sums.withUnsafeMutableBufferPointer { s in
                for t in 0..<m {
                    let row = xb.baseAddress! + t * k
                    for j in 0..<k { s[j] += Double(abs(row[j])) }
                }
            }
        }
        return sums.map { Float($0 / Double(max(m, 1))) }
    }

    /// s = max(a^α, 1e-4), divided by √(max s · min s), in Float64, then Float32.
    static func scales(_ a: [Float], alpha: Double) -> [Float] {
        let raw = a.map { max(pow(Double($0), alpha), 1e-4) }
        guard let hi = raw.max(), let lo = raw.min() else { return [] }
        let norm = (hi * lo).squareRoot()
        return raw.map { Float($0 / norm) }
    }

    /// Q(W·diag(s))·diag(1/s): RTN in the scaled space, mapped back.
    static func scaledRoundTrip(_ w: [Float], rows n: Int, columns k: Int, scales s: [Float],
                                scheme: IntegerScheme, granularity: Granularity) throws(QuantizationError) -> ([Float], QuantizedTensor) {
        var scaled = w
        scale(&scaled, columns: k, by: s)
        let q = try Quantizer.quantize(Tensor(shape: [n, k], values: scaled), scheme: .integer(scheme), granularity: granularity)
        var hat = q.dequantized
        unscale(&hat, columns: k, by: s)
        return (hat, q)
    }

    /// Multiplies column j of a row-major matrix by s_j.
    static func scale(_ m: inout [Float], columns k: Int, by s: [Float]) {
        m.withUnsafeMutableBufferPointer { v in
            s.withUnsafeBufferPointer { sb in
                var r = 0
                while r < v.count {
                    for j in 0..<k { v[r + j] *= sb[j] }
                    r += k
                }
            }
        }
    }

    /// Divides column j of a row-major matrix by s_j.
    static func unscale(_ m: inout [Float], columns k: Int, by s: [Float]) {
        m.withUnsafeMutableBufferPointer { v in
            s.withUnsafeBufferPointer { sb in
                var r = 0
                while r < v.count {
                    for j in 0..<k { v[r + j] /= sb[j] }
                    r += k
                }
            }
        }
    }

    /// ||X·Wᵀ − X·Ŵᵀ||² / (M·N), computed as X·(W − Ŵ)ᵀ on `Float32Matmul`
    /// (one product, and no cancellation between two large outputs).
    static func outputMeanSquaredError(_ x: [Float], tokens m: Int, _ w: [Float], _ hat: [Float], rows n: Int, columns k: Int) -> Double {
        guard m > 0, n > 0 else { return 0 }
        var d = w
        for i in d.indices { d[i] -= hat[i] }
        let y = Float32Matmul.multiply(x, d, m: m, n: n, k: k)
        return sumOfSquares(y) / Double(m * n)
    }

    /// Σ v² in Float64.
    static func sumOfSquares(_ v: [Float]) -> Double {
        v.withUnsafeBufferPointer { b in
            var s = 0.0
            for e in b { s += Double(e) * Double(e) }
            return s
        }
    }
}
