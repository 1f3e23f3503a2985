import Testing
@testable import QuantEngine

/// `QuantizedTensor.survey` (one fused SIMD pass) against the same facts
/// counted element by element from docs/contract.md §1–§4 in the test.
@Suite struct SurveyTests {
    static let input: [Float] = {
        var rng = SplitMix64(seed: 99)
        var x = (0..<(37 * 53)).map { _ in Float(Int64(bitPattern: rng.next()) % 2000) / 1000 }
        x[5] = .nan
        x[77] = .infinity
        x[100] *= 40
        return x
    }()

    @Test(arguments: ["int4 tensor", "int4-asym channel:0", "uint3 group:16", "fp8-e4m3 block:8x8", "nf4 group:64", "q4_0 group:32", "int8 channel:1"])
    func surveyMatchesElementByElement(spelling: String) throws {
        let parts = spelling.split(separator: " ").map(String.init)
        var shape = [37, 53]
        if parts[0] == "q4_0" { shape = [37 * 53 / 32 * 32 / 32, 32] }
        let x = Array(Self.input.prefix(shape.reduce(1, *)))
        for clip: Float in [1, 0.5] {
            let q = try Quantizer.quantize(Tensor(shape: shape, values: x), scheme: try Scheme(parsing: parts[0]),
                                           granularity: try Granularity(parsing: parts[1]), clip: clip)
            let survey = q.survey(original: x)
            var usage = [Int](repeating: 0, count: 256)
            for c in q.codes { usage[Int(c)] += 1 }
            #expect(survey.codeUsage == usage)
            var below = 0, above = 0
            var worst: Float = -1, worstIndex: Int?
            for i in x.indices {
                let levels = q.levels(group: q.group(ofElement: i))
                let lo = levels[0] - (levels[1] - levels[0]) / 2
                let hi = levels[levels.count - 1] + (levels[levels.count - 1] - levels[levels.count - 2]) / 2
                if x[i] < lo { below += 1 } else if x[i] > hi { above += 1 }
                if x[i].isFinite && abs(x[i] - q.dequantized[i]) > worst { worst = abs(x[i] - q.dequantized[i]); worstIndex = i }
            }
            #expect(survey.clippedBelow == below, "\(spelling) clip \(clip)")
            #expect(survey.clippedAbove == above, "\(spelling) clip \(clip)")
            #expect(survey.worstIndex == worstIndex, "\(spelling) clip \(clip)")
        }
    }
}
