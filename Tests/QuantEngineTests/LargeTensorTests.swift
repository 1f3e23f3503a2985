import Foundation
import Testing
@testable import QuantEngine

/// The fixtures are small; these tensors are large enough for the parallel
/// split, the 256-element error runs, the two-phase (per-tensor, strided,
/// tiled) and fused (rows, runs) paths, and SIMD tails. Expectations come
/// from the formulas of docs/contract.md evaluated element by element here, with group
/// membership from docs/contract.md §2 written out independently of `GroupLayout`, and
/// float codes from the scalar codec (checked against ml_dtypes elsewhere).
@Suite("Large tensors")
struct LargeTensorTests {
    static let rows = 149, columns = 997

    /// N(0, 1) by Box–Muller, with a few NaN/±Inf and outliers sprinkled in.
    static let input: [Float] = {
        var rng = SeededGenerator(seed: 2024)
        var values = (0..<(rows * columns)).map { _ -> Float in
            let u = Double.random(in: Double.ulpOfOne..<1, using: &rng), v = Double.random(in: 0..<1, using: &rng)
            return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
        }
        for i in stride(from: 1234, to: values.count, by: 10_007) { values[i] = [Float.nan, .infinity, -.infinity][i % 3] }
        for i in stride(from: 777, to: values.count, by: 30_011) { values[i] *= 40 }
        return values
    }()

    /// docs/contract.md §2: the group of every element of a [rows, columns] tensor, row-major.
    static func groups(_ g: String) -> [Int] {
        let parts = g.split(separator: ":")
        let group: (Int, Int) -> Int
        switch parts[0] {
        case "tensor": group = { _, _ in 0 }
        case "channel": group = parts[1] == "0" ? { r, _ in r } : { _, c in c }
        case "group":
            let size = Int(parts[1])!, runs = (columns + size - 1) / size
            group = { r, c in r * runs + c / size }
        default:
            let dims = parts[1].split(separator: "x").map { Int($0)! }
            let tiles = (columns + dims[1] - 1) / dims[1]
            group = { r, c in (r / dims[0]) * tiles + c / dims[1] }
        }
        return (0..<(rows * columns)).map { group($0 / columns, $0 % columns) }
    }

    /// Compares a result with per-element expectations and its metrics with
    /// sums taken here in Float64.
    static func check(_ q: QuantizedTensor, label: String, scales: [Float], codes: [UInt8], values: [Float]) {
        #expect(q.scales.count == scales.count, "\(label): \(q.scales.count) groups, expected \(scales.count)")
        var scaleMismatches = Mismatches("\(label) scales")
        for g in 0..<min(scales.count, q.scales.count) {
            scaleMismatches.check(sameBits(q.scales[g], scales[g]), "group \(g): expected \(Show.float(scales[g])), got \(Show.float(q.scales[g]))")
        }
        scaleMismatches.expectNone()
        var mismatches = Mismatches("\(label) elements")
        var sse = 0.0, sae = 0.0, largest = 0.0, xx = 0.0, yy = 0.0, xy = 0.0, finite = 0
        for (i, x) in input.enumerated() {
            mismatches.check(q.codes[i] == codes[i] && sameValue(q.dequantized[i], values[i]),
                             "element \(i) (input \(Show.float(x))): expected \(Show.hex(codes[i])) → \(values[i]), "
                                 + "got \(Show.hex(q.codes[i])) → \(q.dequantized[i])")
            guard x.isFinite else { continue }
            let e = Double(x) - Double(values[i])
            sse += e * e; sae += abs(e); largest = max(largest, abs(e))
            xx += Double(x) * Double(x); yy += Double(values[i]) * Double(values[i]); xy += Double(x) * Double(values[i])
            finite += 1
        }
        mismatches.expectNone()
        let m = q.metrics
        #expect(m.elements == input.count && m.nonfinite == input.count - finite)
        #expect(relativelyClose(m.mse, sse / Double(finite)), "\(label): mse \(m.mse), expected \(sse / Double(finite))")
        #expect(relativelyClose(m.mae, sae / Double(finite)), "\(label): mae \(m.mae), expected \(sae / Double(finite))")
        #expect(relativelyClose(m.maxAbsError, largest), "\(label): max_abs_err \(m.maxAbsError), expected \(largest)")
        #expect(relativelyClose(m.sqnrDecibels, 10 * log10(xx / sse)), "\(label): sqnr \(m.sqnrDecibels)")
        #expect(relativelyClose(m.cosine ?? .nan, xy / (xx.squareRoot() * yy.squareRoot())), "\(label): cosine \(String(describing: m.cosine))")
        #expect(q.groupSquaredError.reduce(0, +) > 0)
        #expect(relativelyClose(q.groupSquaredError.reduce(0, +), sse), "\(label): Σ group SSE \(q.groupSquaredError.reduce(0, +)), expected \(sse)")
    }

    @Test("integer schemes agree with the docs/contract.md §1 formulas",
          arguments: ["int8", "int4-asym", "uint4"], ["tensor", "channel:0", "channel:1", "group:128", "block:64x100"])
    func affine(_ name: String, _ granularity: String) throws {
        guard case .integer(let s) = try Scheme(parsing: name) else { Issue.record("not integer"); return }
        let membership = Self.groups(granularity)
        let groupCount = membership.max()! + 1
        var lo = [Float](repeating: 0, count: groupCount), hi = lo
        for (i, x) in Self.input.enumerated() where x.isFinite {
            lo[membership[i]] = min(lo[membership[i]], x)
            hi[membership[i]] = max(hi[membership[i]], x)
        }
        let qmin = Float(s.qmin), qmax = Float(s.qmax)
        var scales = [Float](repeating: 1, count: groupCount), zeros = [Float](repeating: 0, count: groupCount)
        for g in 0..<groupCount {
            var scale = s.mode == .symmetric ? max(-lo[g], hi[g]) / qmax : (hi[g] - lo[g]) / (qmax - qmin)
            if !(scale > 0 && scale.isFinite) { scale = 1 }
            scales[g] = scale
            if s.mode != .symmetric { zeros[g] = min(max(qmin - (lo[g] / scale).rounded(.toNearestOrEven), qmin), qmax) }
        }
        var codes = [UInt8](), values = [Float]()
        for (i, x) in Self.input.enumerated() {
            let g = membership[i]
            let q: Float = x.isNaN ? zeros[g] : x.isInfinite ? (x > 0 ? qmax : qmin)
                : min(max((x / scales[g] + zeros[g]).rounded(.toNearestOrEven), qmin), qmax)
            codes.append(UInt8(truncatingIfNeeded: Int(q)))
            values.append(scales[g] * (q - zeros[g]))
        }
        let q = try Quantizer.quantize(Tensor(shape: [Self.rows, Self.columns], values: Self.input), scheme: .integer(s),
                                       granularity: try Granularity(parsing: granularity))
        Self.check(q, label: "\(name) \(granularity)", scales: scales, codes: codes, values: values)
        #expect(q.zeroPoints == zeros.map { Int32($0) })
    }

    /// Float schemes and MX: the SIMD encoder against the scalar codec.
    @Test("float and MX schemes agree with the scalar codec",
          arguments: ["fp8-e4m3 tensor", "fp8-e5m2 channel:1", "fp6-e2m3 group:32", "fp4-e2m1 block:16x16", "fp8-e4m3fnuz channel:0",
                      "mxfp4 -", "mxfp6-e3m2 -", "mxfp8 -"])
    func floats(_ request: String) throws {
        let parts = request.split(separator: " ").map(String.init)
        let scheme = try Scheme(parsing: parts[0])
        let format: FloatFormat, mx: Bool
        switch scheme {
        case .float(let f): format = f; mx = false
        case .microscaling(let f): format = f; mx = true
        default: Issue.record("\(request)"); return
        }
        let granularity = mx ? "group:32" : parts[1]
        let membership = Self.groups(granularity)
        var amax = [Float](repeating: 0, count: membership.max()! + 1)
        for (i, x) in Self.input.enumerated() where x.isFinite { amax[membership[i]] = max(amax[membership[i]], abs(x)) }
        let scales: [Float] = amax.map { a in
            guard a > 0 else { return 1 }
            // MX: 2^(floor(log2 amax) − emax); float schemes: amax / max finite.
            return mx ? Float(sign: .plus, exponent: Int(a.exponent) - format.maxExponent, significand: 1) : a / format.maxFinite
        }
        var codes = [UInt8](), values = [Float]()
        for (i, x) in Self.input.enumerated() {
            let s = scales[membership[i]]
            let code = format.encode(x / s, mode: .saturate)
            codes.append(UInt8(truncatingIfNeeded: code))
            values.append(format.decode(code) * s)
        }
        let q = try Quantizer.quantize(Tensor(shape: [Self.rows, Self.columns], values: Self.input), scheme: scheme,
                                       granularity: mx ? nil : try Granularity(parsing: granularity))
        Self.check(q, label: request, scales: scales, codes: codes, values: values)
    }

    @Test("nf4 agrees with the first nearest level, block by block over the flattened tensor")
    func nf4() throws {
        let levels = LevelCodec.nf4Levels
        let blocks = (Self.input.count + 63) / 64
        var scales = [Float](repeating: 1, count: blocks)
        for b in 0..<blocks {
            let a = Self.input[(b * 64)..<min(Self.input.count, (b + 1) * 64)].filter(\.isFinite).map(abs).max() ?? 0
            scales[b] = a > 0 ? a : 1
        }
        var codes = [UInt8](), values = [Float]()
        for (i, x) in Self.input.enumerated() {
            let s = scales[i / 64]
            let code: Int
            if x.isNaN { code = 7 } else if x.isInfinite { code = x > 0 ? 15 : 0 } else {
                let n = x / s
                code = levels.indices.min { (abs(n - levels[$0]), $0) < (abs(n - levels[$1]), $1) }!
            }
            codes.append(UInt8(code))
            values.append(levels[code] * s)
        }
        let q = try Quantizer.quantize(Tensor(shape: [Self.rows, Self.columns], values: Self.input), scheme: .nf4)
        Self.check(q, label: "nf4", scales: scales, codes: codes, values: values)
    }

    @Test("recycling a previous result's buffers gives the same answer")
    func recycling() throws {
        let tensor = Tensor(shape: [Self.rows, Self.columns], values: Self.input)
        let fresh = try Quantizer.quantize(tensor, scheme: try Scheme(parsing: "int4"), granularity: .group(size: 32))
        // A stale result of the same size whose codes and values differ everywhere.
        let stale = try Quantizer.quantize(tensor, scheme: try Scheme(parsing: "fp8-e5m2"), granularity: .tensor)
        let kept = stale.codes
        let again = try Quantizer.quantize(tensor, scheme: try Scheme(parsing: "int4"), granularity: .group(size: 32), recycling: stale)
        #expect(again.codes == fresh.codes)
        #expect(zip(again.dequantized, fresh.dequantized).allSatisfy { sameBits($0, $1) })
        #expect(again.metrics == fresh.metrics)
        #expect(kept != fresh.codes, "the stale codes differ, so the comparison means something")
        // A result of another size is not reused.
        let small = try Quantizer.quantize(Tensor(shape: [3], values: [1, 2, 3]), scheme: try Scheme(parsing: "int8"))
        let other = try Quantizer.quantize(tensor, scheme: try Scheme(parsing: "int4"), granularity: .group(size: 32), recycling: small)
        #expect(other.codes == fresh.codes)
    }
}
