/// GPTQ's speed (docs/contract.md §16.3): int4 symmetric group:128 on a
/// 4096×4096 N(0, 1) weight with 2048 N(0, 1) calibration tokens, next to
/// a float32 matmul of the same size (2048 × 4096 · 4096ᵀ) timed in the same
/// run. tools/gptq_numpy.py times numpy on the same sizes and distribution.
extension EngineBenchmark {
    public struct GPTQResult: Sendable {
        public var rows: Int
        public var columns: Int
        public var tokens: Int
        /// The whole method: Hessian, factorisation, column sweep, unpermuting.
        public var milliseconds: Double
        /// H = 2XᵀX/tokens alone.
        public var hessianMilliseconds: Double
        /// U (upper, UᵀU = H⁻¹) alone.
        public var factorMilliseconds: Double
        /// The float32 matmul X·Wᵀ of the same size (median of 3).
        public var matmulMilliseconds: Double
        public var ratioToMatmul: Double { milliseconds / matmulMilliseconds }

        /// The `gptq` object of `bench --json`.
        public var json: JSONValue {
            func r3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
            return .object([
                .init("rows", .integer(Int64(rows))), .init("columns", .integer(Int64(columns))),
                .init("tokens", .integer(Int64(tokens))), .init("scheme", .string("int4")), .init("granularity", .string("group:128")),
                .init("ms", .number(r3(milliseconds))), .init("hessian_ms", .number(r3(hessianMilliseconds))),
                .init("factor_ms", .number(r3(factorMilliseconds))), .init("matmul_ms", .number(r3(matmulMilliseconds))),
                .init("ratio_to_matmul", .number(r3(ratioToMatmul))),
            ])
        }
    }

    /// Times GPTQ once, its two heavy phases once each, and the matmul.
    public static func gptq(rows: Int = 4096, columns: Int = 4096, tokens: Int = 2048) throws -> GPTQResult {
        let w = gaussian(rows: rows, columns: columns, seed: 1)
        let x = gaussian(rows: tokens, columns: columns, seed: 2)
        let matmul = median(3) {
            let start = now()
            _ = Float32Matmul.multiply(x.values, w.values, m: tokens, n: rows, k: columns)
            return now() - start
        }
        var start = now()
        var h = GPTQHessian.compute(x)
        let hessian = now() - start
        var mean = 0.0
        for j in 0..<columns { mean += Double(h[j * columns + j]) }
        for j in 0..<columns { h[j * columns + j] += Float(0.01 * mean / Double(columns)) }
        start = now()
        try h.withUnsafeMutableBufferPointer { (b: inout UnsafeMutableBufferPointer<Float>) throws(MethodError) in
            try InverseCholesky.factor(b.baseAddress!, n: columns)
        }
        let factor = now() - start
        let problem = try LayerProblem(weight: w, calibration: x, test: Tensor(shape: [1, columns], values: Array(x.values[0..<columns])),
                                       scheme: .integer(IntegerScheme(bits: 4, mode: .symmetric)), granularity: .group(size: 128),
                                       activationSource: "gaussian N(0,1), seed 2")
        start = now()
        _ = try Methods.run(.gptq(GPTQOptions()), on: problem)
        let total = now() - start
        return GPTQResult(rows: rows, columns: columns, tokens: tokens, milliseconds: total, hessianMilliseconds: hessian,
                          factorMilliseconds: factor, matmulMilliseconds: matmul)
    }
}
