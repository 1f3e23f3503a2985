import Foundation
import Testing
@testable import QuantEngine

/// Shapes and data shared by the kernel suites (`Kernel*Tests.swift`).
///
/// Float kernels are held to a bound on the distance from the exact sum,
/// c·2⁻²⁴·Σ|terms| (the classic bound for a sum of n float terms is about
/// n·2⁻²⁴·Σ|terms|; each suite states its n from how the kernel sums). The
/// references sum in Float64, so their own error is one rounding, inside the
/// slack every bound carries.
enum KernelData {
    /// (M, N, K): GEMV and GEMM, N odd, K not a multiple of 32 (the SIMD
    /// width) nor of the groups, M = 1, 3, 17.
    static let oddShapes: [(m: Int, n: Int, k: Int)] = [(1, 37, 300), (3, 37, 300), (17, 19, 77), (2, 13, 64), (1, 5, 7)]
    /// Large enough for the work to be split over both cores.
    static let splitShapes: [(m: Int, n: Int, k: Int)] = [(1, 700, 512), (8, 400, 1024)]
    /// K a multiple of 32, for the GGUF blocks.
    static let blockShapes: [(m: Int, n: Int, k: Int)] = [(1, 37, 320), (3, 11, 96), (17, 19, 128), (1, 700, 512), (8, 400, 1024)]

    /// Seeded standard normal values (Box–Muller).
    static func gaussian(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        var out = [Float](repeating: 0, count: count)
        var i = 0
        while i < count {
            let u1 = max(Double(rng.next() >> 11) * 0x1p-53, 1e-300), u2 = Double(rng.next() >> 11) * 0x1p-53
            let r = (-2 * log(u1)).squareRoot()
            out[i] = Float(r * cos(2 * .pi * u2))
            if i + 1 < count { out[i + 1] = Float(r * sin(2 * .pi * u2)) }
            i += 2
        }
        return out
    }

    /// Gaussian activations with a mean shift and two loud feature columns,
    /// like an LLM's, so asymmetric ranges and outliers both matter.
    static func activations(m: Int, k: Int, seed: UInt64) -> [Float] {
        var x = gaussian(m * k, seed: seed).map { $0 + 0.5 }
        for row in 0..<m {
            x[row * k + (k / 3)] *= 25
            if k > 4 { x[row * k + k - 2] *= -40 }
        }
        return x
    }

    /// Checks |fast − reference| ≤ factor·2⁻²⁴·magnitude element by element.
    static func expectWithin(_ fast: [Float], _ reference: [Float], magnitudes: [Double], factor: Double, _ what: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(fast.count == reference.count, "\(what): \(fast.count) outputs, expected \(reference.count)", sourceLocation: sourceLocation)
        var mismatches = Mismatches(what)
        for i in 0..<min(fast.count, reference.count) {
            let bound = factor * 0x1p-24 * magnitudes[i] + Double(Float.leastNonzeroMagnitude)
            let error = abs(Double(fast[i]) - Double(reference[i]))
            mismatches.check(error <= bound, "output \(i): fast \(fast[i]), reference \(reference[i]), |Δ| \(error) > bound \(bound)")
        }
        mismatches.expectNone(sourceLocation: sourceLocation)
    }

    /// Exact equality of integer arrays, reporting the first differences.
    static func expectEqual<T: BinaryInteger>(_ fast: [T], _ reference: [T], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(fast.count == reference.count, "\(what): \(fast.count) values, expected \(reference.count)", sourceLocation: sourceLocation)
        var mismatches = Mismatches(what)
        for i in 0..<min(fast.count, reference.count) {
            mismatches.check(fast[i] == reference[i], "index \(i): fast \(fast[i]), reference \(reference[i])")
        }
        mismatches.expectNone(sourceLocation: sourceLocation)
    }
}

/// The float32 kernel: GEMV and the panel GEMM against numpy's float64
/// product and against the Float64 reference.
///
/// Bound: (K/8 + 16)·2⁻²⁴·Σ|x·w|. GEMV sums ⌈K/16⌉ FMAs per lane, a
/// 16-lane tree and a scalar tail of < 16; GEMM sums ⌈1024/8⌉ FMAs per lane
/// per K block, an 8-lane tree and one add per block: both well inside K/8 + 16.
@Suite("Kernels: float32")
struct KernelFloat32Tests {
    static func manifest() throws -> (m: Int, n: Int, k: Int) {
        let json = try #require(try Fixtures.json("kernels/manifest.json") as? [String: Any])
        return (try #require(json.int("m")), try #require(json.int("n")), try #require(json.int("k")))
    }

    @Test("GEMM and GEMV agree with numpy's float64 x @ w.T (37×300 by 5×300)")
    func numpyFixture() throws {
        let (m, n, k) = try Self.manifest()
        let w = try Fixtures.f32("kernels/w.f32"), x = try Fixtures.f32("kernels/x.f32"), y = try Fixtures.f32("kernels/y.f32")
        try #require(w.count == n * k && x.count == m * k && y.count == m * n)
        let magnitudes = ReferenceFloat32Matmul.magnitudes(x, w, m: m, n: n, k: k)
        let factor = Double(k) / 8 + 16
        KernelData.expectWithin(Float32Matmul.multiply(x, w, m: m, n: n, k: k), y, magnitudes: magnitudes, factor: factor, "GEMM vs numpy")
        // The first token alone takes the GEMV path.
        KernelData.expectWithin(Float32Matmul.multiply(Array(x[0..<k]), w, m: 1, n: n, k: k), Array(y[0..<n]),
                                magnitudes: Array(magnitudes[0..<n]), factor: factor, "GEMV vs numpy")
    }

    @Test("fast equals the Float64 reference within (K/8 + 16)·2⁻²⁴·Σ|xw| on odd and split shapes",
          arguments: KernelData.oddShapes + KernelData.splitShapes)
    func againstReference(_ shape: (m: Int, n: Int, k: Int)) {
        let (m, n, k) = shape
        let w = KernelData.gaussian(n * k, seed: 11), x = KernelData.activations(m: m, k: k, seed: 12)
        let fast = Float32Matmul.multiply(x, w, m: m, n: n, k: k)
        let reference = ReferenceFloat32Matmul.multiply(x, w, m: m, n: n, k: k)
        KernelData.expectWithin(fast, reference, magnitudes: ReferenceFloat32Matmul.magnitudes(x, w, m: m, n: n, k: k),
                                factor: Double(k) / 8 + 16, "f32 \(m)×\(n)×\(k)")
    }

    @Test("K = 0 gives zeros; M = 0 or N = 0 gives nothing")
    func emptyShapes() {
        #expect(Float32Matmul.multiply([], [], m: 2, n: 3, k: 0) == [Float](repeating: 0, count: 6))
        #expect(Float32Matmul.multiply([], [1, 2], m: 0, n: 1, k: 2).isEmpty)
        #expect(Float32Matmul.multiply([1, 2], [], m: 1, n: 0, k: 2).isEmpty)
    }

    @Test("exact small integers come out exact (every product and sum representable)")
    func exactIntegers() {
        let (m, n, k) = (5, 9, 45)
        let x = (0..<(m * k)).map { Float($0 % 7) - 3 }, w = (0..<(n * k)).map { Float($0 % 5) - 2 }
        #expect(Float32Matmul.multiply(x, w, m: m, n: n, k: k) == ReferenceFloat32Matmul.multiply(x, w, m: m, n: n, k: k))
    }
}

/// Edge cases every kernel shares: all-zero inputs, and a token holding NaN
/// or ±Inf, which must not disturb the other tokens.
@Suite("Kernels: edge cases")
struct KernelEdgeTests {
    typealias Multiply = (_ x: [Float], _ m: Int) -> [Float]

    /// Every kernel on N×K weights, as a function of the activations.
    static func kernels(_ w: [Float], n: Int, k: Int) throws -> [(String, Multiply)] {
        let int8 = Int8ChannelWeights(quantizing: w, rows: n, columns: k)
        let int4 = Int4GroupWeights(quantizing: w, rows: n, columns: k, groupSize: 32)
        let fp8 = FP8Weights(quantizing: w, rows: n, columns: k)
        let q4 = try GGUFBlockWeights(quantizing: w, rows: n, columns: k, type: .q4_0)
        let q8 = try GGUFBlockWeights(quantizing: w, rows: n, columns: k, type: .q8_0)
        return [
            ("f32", { x, m in Float32Matmul.multiply(x, w, m: m, n: n, k: k) }),
            ("w8a8", { x, m in W8A8Matmul.multiply(x, m: m, weights: int8, mode: .symmetric) }),
            ("w8a8-asym", { x, m in W8A8Matmul.multiply(x, m: m, weights: int8, mode: .asymmetric) }),
            ("w4a16", { x, m in W4A16Matmul.multiply(x, m: m, weights: int4) }),
            ("w4a8", { x, m in W4A8Matmul.multiply(x, m: m, weights: int4) }),
            ("fp8", { x, m in FP8Matmul.multiply(x, m: m, weights: fp8) }),
            ("q4_0", { x, m in GGUFMatmul.multiply(x, m: m, weights: q4) }),
            ("q8_0", { x, m in GGUFMatmul.multiply(x, m: m, weights: q8) }),
        ]
    }

    @Test("all-zero weights or activations give exact zeros, GEMV and GEMM")
    func zeros() throws {
        let (n, k) = (9, 96)
        for (weights, x) in [([Float](repeating: 0, count: n * k), KernelData.gaussian(3 * k, seed: 71)),
                             (KernelData.gaussian(n * k, seed: 72), [Float](repeating: 0, count: 3 * k))] {
            for (name, multiply) in try Self.kernels(weights, n: n, k: k) {
                for m in [1, 3] {
                    let y = multiply(Array(x[0..<(m * k)]), m)
                    #expect(y.count == m * n && y.allSatisfy { $0 == 0 }, "\(name) m=\(m): \(y.prefix(4))")
                }
            }
        }
    }

    @Test("a token with NaN and ±Inf leaves the other tokens' outputs bit for bit as they were")
    func nonFiniteToken() throws {
        let (n, k, m) = (11, 64, 3)
        let w = KernelData.gaussian(n * k, seed: 73)
        var clean = KernelData.activations(m: m, k: k, seed: 74)
        clean.replaceSubrange(0..<k, with: repeatElement(0, count: k))
        var poisoned = clean
        poisoned[3] = .nan
        poisoned[5] = .infinity
        poisoned[7] = -.infinity
        for (name, multiply) in try Self.kernels(w, n: n, k: k) {
            let a = multiply(clean, m), b = multiply(poisoned, m)
            #expect(a[n...].map(\.bitPattern) == b[n...].map(\.bitPattern), "\(name): tokens 1 and 2 changed")
        }
    }
}
