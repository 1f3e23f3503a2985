import Foundation

/// SmoothQuant (Xiao et al. 2022; docs/contract.md §16.5): W8A8
/// with the activation outliers migrated into the weights.
///
/// Per-token int8 activations lose a token's small features when one
/// feature column is 20–50× the rest. SmoothQuant divides each input
/// channel of X by s_j and multiplies the same column of W by it (X·Wᵀ is
/// unchanged), then quantizes both:
///
/// ```
///  s_j = max(max_t|X_tj|^α / max(max_o|W_oj|, 1e-5)^(1−α), 1e-5)    (the reference's clamps)
///  W'  = W·diag(s)        quantized at the scheme and granularity (int8, channel)
///  X'  = X·diag(1/s)      quantized int8 per token, symmetric, dynamic
///  Ŷ   = X̂'·Ŵ'ᵀ
/// ```
/// Its output error therefore includes activation rounding; the fair RTN
/// comparison is plain W8A8 (`output(… scales: nil)`: the same two
/// quantizers without smoothing), not weight-only RTN.
/// Float32 except s (Float64, then Float32); the product runs on `Float32Matmul`.
/// `SmoothQuantReference` is the plain twin.
public enum SmoothQuant {
    /// The reference's default migration strength.
    public static let defaultAlpha = 0.5

    /// The smoothing scales and the per-channel maxima before and after.
    public static func migrate(weight w: [Float], rows n: Int, columns k: Int, activations x: [Float], tokens m: Int,
                               alpha: Double = defaultAlpha) -> SmoothQuantTrace {
        precondition(w.count == n * k && x.count == m * k, "SmoothQuant: W is \(n)×\(k), X is \(m)×\(k)")
        let actMax = columnMaxima(x, rows: m, columns: k)
        let wMax = columnMaxima(w, rows: n, columns: k)
        let s = zip(actMax, wMax).map { a, b -> Float in
            let ws = max(Double(b), 1e-5)
            return Float(max(pow(Double(a), alpha) / pow(ws, 1 - alpha), 1e-5))
        }
        var xs = x, ws = w
        AWQ.unscale(&xs, columns: k, by: s)
        AWQ.scale(&ws, columns: k, by: s)
        return SmoothQuantTrace(alpha: alpha, scales: s, activationMaxBefore: actMax,
                                activationMaxAfter: columnMaxima(xs, rows: m, columns: k),
                                weightMaxBefore: wMax, weightMaxAfter: columnMaxima(ws, rows: n, columns: k))
    }

    /// Smooths and quantizes W: returns Q(W·diag(s)) (the smoothed weight,
    /// in the space of X·diag(1/s)) and the trace.
    public static func quantize(weight w: [Float], rows n: Int, columns k: Int, activations x: [Float], tokens m: Int,
                                scheme: IntegerScheme = IntegerScheme(bits: 8, mode: .symmetric),
                                granularity: Granularity = .channel(axis: 0),
                                alpha: Double = defaultAlpha) throws(QuantizationError) -> (codes: QuantizedTensor, trace: SmoothQuantTrace) {
        let trace = migrate(weight: w, rows: n, columns: k, activations: x, tokens: m, alpha: alpha)
        var scaled = w
        AWQ.scale(&scaled, columns: k, by: trace.scales)
        let q = try Quantizer.quantize(Tensor(shape: [n, k], values: scaled), scheme: .integer(scheme), granularity: granularity)
        return (q, trace)
    }

    /// The W8A8 output Ŷ = Q_tok(X·diag(1/s)) · Q(W·diag(s))ᵀ (M×N), where
    /// `smoothed` is Q(W·diag(s)) from `quantize` (or, with `scales` nil,
    /// plain RTN Q(W): plain W8A8). Activations: int8 symmetric per token
    /// (`Int8Activations`), dequantized S_t·q. `LayerEvaluation` computes
    /// the same product from a `MethodOutcome`.
    public static func output(activations x: [Float], tokens m: Int, columns k: Int, smoothedWeight ws: [Float], rows n: Int,
                              scales s: [Float]?) -> [Float] {
        var xs = x
        if let s { AWQ.unscale(&xs, columns: k, by: s) }
        let q = Int8Activations(quantizing: xs, rows: m, columns: k, mode: .symmetric)
        let stride = q.rowStride
        let xhat = [Float](unsafeUninitializedCapacity: m * k) { out, count in
            q.codes.withUnsafeBufferPointer { c in
                q.scales.withUnsafeBufferPointer { sc in
                    for t in 0..<m {
                        for j in 0..<k { out[t * k + j] = sc[t] * Float(c[t * stride + j]) }
                    }
                }
            }
            count = m * k
        }
        return Float32Matmul.multiply(xhat, ws, m: m, n: n, k: k)
    }

    /// max over rows of |v_rj| per column j.
    static func columnMaxima(_ v: [Float], rows: Int, columns k: Int) -> [Float] {
        var out = [Float](repeating: 0, count: k)
        v.withUnsafeBufferPointer { b in
            for r in 0..<rows {
                for j in 0..<k { out[j] = max(out[j], abs(b[r * k + j])) }
            }
        }
        return out
    }
}
