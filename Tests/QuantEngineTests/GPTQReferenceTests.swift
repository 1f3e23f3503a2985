import Foundation
import Testing
@testable import QuantEngine

/// The fast GPTQ (lazy batches, blocked factorisation, Float32) against the
/// plain Float64 `ReferenceGPTQ` on problems large enough to use several
/// batches and factorisation blocks (docs/contract.md §16.3).
@Suite("GPTQ against the plain reference")
struct GPTQReferenceTests {
    struct Config: CustomTestStringConvertible, Sendable {
        let bits: Int
        let mode: IntegerScheme.Mode
        let granularity: Granularity
        let actOrder: Bool
        let blockSize: Int
        var testDescription: String { "int\(bits) \(mode) \(granularity) actorder=\(actOrder) block=\(blockSize)" }
    }

    static let configs: [Config] = [
        Config(bits: 4, mode: .symmetric, granularity: .channel(axis: 0), actOrder: false, blockSize: 32),
        Config(bits: 4, mode: .asymmetric, granularity: .group(size: 16), actOrder: true, blockSize: 32),
        Config(bits: 3, mode: .symmetric, granularity: .group(size: 40), actOrder: false, blockSize: 32),
        Config(bits: 3, mode: .asymmetric, granularity: .channel(axis: 0), actOrder: true, blockSize: 64),
        Config(bits: 8, mode: .asymmetric, granularity: .group(size: 64), actOrder: true, blockSize: 128),
        Config(bits: 3, mode: .asymmetric, granularity: .tensor, actOrder: false, blockSize: 50),
        Config(bits: 4, mode: .symmetric, granularity: .group(size: 128), actOrder: true, blockSize: 48),
        Config(bits: 2, mode: .unsigned, granularity: .group(size: 24), actOrder: false, blockSize: 128),
    ]

    /// 16×200 weight, 256 outlier-activation tokens with one feature dead.
    static func problem(_ c: Config) throws -> LayerProblem {
        let n = 200, rows = 16
        let w = EngineBenchmark.gaussian(rows: rows, columns: n, seed: 11)
        var x = SyntheticActivations.outliers(tokens: 256, features: n, seed: 5).values
        for t in 0..<256 { x[t * n + 7] = 0 }
        let acts = Tensor(shape: [256, n], values: x)
        return try LayerProblem(weight: w, calibration: acts, test: acts, scheme: .integer(IntegerScheme(bits: c.bits, mode: c.mode)),
                                granularity: c.granularity, activationSource: "synthetic outliers seed 5")
    }

    @Test("fast GPTQ equals the reference: codes except near ties, Ŵ within Float32 rounding", arguments: configs)
    func matchesReference(_ c: Config) throws {
        let p = try Self.problem(c)
        let options = GPTQOptions(blockSize: c.blockSize, actOrder: c.actOrder)
        let fast = try Methods.run(.gptq(options), on: p)
        let reference = try ReferenceGPTQ.run(p, options: options)
        let n = p.inputs
        var rowsWithFlips = 0, worst: Float = 0
        for r in 0..<p.outputs {
            let range = (r * n)..<((r + 1) * n)
            if fast.codes.codes[range] != reference.codes.codes[range] { rowsWithFlips += 1; continue }
            for i in range { worst = max(worst, abs(fast.weight[i] - reference.weight[i])) }
        }
        // A flip at a tie changes the rest of that row only (rows are independent).
        #expect(rowsWithFlips <= 1, "\(rowsWithFlips) rows have a code that differs")
        #expect(worst <= 1e-4, "Ŵ differs by \(worst) on rows with equal codes")
        #expect(fast.codes.groupIndex == reference.codes.groupIndex)
        let ft = try #require(fast.gptqTrace), rt = try #require(reference.gptqTrace)
        #expect(ft.order == rt.order)
        let last = n - 1
        #expect(abs(ft.runningProxyError[last] - rt.runningProxyError[last]) <= 1e-3 * rt.runningProxyError[last] + 1e-9)
    }

    @Test("U from the blocked factorisation: U·H·Uᵀ = I at n = 700 (six blocks, two GEMM chunks)")
    func inverseCholesky() throws {
        let n = 700
        let x = EngineBenchmark.gaussian(rows: 900, columns: n, seed: 3)
        var h = GPTQHessian.compute(x)
        for j in 0..<n { h[j * n + j] += 0.01 }
        var u = h
        try u.withUnsafeMutableBufferPointer { (b: inout UnsafeMutableBufferPointer<Float>) throws(MethodError) in
            try InverseCholesky.factor(b.baseAddress!, n: n)
        }
        for i in 0..<n { for j in 0..<i { #expect(u[i * n + j] == 0) } }
        let uh = Float32Matmul.multiply(u, h, m: n, n: n, k: n)
        let identity = Float32Matmul.multiply(uh, u, m: n, n: n, k: n)
        var worst: Float = 0
        for i in 0..<n { for j in 0..<n { worst = max(worst, abs(identity[i * n + j] - (i == j ? 1 : 0))) } }
        #expect(worst <= 2e-3, "U·H·Uᵀ is off the identity by \(worst)")
    }

    @Test("with all activations zero every column is dead: W[:, dead] = 0 as the reference code, S = 1")
    func deadColumns() throws {
        let w = EngineBenchmark.gaussian(rows: 8, columns: 64, seed: 2)
        let zero = Tensor(shape: [16, 64], values: [Float](repeating: 0, count: 16 * 64))
        let p = try LayerProblem(weight: w, calibration: zero, test: zero, scheme: .integer(IntegerScheme(bits: 4, mode: .asymmetric)),
                                 granularity: .group(size: 16), activationSource: "zeros")
        let gptq = try Methods.run(.gptq(GPTQOptions()), on: p)
        // Dead columns are zeroed first, as the reference code does.
        #expect(gptq.weight.allSatisfy { $0 == 0 })
        let live = try LayerProblem(weight: w, calibration: Tensor(shape: [1, 64], values: [Float](repeating: 0, count: 64)),
                                    test: zero, scheme: .integer(IntegerScheme(bits: 4, mode: .symmetric)),
                                    granularity: .channel(axis: 0), activationSource: "zeros")
        #expect(try Methods.run(.gptq(GPTQOptions()), on: live).codes.scales.allSatisfy { $0 == 1 })
    }

    @Test("GPTQ is deterministic: two runs give the same bits")
    func deterministic() throws {
        let p = try Self.problem(Self.configs[1])
        let a = try Methods.run(.gptq(GPTQOptions(actOrder: true)), on: p)
        let b = try Methods.run(.gptq(GPTQOptions(actOrder: true)), on: p)
        #expect(a.weight == b.weight && a.codes == b.codes && a.trace == b.trace)
    }
}

extension GPTQReferenceTests {
    /// X = I makes H diagonal, so U is diagonal and no error reaches another
    /// column: GPTQ must then code every value exactly as `Quantizer` does (§1),
    /// for every integer mode and granularity.
    @Test("with X = I there is no feedback and GPTQ's codes and Ŵ equal RTN's bit for bit",
          arguments: IntegerScheme.Mode.allCases)
    func identityActivationsGiveRTN(_ mode: IntegerScheme.Mode) throws {
        let n = 48
        var identity = [Float](repeating: 0, count: n * n)
        for i in 0..<n { identity[i * n + i] = 1 }
        let x = Tensor(shape: [n, n], values: identity)
        var w = EngineBenchmark.gaussian(rows: 6, columns: n, seed: 21)
        // Rows 0 and 1 all positive, row 2 all negative: the range's stretch to 0 matters.
        for c in 0..<n {
            w.values[c] = abs(w.values[c]) + 0.25
            w.values[n + c] = abs(w.values[n + c]) + 1
            w.values[2 * n + c] = -abs(w.values[2 * n + c]) - 0.5
        }
        for granularity in [Granularity.tensor, .channel(axis: 0), .group(size: 16), .group(size: 20)] {
            for bits in [2, 4, 8] {
                let p = try LayerProblem(weight: w, calibration: x, test: x, scheme: .integer(IntegerScheme(bits: bits, mode: mode)),
                                         granularity: granularity, activationSource: "identity")
                let gptq = try Methods.run(.gptq(GPTQOptions(blockSize: 16, actOrder: true)), on: p)
                let rtn = try Methods.run(.rtn, on: p)
                #expect(gptq.codes.codes == rtn.codes.codes, "int\(bits) \(mode) \(granularity)")
                #expect(gptq.weight == rtn.weight, "int\(bits) \(mode) \(granularity)")
                #expect(gptq.codes.scales == rtn.codes.scales && gptq.codes.zeroPoints == rtn.codes.zeroPoints, "int\(bits) \(mode) \(granularity)")
            }
        }
    }
}
