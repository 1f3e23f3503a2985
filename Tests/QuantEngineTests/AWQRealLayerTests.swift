import Foundation
import Testing
@testable import QuantEngine

/// AWQ and SmoothQuant on a real layer: MiniLM-L6's layer-0 attention query
/// weight [384, 384] from the bundled sample, with synthetic outlier
/// activations (`SyntheticActivations.outliers`, seed 7: 2 columns ×20–50;
/// `LayerProblem.synthetic(correlated: false)`),
/// calibrated on 128 tokens and judged on 128 held-out ones of the same draw
/// (docs/contract.md §16).
@Suite struct AWQRealLayerTests {
    static var samplePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/quantscope/Samples/minilm-l6-layer0.safetensors").path
    }

    static func weight() throws -> Tensor {
        try Checkpoint.open(samplePath).load(named: "encoder.layer.0.attention.self.query.weight")
    }

    static func problem(bits: Int, mode: IntegerScheme.Mode = .asymmetric, _ granularity: Granularity,
                        correlated: Bool = false) throws -> LayerProblem {
        try LayerProblem.synthetic(weight: try weight(), scheme: .integer(IntegerScheme(bits: bits, mode: mode)),
                                   granularity: granularity, tokens: 128, testTokens: 128, seed: 7, correlated: correlated)
    }

    /// The same on `SyntheticActivations.correlatedOutliers` (GPTQ's default problem).
    @Test(arguments: [4, 3])
    func awqBeatsRoundToNearestOnCorrelatedOutliers(_ bits: Int) throws {
        let p = try Self.problem(bits: bits, .group(size: 128), correlated: true)
        let (_, rtn) = try Methods.evaluate(.rtn, on: p)
        let (awq, awqEval) = try Methods.evaluate(.awq(AWQOptions()), on: p)
        #expect(awqEval.output.sqnrDecibels > rtn.output.sqnrDecibels)
        print("real layer correlated int\(bits)-asym group:128: output SQNR RTN \(rtn.output.sqnrDecibels) dB, AWQ \(awqEval.output.sqnrDecibels) dB (α = \(awq.awqTrace?.alpha ?? -1))")
    }

    @Test(arguments: [(4, Granularity.group(size: 128)), (3, .group(size: 128)), (4, .channel(axis: 0)), (3, .channel(axis: 0))])
    func awqBeatsRoundToNearest(_ bits: Int, _ granularity: Granularity) throws {
        let p = try Self.problem(bits: bits, granularity)
        let (_, rtn) = try Methods.evaluate(.rtn, on: p)
        let (awq, awqEval) = try Methods.evaluate(.awq(AWQOptions()), on: p)
        let trace = try #require(awq.awqTrace)
        #expect(trace.alpha > 0)
        #expect(awqEval.output.sqnrDecibels > rtn.output.sqnrDecibels + 0.5,
                "int\(bits) \(granularity): AWQ \(awqEval.output.sqnrDecibels) dB vs RTN \(rtn.output.sqnrDecibels) dB")
        print("real layer int\(bits)-asym \(granularity): output SQNR RTN \(rtn.output.sqnrDecibels) dB, AWQ \(awqEval.output.sqnrDecibels) dB (α = \(trace.alpha))")
    }

    @Test func awqClipSearchHelpsAtThreeBits() throws {
        let p = try Self.problem(bits: 3, .group(size: 128))
        let (_, plain) = try Methods.evaluate(.awq(AWQOptions()), on: p)
        let (clipped, clippedEval) = try Methods.evaluate(.awq(AWQOptions(clipSearch: true)), on: p)
        let trace = try #require(clipped.awqTrace)
        #expect((trace.clippedLoss ?? .infinity) < trace.loss)
        #expect(clippedEval.output.sqnrDecibels > plain.output.sqnrDecibels)
        print("real layer int3-asym group:128: AWQ \(plain.output.sqnrDecibels) dB, AWQ+clip \(clippedEval.output.sqnrDecibels) dB")
    }

    @Test func smoothQuantBeatsPlainW8A8() throws {
        let p = try Self.problem(bits: 8, mode: .symmetric, .channel(axis: 0))
        let plain = try SmoothQuant.plainW8A8(p)
        let plainEval = LayerEvaluation(problem: p, outcome: plain)
        let (sq, sqEval) = try Methods.evaluate(.smoothQuant(alpha: 0.5), on: p)
        #expect(sqEval.output.sqnrDecibels > plainEval.output.sqnrDecibels + 3,
                "SmoothQuant \(sqEval.output.sqnrDecibels) dB vs plain W8A8 \(plainEval.output.sqnrDecibels) dB")
        let t = try #require(sq.smoothQuantTrace)
        #expect(t.activationMaxAfter.max()! < t.activationMaxBefore.max()!)
        print("real layer W8A8: output SQNR plain \(plainEval.output.sqnrDecibels) dB, SmoothQuant \(sqEval.output.sqnrDecibels) dB")
    }
}
