import Foundation

/// Activation-aware weight quantization (Lin et al. 2023; docs/contract.md §16.4).
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
        var bestIndex = 0
        // Only the losses are kept per grid point; the chosen one is redone
        // at the end (same arithmetic, same bits), which saves two copies of W.
        var previous: QuantizedTensor?
        // Progress counts grid points and clip steps (the quantizer is not
        // handed the token: it would restart the count on every call).
        token?.expect(options.gridSize + (options.clipSearch ? clipSteps : 0))
        for i in 0..<options.gridSize {
            if token?.isCancelled == true { throw .cancelled }
            let alpha = Double(i) / Double(options.gridSize)
            let s = scales(a, alpha: alpha)
            var scaled = w
            scale(&scaled, columns: k, by: s)
            let q = try Quantizer.quantize(Tensor(shape: [n, k], values: scaled), scheme: .integer(scheme),
                                           granularity: granularity, recycling: previous.take())
            let loss = outputMeanSquaredError(x, tokens: m, difference(w, q.dequantized, columns: k, scales: s), rows: n, columns: k)
            previous = q
            alphas.append(alpha)
            losses.append(loss)
            if loss < losses[bestIndex] { bestIndex = i }
            token?.advance(1)
        }
        previous = nil
        let s = scales(a, alpha: alphas[bestIndex])
        var trace = AWQTrace(activationMagnitude: a, gridAlphas: alphas, gridLosses: losses,
                             chosenIndex: bestIndex, scales: s, clipRatios: nil, clippedLoss: nil)
        guard options.clipSearch else {
            let (hat, q) = try scaledRoundTrip(w, rows: n, columns: k, scales: s, scheme: scheme, granularity: granularity)
            return (hat, q, trace)
        }
        let clipped = try clipSearch(w, rows: n, columns: k, activations: x, tokens: m, scales: s,
                                     scheme: scheme, granularity: granularity, token: token)
        trace.clipRatios = clipped.ratios
        trace.clippedLoss = outputMeanSquaredError(x, tokens: m, difference(w, clipped.weight), rows: n, columns: k)
        return (clipped.weight, clipped.codes, trace)
    }

    /// AWQ takes the granularities whose groups stay within a row of W·diag(s)
    /// (`channel`, `group:G`) and `tensor`; not `block` or another channel axis.
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

    /// ||X·Dᵀ||² / (M·N) for D = W − Ŵ (N×K): the output MSE ||X·Wᵀ − X·Ŵᵀ||² / (M·N)
    /// as one product on `Float32Matmul`, with no cancellation between two
    /// large outputs; `tokenChunk` tokens at a time, so 65536 calibration
    /// tokens of a 4096-output layer need 16 MB of output, not 1 GB.
    static func outputMeanSquaredError(_ x: [Float], tokens m: Int, _ d: [Float], rows n: Int, columns k: Int) -> Double {
        guard m > 0, n > 0 else { return 0 }
        var sum = 0.0
        var y = [Float](repeating: 0, count: min(m, tokenChunk) * n)
        x.withUnsafeBufferPointer { xb in
            d.withUnsafeBufferPointer { db in
                y.withUnsafeMutableBufferPointer { yb in
                    var t = 0
                    while t < m {
                        let rows = min(tokenChunk, m - t)
                        let part = UnsafeMutableBufferPointer(rebasing: yb[0..<(rows * n)])
                        Float32Matmul.multiply(UnsafeBufferPointer(rebasing: xb[(t * k)..<((t + rows) * k)]), db,
                                               m: rows, n: n, k: k, into: part)
                        for e in part { sum += Double(e) * Double(e) }
                        t += rows
                    }
                }
            }
        }
        return sum / Double(m * n)
    }

    /// Tokens per product in `outputMeanSquaredError`.
    static let tokenChunk = 1024

    /// W − Ŵ.
    static func difference(_ w: [Float], _ hat: [Float]) -> [Float] {
        [Float](unsafeUninitializedCapacity: w.count) { out, count in
            w.withUnsafeBufferPointer { a in
                hat.withUnsafeBufferPointer { b in
                    for i in 0..<a.count { out[i] = a[i] - b[i] }
                }
            }
            count = w.count
        }
    }

    /// W − Q·diag(1/s): the same Float32 steps as `unscale` then `difference`.
    static func difference(_ w: [Float], _ q: [Float], columns k: Int, scales s: [Float]) -> [Float] {
        [Float](unsafeUninitializedCapacity: w.count) { out, count in
            w.withUnsafeBufferPointer { a in
                q.withUnsafeBufferPointer { b in
                    s.withUnsafeBufferPointer { sb in
                        var r = 0
                        while r < a.count {
                            for j in 0..<k { out[r + j] = a[r + j] - b[r + j] / sb[j] }
                            r += k
                        }
                    }
                }
            }
            count = w.count
        }
    }
}
