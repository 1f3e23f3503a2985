import Foundation
import Testing
@testable import QuantEngine

/// The seed's own integer conventions, `intB-full` and `intB-asym-exact`
/// (docs/contract.md §1, §10), against `seed/cases.json`: numpy evaluating the
/// formulas of quantization-concepts.md literally in Float32
/// (`tools/make_seed_fixtures.py`), including a real all-positive LayerNorm
/// weight whose Z is −358, outside int8.
@Suite("Seed conventions")
struct SeedConventionTests {
    static let cases = Fixtures.caseNames("seed/cases.json")

    @Test("the fixture lists every case")
    func caseCount() {
        #expect(Self.cases.count == 11)
    }

    @Test("codes, scales, zero-points, x̂ and metrics match numpy", arguments: cases)
    func matchesReference(_ name: String) throws {
        let c = try QuantCase("seed", name)
        try c.verify(try c.quantize())
    }

    @Test("probing every element gives the quantizer's code and x̂", arguments: cases)
    func probeAgrees(_ name: String) throws {
        let c = try QuantCase("seed", name)
        let q = try c.quantize()
        var mismatches = Mismatches("\(name) probe")
        for i in 0..<c.tensor.count {
            let p = try #require(q.probe(c.tensor.values[i], group: q.group(ofElement: i)))
            let v = q.dequantizedValue(at: i)
            mismatches.check(p.code == q.code(at: i) && (p.value == v || (p.value.isNaN && v.isNaN)),
                             "element \(i): probe \(p.code) → \(p.value), quantizer \(q.code(at: i)) → \(v)")
        }
        mismatches.expectNone()
    }

    @Test("4-bit codes pack as the seed writes it, (c0 & 0x0F) | (c1 << 4)", arguments: cases)
    func packing(_ name: String) throws {
        let c = try QuantCase("seed", name)
        guard let file = c.fields.string("packed_low_first") else { return }
        let q = try c.quantize()
        #expect(Int4Packer.pack(q.codes, layout: .lowFirst) == (try Fixtures.u8("seed/" + file)))
    }

    @Test("Z outside the codes is kept and counted, not clamped")
    func zeroPointOutsideCodes() throws {
        let layerNorm = try QuantCase("seed", "int8asymexact_layernorm").quantize()
        #expect(layerNorm.zeroPoints == [-358])
        #expect(layerNorm.zeroPointsOutsideCodes == 1)
        let normal = try QuantCase("seed", "int8asymexact_channel0").quantize()
        #expect(normal.zeroPointsOutsideCodes == 0)
        // quantscope's own asym stretches the range to hold 0 and never leaves the codes.
        let stretched = try Quantizer.quantize(QuantCase("seed", "int8asymexact_layernorm").tensor, scheme: try Scheme(parsing: "int8-asym"))
        #expect(stretched.zeroPoints == [-128])
    }

    @Test("the catalog spells the seed's variants and their code ranges")
    func catalog() throws {
        let full = try Scheme(parsing: "int4-full"), exact = try Scheme(parsing: "INT8-ASYM-EXACT")
        guard case .integer(let f) = full, case .integer(let e) = exact else { Issue.record("not integer schemes"); return }
        #expect((f.qmin, f.qmax) == (-8, 7))
        #expect((e.qmin, e.qmax) == (-128, 127))
        #expect(full.description == "int4-full" && exact.description == "int8-asym-exact")
        #expect(SchemeCatalog.compactSpellings.contains("int2-full…int8-full"))
        #expect(SchemeCatalog.compactSpellings.contains("int2-asym-exact…int8-asym-exact"))
    }

    @Test("a range too narrow for its distance from 0 keeps Z within ±2^24 and never crashes")
    func hugeZeroPoint() throws {
        let t = Tensor(shape: [4], values: [1e30, 1.0000001e30, 1.0000002e30, 1.0000003e30])
        let q = try Quantizer.quantize(t, scheme: try Scheme(parsing: "int8-asym-exact"))
        #expect(q.zeroPoints == [-16_777_216])
        #expect(q.metrics.nonfiniteOutput == 0)
    }
}
