import Foundation
import Testing
@testable import QuantEngine

/// GPTQ on problems that break its arithmetic: one line, never a crash or a NaN
/// (docs/contract.md §9, §16.3).
@Suite("GPTQ on hostile problems")
struct GPTQHostileTests {
    static func problem(tokens: Int, n: Int, scale: Float = 1) throws -> LayerProblem {
        let w = EngineBenchmark.gaussian(rows: 4, columns: n, seed: 1)
        let x = EngineBenchmark.gaussian(rows: tokens, columns: n, seed: 2)
        let acts = Tensor(shape: x.shape, values: x.values.map { $0 * scale })
        return try LayerProblem(weight: w, calibration: acts, test: acts, scheme: .integer(IntegerScheme(bits: 4, mode: .symmetric)),
                                granularity: .group(size: 16), activationSource: "gaussian")
    }

    @Test("fewer tokens than inputs without damping: an error naming the problem, or a finite result")
    func singular() throws {
        let p = try Self.problem(tokens: 8, n: 64)
        do {
            let outcome = try Methods.run(.gptq(GPTQOptions(damp: 0)), on: p)
            #expect(outcome.weight.allSatisfy { $0.isFinite })
            #expect(outcome.codes.scales.allSatisfy { $0.isFinite })
        } catch {
            #expect(!error.description.contains("\n") && error.description.contains("damping"), "\(error)")
        }
        // With the default damping the same problem is fine.
        let damped = try Methods.run(.gptq(GPTQOptions()), on: p)
        #expect(damped.weight.allSatisfy { $0.isFinite })
    }

    @Test("negative or NaN damping, and activations whose Hessian overflows, are refused in one line",
          arguments: [(-1.0, Float(1)), (Double.nan, Float(1)), (0.01, Float(1e20))])
    func refused(_ damp: Double, _ scale: Float) throws {
        let p = try Self.problem(tokens: 32, n: 16, scale: scale)
        do {
            let outcome = try Methods.run(.gptq(GPTQOptions(damp: damp)), on: p)
            Issue.record("accepted: \(outcome.weight.prefix(4))")
        } catch {
            #expect(!error.description.contains("\n"), "\(error)")
        }
    }

    @Test("a cancelled token stops GPTQ with .cancelled")
    func cancelled() throws {
        let p = try Self.problem(tokens: 32, n: 64)
        let token = WorkToken()
        token.cancel()
        #expect(throws: MethodError.cancelled) { try Methods.run(.gptq(GPTQOptions()), on: p, token: token) }
    }
}

extension GPTQHostileTests {
    @Test("weights near Float32's limit: an overflow error in one line or a finite result, never a trap")
    func hugeWeights() throws {
        let n = 32
        var w = EngineBenchmark.gaussian(rows: 4, columns: n, seed: 1)
        w.values = w.values.map { $0 * 5e37 }
        let x = SyntheticActivations.correlatedOutliers(tokens: 64, features: n, seed: 3)
        let acts = Tensor(shape: [64, n], values: x.values)
        let p = try LayerProblem(weight: w, calibration: acts, test: acts, scheme: .integer(IntegerScheme(bits: 3, mode: .asymmetric)),
                                 granularity: .group(size: 8), activationSource: "correlated")
        do {
            let outcome = try Methods.run(.gptq(GPTQOptions()), on: p)
            #expect(outcome.weight.allSatisfy { $0.isFinite })
        } catch {
            #expect(!error.description.contains("\n"), "\(error)")
        }
    }
}

extension GPTQHostileTests {
    @Test("the bench entry runs on a small layer and reports its phases and the matmul ratio")
    func benchEntry() throws {
        let r = try EngineBenchmark.gptq(rows: 64, columns: 96, tokens: 48)
        #expect(r.milliseconds > 0 && r.matmulMilliseconds > 0 && r.hessianMilliseconds >= 0 && r.factorMilliseconds >= 0)
        #expect(r.ratioToMatmul == r.milliseconds / r.matmulMilliseconds)
        let text = r.json.serialized()
        for key in ["\"ms\"", "\"hessian_ms\"", "\"factor_ms\"", "\"matmul_ms\"", "\"ratio_to_matmul\"", "\"tokens\""] {
            #expect(text.contains(key), "\(key) missing from \(text)")
        }
    }
}
