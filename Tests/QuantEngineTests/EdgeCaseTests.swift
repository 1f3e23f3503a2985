import Foundation
import Testing
@testable import QuantEngine

/// Hand-written edge cases whose answers follow directly from docs/contract.md §1, §2
/// and §6: empty and all-zero tensors, NaN and ±Inf, usage errors, and the
/// granularity spellings. Expectations are computed here from docs/contract.md
/// formulas, never taken from the engine.
@Suite("Edge cases")
struct EdgeCaseTests {
    // MARK: Empty and all-zero tensors

    static let emptySchemes = ["int8", "int4-asym", "uint8", "fp8-e4m3", "fp4-e2m1", "nf4", "fp4", "mxfp4", "q8_0"]

    @Test("an empty tensor gives zero groups and the docs/contract.md §6 empty metrics", arguments: emptySchemes)
    func emptyTensor(_ name: String) throws {
        let scheme = try Scheme(parsing: name)
        // GGUF rows must be whole blocks; every other scheme takes [0, 4].
        let shape = name == "q8_0" ? [0, 32] : [0, 4]
        let q = try Quantizer.quantize(Tensor(shape: shape, values: []), scheme: scheme)
        #expect(q.scales.isEmpty && q.codes.isEmpty && q.dequantized.isEmpty)
        #expect(q.layout.groupCount == 0)
        let m = q.metrics
        #expect(m.elements == 0 && m.nonfinite == 0)
        #expect(m.mse == 0 && m.rmse == 0 && m.mae == 0 && m.maxAbsError == 0)
        #expect(m.sqnrDecibels == .infinity)
        #expect(m.cosine == 1)
    }

    @Test("an empty tensor with an explicit granularity", arguments: ["tensor", "channel:0", "channel:1", "group:3", "block:2x2"])
    func emptyGranularities(_ text: String) throws {
        let q = try Quantizer.quantize(Tensor(shape: [0, 4], values: []), scheme: try Scheme(parsing: "int8"),
                                       granularity: try Granularity(parsing: text))
        #expect(q.scales.isEmpty && q.zeroPoints == [])
        #expect(q.metrics.elements == 0 && q.metrics.sqnrDecibels == .infinity && q.metrics.cosine == 1)
    }

    @Test("an all-zero tensor gets S = 1, Z by the formula, and exact reconstruction",
          arguments: ["int8", "int8-asym", "uint8", "int4", "int4-asym", "uint4", "int2-asym"], ["tensor", "channel:0", "group:4", "block:2x3"])
    func allZeroAffine(_ name: String, _ granularity: String) throws {
        guard case .integer(let s) = try Scheme(parsing: name) else { Issue.record("not integer"); return }
        let q = try Quantizer.quantize(Tensor(shape: [3, 8], values: [Float](repeating: 0, count: 24)),
                                       scheme: .integer(s), granularity: try Granularity(parsing: granularity))
        // S = 1; symmetric Z = 0; otherwise Z = clamp(qmin − round(0 / 1), qmin, qmax) = qmin.
        let z = s.mode == .symmetric ? 0 : s.qmin
        #expect(q.scales.allSatisfy { $0 == 1 }, "\(q.scales)")
        #expect(q.zeroPoints?.allSatisfy { Int($0) == z } == true, "\(String(describing: q.zeroPoints))")
        #expect((0..<24).allSatisfy { q.code(at: $0) == z })
        #expect(q.dequantized.allSatisfy { $0 == 0 })
        #expect(q.metrics.mse == 0 && q.metrics.maxAbsError == 0)
        #expect(q.metrics.sqnrDecibels == .infinity && q.metrics.cosine == 1)
    }

    @Test("an all-zero tensor with float and block schemes", arguments: ["fp8-e4m3", "fp6-e2m3", "fp4-e2m1", "nf4", "fp4", "mxfp4", "mxfp8"])
    func allZeroOther(_ name: String) throws {
        let q = try Quantizer.quantize(Tensor(shape: [2, 64], values: [Float](repeating: 0, count: 128)), scheme: try Scheme(parsing: name))
        #expect(q.scales.allSatisfy { $0 == 1 }, "\(q.scales)")
        #expect(q.dequantized.allSatisfy { $0 == 0 })
        #expect(q.metrics.sqnrDecibels == .infinity && q.metrics.cosine == 1)
    }

    // MARK: NaN and ±Inf

    /// docs/contract.md §1 for one group, in Float32: NaN/±Inf left out of the range and
    /// encoded as Z / qmax / qmin.
    static func reference(_ x: ArraySlice<Float>, _ s: IntegerScheme) -> (scale: Float, zero: Int, codes: [Int], values: [Float]) {
        let finite = x.filter(\.isFinite)
        let qmin = Float(s.qmin), qmax = Float(s.qmax)
        var scale: Float, zero: Float = 0
        if s.mode == .symmetric {
            scale = (finite.map(\.magnitude).max() ?? 0) / qmax
            if !(scale > 0 && scale.isFinite) { scale = 1 }
        } else {
            let vmin = min(finite.min() ?? 0, 0), vmax = max(finite.max() ?? 0, 0)
            scale = (vmax - vmin) / (qmax - qmin)
            if !(scale > 0 && scale.isFinite) { scale = 1 }
            zero = min(max(qmin - (vmin / scale).rounded(.toNearestOrEven), qmin), qmax)
        }
        let codes: [Float] = x.map { v in
            if v.isNaN { return zero }
            if v.isInfinite { return v > 0 ? qmax : qmin }
            return min(max((v / scale + zero).rounded(.toNearestOrEven), qmin), qmax)
        }
        return (scale, Int(zero), codes.map { Int($0) }, codes.map { scale * ($0 - zero) })
    }

    static func noisyInput(rows: Int, columns: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        var values = (0..<(rows * columns)).map { _ in Float.random(in: -3...3, using: &rng) }
        for i in values.indices where i % 7 == 3 { values[i] = [Float.nan, .infinity, -.infinity, -Float.nan][i % 4] }
        // The last row holds nothing finite: its range is empty, so S = 1.
        for j in 0..<columns { values[(rows - 1) * columns + j] = j % 2 == 0 ? .nan : .infinity }
        return values
    }

    @Test("NaN encodes as Z, +Inf as qmax, −Inf as qmin; counted, and never a NaN scale",
          arguments: ["int8", "int8-asym", "uint8", "int4", "int3-asym"], [1, 5, 40])
    func nonFinite(_ name: String, _ columns: Int) throws {
        guard case .integer(let s) = try Scheme(parsing: name) else { Issue.record("not integer"); return }
        let rows = 4
        let x = Self.noisyInput(rows: rows, columns: columns, seed: UInt64(columns))
        let q = try Quantizer.quantize(Tensor(shape: [rows, columns], values: x), scheme: .integer(s), granularity: .channel(axis: 0))
        var mismatches = Mismatches("\(name) × \(columns) with NaN/±Inf")
        var squaredError = 0.0
        for r in 0..<rows {
            let ref = Self.reference(x[(r * columns)..<((r + 1) * columns)], s)
            mismatches.check(sameBits(q.scales[r], ref.scale) && q.zeroPoints?[r] == Int32(ref.zero),
                             "row \(r): expected S \(Show.float(ref.scale)) Z \(ref.zero), got \(Show.float(q.scales[r])) "
                                 + "Z \(String(describing: q.zeroPoints?[r]))")
            for j in 0..<columns {
                let i = r * columns + j
                mismatches.check(q.code(at: i) == ref.codes[j] && q.dequantized[i] == ref.values[j],
                                 "element \(i) (input \(x[i])): expected \(ref.codes[j]) → \(ref.values[j]), "
                                     + "got \(q.code(at: i)) → \(q.dequantized[i])")
                if x[i].isFinite { squaredError += Double(x[i] - ref.values[j]) * Double(x[i] - ref.values[j]) }
            }
        }
        mismatches.expectNone()
        #expect(q.scales.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(q.scales[rows - 1] == 1)
        #expect(q.metrics.nonfinite == x.filter { !$0.isFinite }.count)
        #expect(q.groupNonfinite.reduce(0, +) == q.metrics.nonfinite)
        #expect(q.metrics.elements == x.count)
        let finiteCount = Double(x.filter(\.isFinite).count)
        #expect(relativelyClose(q.metrics.mse, squaredError / finiteCount), "mse \(q.metrics.mse), expected \(squaredError / finiteCount)")
        #expect(!q.metrics.mse.isNaN && !q.metrics.sqnrDecibels.isNaN)
    }

    // MARK: Saturation

    @Test("values beyond a clipped range saturate at the code range's ends")
    func clipSaturates() throws {
        let x: [Float] = [-4, -3, -1, 0, 0.5, 1, 2.5, 4]
        let int8 = try Quantizer.quantize(Tensor(shape: [8], values: x), scheme: try Scheme(parsing: "int8"), clip: 0.5)
        // a = 4 · 0.5, S = a / 127; |x| ≥ 2 saturates at ±127, i.e. ±2.
        let s: Float = (4 * 0.5) / 127
        #expect(int8.scales == [s])
        #expect((0..<8).map { int8.code(at: $0) } == x.map { Int(min(max(($0 / s).rounded(.toNearestOrEven), -127), 127)) })
        #expect(int8.code(at: 0) == -127 && int8.code(at: 7) == 127 && int8.dequantized[7] == s * 127)

        let fp8 = try Quantizer.quantize(Tensor(shape: [8], values: x), scheme: try Scheme(parsing: "fp8-e4m3"), clip: 0.25)
        // S = amax · clip / 448; 4 / S = 1792 saturates to 448 (0x7E), −4 to −448 (0xFE).
        #expect(fp8.scales == [1 / Float(448)])
        #expect(fp8.codes[7] == 0x7E && fp8.codes[0] == 0xFE && fp8.dequantized[7] == 1)
    }

    // MARK: Usage errors

    @Test("unknown scheme and granularity spellings throw")
    func unknownSpellings() {
        for text in ["int9", "int1", "uint9", "int", "fp3", "q4_2", ""] {
            #expect(throws: QuantizationError.unknownScheme(text)) { try Scheme(parsing: text) }
        }
        for text in ["group:0", "block:3", "block:0x4", "block:4x", "group:-3", "channel:-1", "group", "rows", ""] {
            #expect(throws: QuantizationError.unknownGranularity(text)) { try Granularity(parsing: text) }
        }
    }

    @Test("a channel axis past the tensor's rank throws")
    func axisOutOfRange() {
        let t = Tensor(shape: [4, 8], values: [Float](repeating: 1, count: 32))
        #expect(throws: QuantizationError.axisOutOfRange(axis: 5, rank: 2)) {
            try Quantizer.quantize(t, scheme: .integer(IntegerScheme(bits: 8, mode: .symmetric)), granularity: .channel(axis: 5))
        }
        #expect(throws: QuantizationError.axisOutOfRange(axis: 2, rank: 2)) {
            try Quantizer.quantize(t, scheme: .float(.e4m3fn), granularity: .channel(axis: 2))
        }
    }

    @Test("nf4 with channel, mx with group:16 and q4_0 on a row of 100 throw")
    func schemeGranularityMismatch() throws {
        let t = Tensor(shape: [2, 100], values: [Float](repeating: 1, count: 200))
        let nf4Error = #expect(throws: QuantizationError.self) {
            try Quantizer.quantize(t, scheme: .nf4, granularity: .channel(axis: 0))
        }
        if case .granularityNotSupported(let scheme, let granularity, _)? = nf4Error {
            #expect(scheme == "nf4" && granularity == "channel:0")
        } else {
            Issue.record("nf4 with channel:0 threw \(String(describing: nf4Error))")
        }
        let mxError = #expect(throws: QuantizationError.self) {
            try Quantizer.quantize(t, scheme: try Scheme(parsing: "mxfp4"), granularity: .group(size: 16))
        }
        if case .granularityNotSupported? = mxError {} else { Issue.record("mxfp4 with group:16 threw \(String(describing: mxError))") }
        #expect(throws: QuantizationError.rowLengthNotMultiple(scheme: "q4_0", rowLength: 100, block: 32)) {
            try Quantizer.quantize(t, scheme: try Scheme(parsing: "q4_0"))
        }
    }

    // MARK: Spellings

    @Test("granularity spellings round-trip through description",
          arguments: ["tensor", "channel:0", "channel:2", "group:1", "group:32", "group:128", "block:1x1", "block:4x16", "block:128x128"])
    func granularityRoundTrip(_ text: String) throws {
        let g = try Granularity(parsing: text)
        #expect(g.description == text)
        #expect(try Granularity(parsing: g.description) == g)
        #expect(try Granularity(parsing: text.uppercased()) == g)
    }

    @Test("short granularity spellings")
    func granularityAliases() throws {
        #expect(try Granularity(parsing: "channel") == .channel(axis: 0))
        #expect(try Granularity(parsing: "channel").description == "channel:0")
        #expect(try Granularity(parsing: "block:3x5") == .block(rows: 3, columns: 5))
        #expect(try Granularity(parsing: "group:7") == .group(size: 7))
    }

    @Test("every catalog scheme round-trips through its spelling")
    func schemeRoundTrip() throws {
        for scheme in SchemeCatalog.entries.map(\.scheme) {
            #expect(try Scheme(parsing: scheme.description) == scheme, "\(scheme.description)")
        }
    }
}
