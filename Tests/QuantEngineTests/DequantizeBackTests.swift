import Testing
@testable import QuantEngine

/// A result that does not keep x̂ (`keepingDequantized: false`, the
/// explorer's large tensors) must answer every question exactly as one that
/// does: x̂ read back from the codes equals the quantizer's x̂ for every
/// scheme in the catalog, and so do the metrics, survey and row errors.
/// The kept x̂ is itself checked against numpy, ml_dtypes and gguf-py by
/// the scheme suites; this holds the read-back to it.
@Suite struct DequantizeBackTests {
    /// 8×512 values: N(0, 1) with outlier columns, an all-zero row, NaN and
    /// ±Inf, one row of tiny values and one of huge ones (1e6: q4_0's Float16
    /// d overflows to inf there, as llama.cpp's does).
    static let tensor: Tensor = {
        var rng = SplitMix64(seed: 2026)
        var v = (0..<(8 * 512)).map { _ in Float(Double(rng.next() >> 11) * 0x1p-53 * 2 - 1) * 1.7 }
        for r in 0..<8 { v[r * 512 + 17] *= 40; v[r * 512 + 300] *= -25 }
        for c in 0..<512 { v[2 * 512 + c] = 0; v[5 * 512 + c] *= 1e-30; v[6 * 512 + c] *= 1e6 }
        v[7] = .nan; v[1000] = .infinity; v[3333] = -.infinity
        return Tensor(shape: [8, 512], values: v)
    }()

    static func granularities(_ rule: GranularityRule) -> [Granularity?] {
        switch rule {
        case .any: return [.tensor, .channel(axis: 0), .channel(axis: 1), .group(size: 64), .group(size: 100), .block(rows: 3, columns: 128)]
        default: return [nil]
        }
    }

    static func same(_ a: Float, _ b: Float) -> Bool { a == b || (a.isNaN && b.isNaN) }

    static func close(_ a: Double, _ b: Double) -> Bool {
        a == b || (a.isNaN && b.isNaN) || abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    }

    @Test(arguments: SchemeCatalog.entries.map(\.scheme))
    func readBackEqualsTheQuantizersXHat(_ scheme: Scheme) throws {
        let x = Self.tensor
        for granularity in Self.granularities(SchemeCatalog.rule(for: scheme)) {
            let kept = try Quantizer.quantize(x, scheme: scheme, granularity: granularity)
            let lean = try Quantizer.quantize(x, scheme: scheme, granularity: granularity, keepingDequantized: false)
            let label = "\(scheme) \(granularity.map { "\($0)" } ?? "default")"
            #expect(kept.keepsDequantized && !lean.keepsDequantized, "\(label)")
            #expect(lean.dequantized.isEmpty, "\(label)")
            #expect(lean.codes == kept.codes && lean.scales == kept.scales, "\(label)")
            var mismatches = 0
            for i in 0..<x.count where !Self.same(lean.dequantizedValue(at: i), kept.dequantized[i]) {
                if mismatches == 0 { Issue.record("\(label): x̂[\(i)] read back \(lean.dequantizedValue(at: i)), quantizer \(kept.dequantized[i])") }
                mismatches += 1
            }
            #expect(mismatches == 0, "\(label)")
            // Ranges that start and end inside groups and rows.
            for range in [0..<x.count, 5..<1029, 1500..<1501, 4000..<4096] {
                var out = [Float](repeating: -7, count: range.count)
                out.withUnsafeMutableBufferPointer { lean.dequantize(range, into: $0) }
                #expect(zip(out, kept.dequantized[range]).allSatisfy { Self.same($0, $1) }, "\(label) \(range)")
            }
            let (a, b) = (kept.metrics, lean.metrics)
            #expect(a.elements == b.elements && a.nonfinite == b.nonfinite, "\(label)")
            #expect(Self.close(a.mse, b.mse) && Self.close(a.mae, b.mae) && Self.close(a.maxAbsError, b.maxAbsError), "\(label)")
            #expect(Self.close(a.sqnrDecibels, b.sqnrDecibels), "\(label)")
            #expect(zip(kept.groupSquaredError, lean.groupSquaredError).allSatisfy { Self.close($0, $1) }, "\(label)")
            #expect(kept.groupNonfinite == lean.groupNonfinite, "\(label)")
            #expect(kept.survey(original: x.values) == lean.survey(original: x.values), "\(label)")
            #expect(zip(kept.rowMeanSquaredError(original: x.values, rows: 8), lean.rowMeanSquaredError(original: x.values, rows: 8))
                .allSatisfy { Self.close($0, $1) }, "\(label)")
        }
    }

    @Test func chunksCoverTheRangeInOrder() throws {
        let x = Self.tensor
        let lean = try Quantizer.quantize(x, scheme: .integer(IntegerScheme(bits: 4, mode: .asymmetric)),
                                          granularity: .group(size: 64), keepingDequantized: false)
        var next = 10
        lean.forEachDequantizedChunk(of: 300, in: 10..<2000) { start, y in
            #expect(start == next)
            #expect(y.count <= 300)
            for k in 0..<y.count { #expect(Self.same(y[k], lean.dequantizedValue(at: start + k))) }
            next = start + y.count
        }
        #expect(next == 2000)
    }

    @Test func histogramsOfPiecesAddUpToTheWhole() {
        let x = Self.tensor.values.map { $0.isFinite ? min(max($0, -3), 3) : $0 }
        let whole = x.withUnsafeBufferPointer { Histogram($0, bins: 50, range: -2...2) }
        var merged: Histogram?
        for piece in stride(from: 0, to: x.count, by: 777) {
            let part = x[piece..<min(x.count, piece + 777)].withUnsafeBufferPointer { Histogram($0, bins: 50, range: -2...2) }
            if merged == nil { merged = part } else { merged?.merge(part) }
        }
        #expect(merged == whole)
    }

    /// A first piece with nothing finite (a NaN row) has observedMin/Max 0 as
    /// placeholders; they must not leak into the total's extremes.
    @Test func aPieceWithNothingFiniteTakesNoPartInTheExtremes() {
        let x: [Float] = [.nan, .nan, .infinity, 0.5, 0.75, 1.25, 0.625]
        let whole = x.withUnsafeBufferPointer { Histogram($0, bins: 8, range: 0...2) }
        var merged = x[0..<3].withUnsafeBufferPointer { Histogram($0, bins: 8, range: 0...2) }
        merged.merge(x[3..<5].withUnsafeBufferPointer { Histogram($0, bins: 8, range: 0...2) })
        merged.merge(x[5...].withUnsafeBufferPointer { Histogram($0, bins: 8, range: 0...2) })
        #expect(merged == whole)
        #expect(merged.observedMin == 0.5 && merged.observedMax == 1.25)
    }
}
