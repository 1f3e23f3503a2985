import Foundation
import Testing
@testable import QuantEngine

/// GPTQ against numpy (tools/gptq_numpy.py via tools/make_methods_fixtures.py),
/// docs/contract.md §16.3.
@Suite("GPTQ against numpy")
struct GPTQFixtureTests {
    /// The hand case, int3 symmetric per channel, no damping:
    ///
    ///     W = [ 0.5  0.9  −0.4 ]      X = [1  0 1]    H = 2XᵀX/4 = [1.5  0   1 ]
    ///         [−0.3  0.35  0.8 ]          [0  1 1]                 [0   1.5  0 ]
    ///                                     [1  1 0]                 [1    0  1.5]
    ///                                     [1 −1 1]
    ///     H⁻¹ = [1.2 0 −0.8; 0 ⅔ 0; −0.8 0 1.2], its upper Cholesky factor
    ///     U = [1.095445 0 −0.730297; 0 0.816497 0; 0 0 0.816497].
    ///     int3: codes −3…3, S = max|row|/3: row 0 S = 0.3, row 1 S = 0.8/3 = 0.266667.
    ///
    /// Column 0: row 0 0.5/0.3 = 1.667 → q = 2, x̂ = 0.6, e = (0.5 − 0.6)/1.095445 = −0.091287;
    ///   row 1 −0.3/0.266667 = −1.125 → q = −1, x̂ = −0.266667, e = −0.030429.
    ///   Update w[:, 2] −= e·U02: row 0 −0.4 − (−0.091287)(−0.730297) = −0.466667,
    ///   row 1 0.8 − (−0.030429)(−0.730297) = 0.777778 (U01 = 0: column 1 unchanged).
    /// Column 1: row 0 0.9 → q = 3 (x̂ 0.9, e = 0); row 1 0.35 → 1.3125 → q = 1,
    ///   x̂ = 0.266667, e = 0.102062; U12 = 0, nothing moves.
    /// Column 2: row 0 −0.466667/0.3 = −1.556 → q = −2, x̂ = −0.6 (RTN: −0.4/0.3 = −1.333 → −1,
    ///   x̂ = −0.3); row 1 0.777778/0.266667 = 2.917 → q = 3, x̂ = 0.8.
    /// So codes [[2, 3, −2], [−1, 1, 3]]: one code differs from RTN, and the
    /// output error Σ(X·(W − Ŵ)ᵀ)² drops from 0.124167 (RTN) to 0.094167.
    @Test("the 2×3 hand case, int3: codes, Ŵ and the output error as numpy (worked out above)")
    func handCase() throws {
        let c = try GPTQFixtureCase.named("hand int3")
        let fast = try Methods.run(.gptq(c.options), on: c.problem)
        #expect(GPTQFixtureCase.codes(fast) == [2, 3, -2, -1, 1, 3])
        #expect(GPTQFixtureCase.codes(fast) == c.codes)
        for (a, b) in zip(fast.weight, c.xHat) { #expect(abs(a - b) <= 1e-6) }
        let rtn = try Methods.run(.rtn, on: c.problem)
        #expect(GPTQFixtureCase.codes(rtn) == [2, 3, -1, -1, 1, 3])
        let rtnError = try #require(c.raw.double("output_error_rtn")), gptqError = try #require(c.raw.double("output_error_gptq"))
        let rtnEval = LayerEvaluation(problem: c.problem, outcome: rtn), gptqEval = LayerEvaluation(problem: c.problem, outcome: fast)
        #expect(abs(rtnEval.output.errorEnergy - rtnError) <= 1e-5 * rtnError)
        #expect(abs(gptqEval.output.errorEnergy - gptqError) <= 1e-5 * gptqError)
        #expect(gptqEval.output.sqnrDecibels > rtnEval.output.sqnrDecibels)
        // The trace: the first column's error e spread along U's row 0.
        let trace = try #require(fast.gptqTrace)
        #expect(abs(trace.columnError[0] - (0.01 + 0.033333 * 0.033333)) <= 1e-5)
        let e0 = (0.091287 * 0.091287 + 0.030429 * 0.030429).squareRoot()
        #expect(abs(trace.updateNorm[0] - e0 * 0.730297) <= 1e-5)
    }

    @Test("the hand case at int2 as numpy", arguments: ["hand int2"])
    func handInt2(_ name: String) throws {
        let c = try GPTQFixtureCase.named(name)
        let fast = try Methods.run(.gptq(c.options), on: c.problem)
        #expect(GPTQFixtureCase.codes(fast) == c.codes)
        for (a, b) in zip(fast.weight, c.xHat) { #expect(abs(a - b) <= 1e-6) }
    }

    @Test("fast and reference GPTQ give numpy's codes, Ŵ, scales and g_idx on every fixture case")
    func everyCase() throws {
        for c in try GPTQFixtureCase.all() {
            for (label, outcome) in [("fast", try Methods.run(.gptq(c.options), on: c.problem)),
                                     ("reference", try ReferenceGPTQ.run(c.problem, options: c.options))] {
                let codes = GPTQFixtureCase.codes(outcome)
                let mismatches = zip(codes, c.codes).filter { $0 != $1 }.count
                #expect(mismatches == 0, "\(c.name) \(label): \(mismatches) codes differ")
                let worst = zip(outcome.weight, c.xHat).map { abs($0 - $1) }.max() ?? 0
                #expect(worst <= 1e-5, "\(c.name) \(label): Ŵ off by \(worst)")
                #expect(outcome.codes.groupIndex.map(Int.init) == c.raw.ints("g_idx"), "\(c.name) \(label): g_idx")
                let scales = try GPTQFixtureCase.matrix(c.raw, "scales").values
                #expect(zip(outcome.codes.scales, scales).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }, "\(c.name) \(label): scales")
                #expect(outcome.codes.zeroPoints.map(Int.init) == (try GPTQFixtureCase.matrix(c.raw, "zeros").values.map { Int($0) }),
                        "\(c.name) \(label): zero-points")
                // The codes decode to Ŵ.
                #expect(outcome.codes.dequantized() == outcome.weight, "\(c.name) \(label): codes decode to Ŵ")
            }
        }
    }
}

extension GPTQFixtureTests {
    /// Without damping, Σ (w − x̂)²/(2·U_jj²) over all steps is ½·Σ_r δ_rᵀHδ_r
    /// = ‖X·(W − Ŵ)ᵀ‖²/tokens: the trace's proxy is the calibration output error.
    @Test("the trace's running proxy ends at numpy's output error / tokens (no damping)", arguments: ["hand int3", "hand int2"])
    func proxyIsOutputError(_ name: String) throws {
        let c = try GPTQFixtureCase.named(name)
        let trace = try #require(try Methods.run(.gptq(c.options), on: c.problem).gptqTrace)
        let expected = try #require(c.raw.double("output_error_gptq")) / Double(c.problem.tokens)
        #expect(abs((trace.runningProxyError.last ?? 0) - expected) <= 1e-6 * expected)
    }

    @Test("the same identity on a 24×96 problem with 300 tokens and three batches")
    func proxyIdentityLarger() throws {
        let n = 96
        let x = SyntheticActivations.correlatedOutliers(tokens: 300, features: n, seed: 9)
        let acts = Tensor(shape: [300, n], values: x.values)
        let p = try LayerProblem(weight: EngineBenchmark.gaussian(rows: 24, columns: n, seed: 8), calibration: acts, test: acts,
                                 scheme: .integer(IntegerScheme(bits: 3, mode: .asymmetric)), granularity: .group(size: 32),
                                 activationSource: "correlated outliers seed 9")
        let outcome = try Methods.run(.gptq(GPTQOptions(damp: 0, blockSize: 32, actOrder: true)), on: p)
        let evaluation = LayerEvaluation(problem: p, outcome: outcome)
        let proxy = try #require(outcome.gptqTrace?.runningProxyError.last)
        let output = evaluation.output.errorEnergy / 300
        #expect(abs(proxy - output) <= 2e-3 * output, "proxy \(proxy), output error \(output)")
    }
}
