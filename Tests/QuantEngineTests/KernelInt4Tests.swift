import Foundation
import Testing
@testable import QuantEngine

/// 4-bit group weights: packing and codes against the `uint4` quantizer
/// and docs/contract.md §5's low-first layout; W4A16 within its float bound of the
/// Float64 reference; W4A8's per-group Int32 accumulators exactly, its y
/// within bound, on each int8 path this machine runs (AVX2, AVX-512 VNNI),
/// which agree on y bit for bit.
@Suite("Kernels: W4A16 and W4A8")
struct KernelInt4Tests {
    /// (M, N, K, G): K a multiple of G, K not a multiple of G (a short last
    /// group, padded), K below one group, G above 256 (Int16 flushes).
    static let shapes: [(m: Int, n: Int, k: Int, g: Int)] = [
        (1, 37, 300, 128), (3, 37, 300, 128), (17, 19, 77, 32), (2, 13, 64, 64), (1, 5, 7, 32),
        (3, 9, 640, 320), (1, 700, 512, 128), (8, 400, 1024, 128),
    ]

    @Test("codes and parameters equal Quantizer's uint4 group:G, packed low-first; int4-asym is the same grid shifted by 8")
    func codesMatchQuantizer() throws {
        let (n, k, g) = (6, 256, 64)
        let w = KernelData.gaussian(n * k, seed: 41)
        let q = Int4GroupWeights(quantizing: w, rows: n, columns: k, groupSize: g)
        let tensor = Tensor(shape: [n, k], values: w), granularity = try Granularity(parsing: "group:\(g)")
        let expected = try Quantizer.quantize(tensor, scheme: Scheme(parsing: "uint4"), granularity: granularity)
        let signed = try Quantizer.quantize(tensor, scheme: Scheme(parsing: "int4-asym"), granularity: granularity)
        var mismatches = Mismatches("int4 codes")
        for i in 0..<(n * k) {
            let code = Int(q.code(row: i / k, column: i % k))
            mismatches.check(code == expected.code(at: i) && code - 8 == signed.code(at: i), "element \(i)")
        }
        mismatches.expectNone()
        #expect(q.scales == expected.scales && q.scales == signed.scales)
        #expect(q.zeroPoints.map(Int32.init) == expected.zeroPoints)
        #expect(q.zeroPoints.map { Int32($0) - 8 } == signed.zeroPoints)
        let packed = Int4Packer.pack(expected.codes, layout: .lowFirst)
        #expect(q.packed == packed, "row-major low-first bytes (K is a multiple of G here, so no padding)")
    }

    @Test("a short last group is padded with zero codes and quantized on its own")
    func shortGroup() {
        let (n, k, g) = (2, 77, 32)
        let w = KernelData.gaussian(n * k, seed: 42)
        let q = Int4GroupWeights(quantizing: w, rows: n, columns: k, groupSize: g)
        #expect(q.groupsPerRow == 3 && q.rowBytes == 48)
        for r in 0..<n {
            #expect((k..<96).allSatisfy { q.code(row: r, column: $0) == 0 })
            // The last group's range is its own 13 values.
            let tail = Array(w[(r * k + 64)..<(r * k + 77)])
            let lo = min(0, tail.min() ?? 0), hi = max(0, tail.max() ?? 0)
            #expect(q.scales[r * 3 + 2] == (hi - lo) / 15)
        }
    }

    @Test("W4A16 equals the Float64 reference within (K/8 + 2K/G + 16)·2⁻²⁴·Σ|S|(q + Z)|x|", arguments: shapes)
    func w4a16(_ shape: (m: Int, n: Int, k: Int, g: Int)) {
        let (m, n, k, g) = shape
        let w = KernelData.gaussian(n * k, seed: 43), x = KernelData.activations(m: m, k: k, seed: 44)
        let q = Int4GroupWeights(quantizing: w, rows: n, columns: k, groupSize: g)
        // GEMV: Σqx and ZΣx are rounded before they cancel, hence q + Z.
        KernelData.expectWithin(W4A16Matmul.multiply(x, m: m, weights: q), ReferenceW4A16Matmul.multiply(x, m: m, q),
                                magnitudes: ReferenceW4A16Matmul.magnitudes(x, m: m, q),
                                factor: Double(k) / 8 + 2 * Double(k) / Double(g) + 16, "w4a16 \(m)×\(n)×\(k) g\(g)")
    }

    @Test("W4A8 group accumulators equal the element-wise reference exactly; y within (K/32 + 8)·2⁻²⁴·S_x·Σ|S(q − Z)a|",
          arguments: shapes, Int8KernelPath.supported)
    func w4a8(_ shape: (m: Int, n: Int, k: Int, g: Int), _ path: Int8KernelPath) {
        let (m, n, k, g) = shape
        let w = KernelData.gaussian(n * k, seed: 45), x = KernelData.activations(m: m, k: k, seed: 46)
        let q = Int4GroupWeights(quantizing: w, rows: n, columns: k, groupSize: g)
        let a = Int8Activations(quantizing: x, rows: m, columns: k, mode: .symmetric)
        let what = "\(m)×\(n)×\(k) g\(g) \(path.name)"
        KernelData.expectEqual(W4A8Matmul.groupAccumulators(a, q, path: path), ReferenceW4A8Matmul.groupAccumulators(a, q), "w4a8 acc \(what)")
        let reference = ReferenceW4A8Matmul.multiply(a, q)
        func y(_ path: Int8KernelPath) -> [Float] {
            var y = [Float](repeating: 0, count: m * n)
            y.withUnsafeMutableBufferPointer { W4A8Matmul.multiply(a, q, into: $0, path: path) }
            return y
        }
        let fast = y(path)
        KernelData.expectWithin(fast, reference.y, magnitudes: reference.magnitudes, factor: Double(k) / 32 + 8, "w4a8 y \(what)")
        #expect(fast.map(\.bitPattern) == y(.baseline).map(\.bitPattern), "w4a8 y \(what) equals the baseline's bit for bit")
    }

    @Test("extreme codes: every q in 0…15 against activations ±127, zero-points at both ends", arguments: Int8KernelPath.supported)
    func extremes(_ path: Int8KernelPath) {
        let (m, n, k, g) = (2, 4, 512, 256)
        let codes = (0..<(n * k)).map { UInt8(($0 * 7) % 16) }
        let zeros: [UInt8] = [0, 15, 8, 7, 15, 0, 11, 11]
        let q = Int4GroupWeights(codes: codes, scales: [Float](repeating: 0.5, count: 8), zeroPoints: zeros, rows: n, columns: k, groupSize: g)
        let xCodes = (0..<(m * k)).map { Int8($0 % 3 == 0 ? 127 : ($0 % 3 == 1 ? -127 : 5)) }
        let a = Int8Activations(codes: xCodes, scales: [1, 0.5], zeroPoints: [0, 0], rows: m, columns: k, mode: .symmetric)
        KernelData.expectEqual(W4A8Matmul.groupAccumulators(a, q, path: path), ReferenceW4A8Matmul.groupAccumulators(a, q),
                               "extreme int4 accumulators \(path.name)")
        let one = Int8Activations(codes: Array(xCodes[0..<k]), scales: [1], zeroPoints: [0], rows: 1, columns: k, mode: .symmetric)
        KernelData.expectEqual(W4A8Matmul.groupAccumulators(one, q, path: path), ReferenceW4A8Matmul.groupAccumulators(one, q),
                               "extreme int4 GEMV accumulators \(path.name)")
        #expect((0..<k).allSatisfy { q.code(row: 1, column: $0) == codes[k + $0] }, "codes round-trip through the packing")
    }
}
