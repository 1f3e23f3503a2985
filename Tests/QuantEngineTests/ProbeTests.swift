import Foundation
import Testing
@testable import QuantEngine

/// `QuantizedTensor.probe` (a typed value on a group's grid, docs/contract.md
/// §15) answers exactly what the quantizer gave each element of the tensor:
/// the same code and the same x̂, for every scheme with a per-value rule.
@Suite struct ProbeTests {
    static let tensor: Tensor = {
        var values = [Float](repeating: 0, count: 24 * 80)
        for i in values.indices {
            let wave = Float(sin(Double(i) * 0.37))
            let spike: Float = i % 17 == 0 ? 9 : 1
            values[i] = wave * spike + Float(i % 5) * 0.01
        }
        values[7] = .nan
        values[8] = .infinity
        values[9] = -.infinity
        values[10] = 0
        return Tensor(shape: [24, 80], values: values)
    }()

    static let cases: [(String, String?, Float)] = [
        ("int8", nil, 1), ("int4", "channel", 1), ("int4-asym", "group:16", 1), ("uint3", "channel", 0.7), ("int2", "tensor", 1),
        ("int4-full", "channel", 1), ("int4-asym-exact", "group:16", 1), ("int8-asym-exact", "tensor", 0.9),
        ("fp8-e4m3", "channel", 1), ("fp8-e5m2", "group:32", 0.8), ("fp4-e2m1", "group:16", 1), ("fp6-e3m2", "tensor", 1),
        ("mxfp4", nil, 1), ("mxfp8", nil, 1), ("nf4", nil, 1), ("fp4", nil, 1),
    ]

    @Test(arguments: cases.indices) func probingEveryElementGivesTheQuantizersAnswer(_ index: Int) throws {
        let (name, granularity, clip) = Self.cases[index]
        let scheme = try Scheme(parsing: name)
        let q = try Quantizer.quantize(Self.tensor, scheme: scheme, granularity: try granularity.map { try Granularity(parsing: $0) }, clip: clip)
        var mismatches = 0
        for i in 0..<Self.tensor.count {
            let x = Self.tensor.values[i]
            guard let p = q.probe(x, group: q.group(ofElement: i)) else { Issue.record("\(name): no probe"); return }
            let v = q.dequantizedValue(at: i)
            if p.code != q.code(at: i) || !(p.value == v || (p.value.isNaN && v.isNaN)) { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(name) \(granularity ?? "default") clip \(clip): \(mismatches) elements differ")
    }

    @Test func aValueOutsideTheRangeSaturatesAndGGUFHasNoProbe() throws {
        let q = try Quantizer.quantize(Self.tensor, scheme: try Scheme(parsing: "int8"), granularity: .tensor)
        let top = try #require(q.probe(1e6, group: 0))
        #expect(top.code == 127 && top.value == 127 * q.scales[0])
        #expect(q.probe(0.1, group: 5) == nil)
        let g = try Quantizer.quantize(Tensor(shape: [30, 64], values: Self.tensor.values), scheme: try Scheme(parsing: "q8_0"))
        #expect(g.probe(0.1, group: 0) == nil)
    }
}
