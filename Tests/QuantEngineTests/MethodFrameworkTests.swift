import Foundation
import Testing
@testable import QuantEngine

/// The shared methods framework: spellings, problem checks, RTN and the
/// evaluation (docs/contract.md §16.1–§16.2).
@Suite("Methods framework")
struct MethodFrameworkTests {
    @Test("every method spelling parses and spells back")
    func spellings() throws {
        for s in WeightMethod.spellings { #expect(try WeightMethod(parsing: s).name == s) }
        #expect(try WeightMethod(parsing: "GPTQ-ActOrder") == .gptq(GPTQOptions(actOrder: true)))
        #expect(throws: MethodError.unknownMethod("gptqq")) { try WeightMethod(parsing: "gptqq") }
    }

    @Test("a problem refuses float schemes, block granularity, mismatched shapes and NaN, one line each")
    func refusals() throws {
        let w = Tensor(shape: [2, 4], values: [1, 2, 3, 4, 5, 6, 7, 8])
        let x = Tensor(shape: [3, 4], values: [Float](repeating: 1, count: 12))
        let int4 = Scheme.integer(IntegerScheme(bits: 4, mode: .symmetric))
        #expect(throws: MethodError.self) { try LayerProblem(weight: w, calibration: x, test: x, scheme: try Scheme(parsing: "fp8"), granularity: .tensor, activationSource: "") }
        #expect(throws: MethodError.self) { try LayerProblem(weight: w, calibration: x, test: x, scheme: int4, granularity: .block(rows: 2, columns: 2), activationSource: "") }
        #expect(throws: MethodError.self) { try LayerProblem(weight: w, calibration: Tensor(shape: [3, 3], values: [Float](repeating: 1, count: 9)), test: x, scheme: int4, granularity: .tensor, activationSource: "") }
        var bad = x
        bad.values[5] = .nan
        do {
            _ = try LayerProblem(weight: w, calibration: bad, test: x, scheme: int4, granularity: .tensor, activationSource: "")
            Issue.record("NaN accepted")
        } catch {
            #expect(error == .nonFinite("the calibration activations"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("RTN is the existing quantizer: same Ŵ, codes, scales", arguments: ["tensor", "channel", "group:3"])
    func rtnIsQuantizer(_ granularity: String) throws {
        let w = EngineBenchmark.gaussian(rows: 5, columns: 8, seed: 4)
        let x = Tensor(shape: [4, 8], values: EngineBenchmark.gaussian(rows: 4, columns: 8, seed: 5).values)
        let g = try Granularity(parsing: granularity)
        let scheme = Scheme.integer(IntegerScheme(bits: 3, mode: .asymmetric))
        let p = try LayerProblem(weight: w, calibration: x, test: x, scheme: scheme, granularity: g, activationSource: "seed 5")
        let outcome = try Methods.run(.rtn, on: p)
        let q = try Quantizer.quantize(w, scheme: scheme, granularity: g)
        #expect(outcome.weight == q.dequantized)
        #expect(outcome.codes.codes == q.codes)
        #expect(outcome.codes.dequantized() == q.dequantized)
        #expect(outcome.codes.hasNaturalGroupOrder)
        let evaluation = LayerEvaluation(problem: p, outcome: outcome)
        #expect(evaluation.weight.mse == q.metrics.mse || abs(evaluation.weight.mse - q.metrics.mse) <= 1e-9)
        #expect(evaluation.output.isFinite && evaluation.output.sqnrDecibels.isFinite)
    }

    @Test("AWQ and SmoothQuant run through Methods.run with their traces")
    func awqAndSmoothQuantRun() throws {
        let w = Tensor(shape: [1, 2], values: [1, 2])
        let p = try LayerProblem.synthetic(weight: w, scheme: .integer(IntegerScheme(bits: 4, mode: .symmetric)), granularity: .tensor,
                                           tokens: 4, testTokens: 2)
        #expect(p.activationSource == "synthetic correlated outliers seed 7")
        #expect(try Methods.run(.smoothQuant(alpha: 0.5), on: p).smoothQuantTrace != nil)
        #expect(try Methods.run(.awq(AWQOptions()), on: p).awqTrace != nil)
    }
}
