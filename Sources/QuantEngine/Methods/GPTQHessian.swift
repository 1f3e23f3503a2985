/// H = 2·XᵀX / tokens (the reference code's running average of 2·x·xᵀ),
/// with the float32 matmul kernel on both cores: Xᵀ·(Xᵀ)ᵀ as Y = A·Bᵀ.
enum GPTQHessian {
    static func compute(_ x: Tensor) -> [Float] {
        let tokens = x.shape[0], n = x.shape[1]
        var xt = [Float](repeating: 0, count: n * tokens)
        // Xᵀ in 64×64 tiles.
        x.values.withUnsafeBufferPointer { src in
            xt.withUnsafeMutableBufferPointer { dst in
                let tile = 64
                for t0 in stride(from: 0, to: tokens, by: tile) {
                    for c0 in stride(from: 0, to: n, by: tile) {
                        for t in t0..<min(t0 + tile, tokens) {
                            for c in c0..<min(c0 + tile, n) { dst[c * tokens + t] = src[t * n + c] }
                        }
                    }
                }
            }
        }
        var h = Float32Matmul.multiply(xt, xt, m: n, n: n, k: tokens)
        let factor = Float(2) / Float(tokens)
        for i in h.indices { h[i] *= factor }
        return h
    }
}
