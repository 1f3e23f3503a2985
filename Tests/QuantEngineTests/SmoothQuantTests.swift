import Foundation
import Testing
@testable import QuantEngine

/// SmoothQuant (docs/contract.md §16.5) against numpy
/// (`tools/make_awq_fixtures.py`) and its plain twin `SmoothQuantReference`.
///
/// The hand case: W = [[.5, −.1, .2], [−.3, .05, .4]], X = [[1, 40, −.5],
/// [−.25, −30, 1], [.5, 10, .75]], α = .5. max|X_j| = [1, 40, 1], max|W_j| =
/// [.5, .1, .4], so s = √(maxX/maxW) = [√2, 20, √2.5]. After migration input 1
/// peaks at 40/20 = 2 in X and 0.1·20 = 2 in W (α = .5 meets in the middle),
/// so a token's int8 step is set by ~2 instead of 40. numpy's outputs are
/// closer to the exact X·Wᵀ = [[−3.6, 1.5], …] than plain W8A8's.
@Suite struct SmoothQuantTests {
    static let path = "methods/awq-smoothquant.json"

    @Test(arguments: ["smoothquant-hand", "w8a8-hand"])
    func matchesNumpy(_ name: String) throws {
        let c = try Fixtures.namedCase(Self.path, name)
        let n = try #require(c.int("n")), k = try #require(c.int("k")), m = try #require(c.int("m"))
        let w = AWQTests.floats(c, "w"), x = AWQTests.floats(c, "x")
        let smoothing = c.string("method") == "smoothquant"
        let scales: [Float]?
        let smoothed: [Float]
        if smoothing {
            let r = try SmoothQuant.quantize(weight: w, rows: n, columns: k, activations: x, tokens: m, alpha: 0.5)
            scales = r.trace.scales
            smoothed = r.codes.dequantized
            #expect(r.trace.scales == AWQTests.floats(c, "scales"))
        } else {
            scales = nil
            smoothed = try Quantizer.quantize(Tensor(shape: [n, k], values: w), scheme: .integer(IntegerScheme(bits: 8, mode: .symmetric)),
                                              granularity: .channel(axis: 0)).dequantized
        }
        #expect(smoothed == AWQTests.floats(c, "weight_scaled_q"))
        let y = SmoothQuant.output(activations: x, tokens: m, columns: k, smoothedWeight: smoothed, rows: n, scales: scales)
        let expected = AWQTests.floats(c, "output")
        #expect(AWQTests.maxAbsDifference(y, expected) <= 1e-5 * expected.map(abs).max()!)
    }

    @Test func handCaseMigratesTheOutlier() throws {
        let c = try Fixtures.namedCase(Self.path, "smoothquant-hand")
        let t = SmoothQuant.migrate(weight: AWQTests.floats(c, "w"), rows: 2, columns: 3, activations: AWQTests.floats(c, "x"), tokens: 3)
        #expect(t.activationMaxBefore == [1, 40, 1])
        #expect(t.weightMaxBefore == [0.5, 0.1, 0.4])
        // α = 0.5: after migration each channel's activation and weight maxima meet.
        for j in 0..<3 { #expect(abs(t.activationMaxAfter[j] - t.weightMaxAfter[j]) <= 1e-6 * t.weightMaxAfter[j]) }
        #expect(abs(t.activationMaxAfter[1] - 2) < 1e-6)
    }

    @Test(arguments: [(8, 0.5), (8, 0.8), (6, 0.5), (4, 0.3)])
    func matchesReference(_ bits: Int, _ alpha: Double) throws {
        let n = 12, k = 96, m = 24
        let w = EngineBenchmark.gaussian(rows: n, columns: k, seed: UInt64(bits * 10)).values.map { $0 * 0.05 }
        let x = SyntheticActivations.outliers(tokens: m, features: k, seed: UInt64(bits * 10 + 1)).values
        let scheme = IntegerScheme(bits: bits, mode: .symmetric)
        let r = try SmoothQuant.quantize(weight: w, rows: n, columns: k, activations: x, tokens: m, scheme: scheme, alpha: alpha)
        #expect(r.trace.scales == SmoothQuantReference.scales(weight: w, rows: n, columns: k, activations: x, tokens: m, alpha: alpha))
        for smoothing in [true, false] {
            let weight = smoothing ? r.codes.dequantized
                : try Quantizer.quantize(Tensor(shape: [n, k], values: w), scheme: .integer(scheme), granularity: .channel(axis: 0)).dequantized
            let fast = SmoothQuant.output(activations: x, tokens: m, columns: k, smoothedWeight: weight, rows: n,
                                          scales: smoothing ? r.trace.scales : nil)
            let slow = SmoothQuantReference.output(weight: w, rows: n, columns: k, activations: x, tokens: m, scheme: scheme,
                                                   group: k, alpha: alpha, smoothing: smoothing)
            let scale = slow.map(abs).max()!
            #expect(AWQTests.maxAbsDifference(fast, slow) <= 1e-5 * scale)
        }
    }

    /// The outcome is the smoothed weight with s as activation scales and
    /// int8 activations; `LayerEvaluation` then measures the W8A8 product,
    /// which equals `SmoothQuant.output` on the held-out tokens.
    @Test func outcomeIsW8A8() throws {
        let w = Tensor(shape: [16, 64], values: EngineBenchmark.gaussian(rows: 16, columns: 64, seed: 21).values)
        let problem = try LayerProblem.synthetic(weight: w, scheme: .integer(IntegerScheme(bits: 8, mode: .symmetric)),
                                                 granularity: .channel(axis: 0), tokens: 64, testTokens: 32, seed: 22)
        let (outcome, evaluation) = try Methods.evaluate(.smoothQuant(alpha: 0.5), on: problem)
        #expect(outcome.activationsQuantized)
        let s = try #require(outcome.activationScales)
        #expect(s == outcome.smoothQuantTrace?.scales && s == outcome.codes.columnScales)
        let y = SmoothQuant.output(activations: problem.test.values, tokens: 32, columns: 64, smoothedWeight: outcome.weight,
                                   rows: 16, scales: s)
        let reference = Float32Matmul.multiply(problem.test.values, w.values, m: 32, n: 16, k: 64)
        let mine = reference.withUnsafeBufferPointer { r in y.withUnsafeBufferPointer { ErrorMetrics.compare(r, $0) } }
        #expect(abs(mine.sqnrDecibels - evaluation.output.sqnrDecibels) < 1e-6)
        let plain = try SmoothQuant.plainW8A8(problem)
        #expect(plain.activationsQuantized && plain.activationScales == nil)
    }

    @Test func deterministic() throws {
        let w = EngineBenchmark.gaussian(rows: 8, columns: 32, seed: 1).values
        let x = SyntheticActivations.outliers(tokens: 16, features: 32, seed: 2).values
        let a = try SmoothQuant.quantize(weight: w, rows: 8, columns: 32, activations: x, tokens: 16)
        let b = try SmoothQuant.quantize(weight: w, rows: 8, columns: 32, activations: x, tokens: 16)
        #expect(a.trace == b.trace && a.codes.codes == b.codes.codes)
    }

    /// A dead activation column and a zero weight column meet the
    /// reference's clamps (s ≥ 1e-5, max|W| ≥ 1e-5): finite scales and outputs.
    @Test func deadChannelsStayFinite() throws {
        let w: [Float] = [0, 0.5, -0.2, 0, 0.1, 0.3]     // column 0 all zero
        let x: [Float] = [0, 40, 1, 0, -20, 2]           // column 0 all zero
        let r = try SmoothQuant.quantize(weight: w, rows: 2, columns: 3, activations: x, tokens: 2)
        #expect(r.trace.scales.allSatisfy { $0.isFinite && $0 >= 1e-5 })
        let y = SmoothQuant.output(activations: x, tokens: 2, columns: 3, smoothedWeight: r.codes.dequantized, rows: 2,
                                   scales: r.trace.scales)
        #expect(y.allSatisfy { $0.isFinite })
        let slow = SmoothQuantReference.output(weight: w, rows: 2, columns: 3, activations: x, tokens: 2,
                                               scheme: IntegerScheme(bits: 8, mode: .symmetric), group: 3, alpha: 0.5)
        #expect(AWQTests.maxAbsDifference(y, slow) <= 1e-5 * slow.map(abs).max()!)
    }
}

