import Foundation
import Testing
@testable import QuantEngine

/// Results that are not finite although the input is (docs/contract.md §4,
/// §6): a GGUF block whose Float16 d overflows, int8 at the top of Float32's
/// range, an F64 tensor beyond Float32. The counts come from gguf-py and
/// numpy (`tools/make_nonfinite_fixtures.py`); the rest is structural: no
/// figure is a number that pretends to measure the error, and nothing traps.
@Suite("Non-finite results")
struct NonfiniteResultTests {
    static func cases() throws -> [String: Any] {
        try #require(try Fixtures.json("nonfinite/cases.json") as? [String: Any])
    }

    static func load(_ name: String) throws -> Tensor {
        let checkpoint = try Checkpoint.open(Fixtures.url("nonfinite/\(name).npy").path)
        return try checkpoint.load(checkpoint.tensors[0])
    }

    @Test("q4_0 and q8_0 with an overflowed d: the metrics say not finite, with gguf-py's count",
          arguments: [("q4_0", GGUFBlockScheme.q4_0), ("q8_0", .q8_0)])
    func ggufOverflow(name: String, block: GGUFBlockScheme) throws {
        let expected = try #require((try Self.cases()["huge_weight"] as? [String: Any])?[name] as? [String: Any])
        let count = try #require(expected["nonfinite_dequantized"] as? Int)
        let w = try Self.load("huge_weight")
        let q = try Quantizer.quantize(w, scheme: .gguf(block), granularity: nil)
        #expect(q.dequantized.filter { !$0.isFinite }.count == count)
        let m = q.metrics
        #expect(m.nonfiniteOutput == count && m.nonfinite == 0 && !m.isFinite)
        #expect(m.mse.isNaN && m.mae.isNaN && m.maxAbsError.isNaN && m.sqnrDecibels.isNaN && m.cosine == nil,
                "metrics \(m) must not look like a measurement")
        #expect(q.rmseOverScale == nil)
        // Rows 0-1 are N(0, 1) (finite everywhere); row 7 is x1e8, past both types' d.
        let rows = q.rowMeanSquaredError(original: w.values, rows: 8)
        #expect(rows[0].isFinite && rows[1].isFinite && rows[7] == .infinity, "\(rows)")
    }

    @Test("F64 beyond Float32 decodes to ±Inf as numpy's astype does, and is counted as non-finite input")
    func float64Overflow() throws {
        let expected = try #require(try Self.cases()["f64_overflow"] as? [String: Any])
        let t = try Self.load("f64_overflow")
        let s = t.values.withUnsafeBufferPointer { TensorSummary($0) }
        #expect(s.nonfinite == expected["nonfinite"] as? Int)
        // Float32 values written as Float64: compare as Float32 (JSON parsing may be an ulp off in Float64).
        #expect(s.min == (expected["min"] as? Double).map(Float.init) && s.max == (expected["max"] as? Double).map(Float.init))
        let q = try Quantizer.quantize(t, scheme: .integer(IntegerScheme(bits: 8, mode: .symmetric)), granularity: .tensor)
        #expect(q.metrics.nonfinite == expected["nonfinite"] as? Int)
        // amax is Float32's largest finite value: 127·S rounds to +Inf (numpy agrees).
        #expect(q.metrics.nonfiniteOutput == expected["int8_tensor_nonfinite_output"] as? Int)
        #expect(!q.metrics.isFinite && q.metrics.sqnrDecibels.isNaN)
    }

    @Test("the accumulator counts a non-finite approximation and keeps it out of the sums")
    func accumulator() {
        var acc = MetricsAccumulator()
        acc.add(1, 1)
        acc.add(2, .infinity)
        acc.add(3, .nan)
        var other = MetricsAccumulator()
        other.add(1, -.infinity)
        acc.merge(other)
        #expect(acc.nonfiniteOutput == 3 && acc.finite == 4 && acc.sumSquares == 1)
        let m = acc.metrics(elements: 5)
        #expect(m.nonfiniteOutput == 3 && !m.isFinite && m.mse.isNaN && m.cosine == nil)
        var exact = MetricsAccumulator()
        exact.add(1, 1)
        #expect(exact.metrics(elements: 1).isFinite && exact.metrics(elements: 1).sqnrDecibels == .infinity)
    }

    @Test("a histogram over infinite bounds or of infinite values does not trap")
    func histogramBounds() {
        let values: [Float] = [-3, 0, 1, .infinity, .nan, -.infinity, .greatestFiniteMagnitude]
        let h = values.withUnsafeBufferPointer { Histogram($0, bins: 8, range: -Float.infinity...Float.infinity) }
        #expect(h.lower == -.greatestFiniteMagnitude && h.upper == .greatestFiniteMagnitude)
        #expect(h.nonfinite == 3 && h.counts.reduce(0, +) == 4)
        #expect(h.bin(of: .infinity) == nil && h.bin(of: .nan) == nil && h.bin(of: 0) == 4)
        let x: [Float] = [1, 2, 3, 4], y: [Float] = [1, .infinity, .nan, 3.5]
        let largest = x.withUnsafeBufferPointer { xs in y.withUnsafeBufferPointer { Histogram.largestFiniteDifference(xs, $0) } }
        #expect(largest == 0.5)
        let errors = x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { Histogram(xs, minus: $0, bins: 4, range: Histogram.symmetricRange(Double(largest))) }
        }
        #expect(errors.nonfinite == 2 && errors.counts.reduce(0, +) == 2)
        #expect(Histogram.symmetricRange(.infinity) == -Float.greatestFiniteMagnitude...Float.greatestFiniteMagnitude)
        #expect(Histogram.symmetricRange(.nan) == -1e-30...1e-30 && Histogram.symmetricRange(0) == -1e-30...1e-30)
        #expect(Histogram.symmetricRange(1e300).upperBound == .greatestFiniteMagnitude)
    }
}
