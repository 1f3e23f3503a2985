import Foundation
import Testing
@testable import QuantEngine

/// W8A8: int8 activation and weight codes against numpy and the scalar
/// reference, bit for bit; the Int32 accumulators of the fast paths (AVX2,
/// and AVX-512 VNNI where this machine has it) against numpy's int64
/// products and against the reference that subtracts the zero-point
/// element by element; y bit for bit (same formula both sides).
@Suite("Kernels: W8A8")
struct KernelInt8Tests {
    static func fixture() throws -> (m: Int, n: Int, k: Int, w: [Float], x: [Float]) {
        let (m, n, k) = try KernelFloat32Tests.manifest()
        return (m, n, k, try Fixtures.f32("kernels/w.f32"), try Fixtures.f32("kernels/x.f32"))
    }

    static func i8(_ path: String) throws -> [Int8] { try Fixtures.u8(path).map { Int8(bitPattern: $0) } }

    @Test("weight codes and scales equal numpy's per-row symmetric int8")
    func weightCodes() throws {
        let (_, n, k, w, _) = try Self.fixture()
        let q = Int8ChannelWeights(quantizing: w, rows: n, columns: k)
        let codes = (0..<n).flatMap { r in (0..<k).map { q.code(row: r, column: $0) } }
        KernelData.expectEqual(codes.map(Int.init), try Self.i8("kernels/wq.i8").map(Int.init), "weight codes")
        #expect(q.scales.map(\.bitPattern) == (try Fixtures.f32("kernels/ws.f32")).map(\.bitPattern))
        #expect(q.rowStride == 320 && q.codes[300..<320].allSatisfy { $0 == 0 }, "rows padded to 32 with zero codes")
        #expect(!q.codes.contains(-128))
    }

    @Test("activation codes, scales and zero-points equal numpy's", arguments: Int8Activations.Mode.allCases)
    func activationCodes(_ mode: Int8Activations.Mode) throws {
        let (m, _, k, _, x) = try Self.fixture()
        let tag = mode == .symmetric ? "sym" : "asym"
        let a = Int8Activations(quantizing: x, rows: m, columns: k, mode: mode)
        let codes = (0..<m).flatMap { r in (0..<k).map { a.code(row: r, column: $0) } }
        KernelData.expectEqual(codes.map(Int.init), try Self.i8("kernels/xq_\(tag).i8").map(Int.init), "\(tag) activation codes")
        #expect(a.scales.map(\.bitPattern) == (try Fixtures.f32("kernels/xs_\(tag).f32")).map(\.bitPattern))
        if mode == .asymmetric {
            #expect(a.zeroPoints == (try Fixtures.i32("kernels/xz_asym.i32")))
            #expect(a.zeroPoints.contains { $0 != 0 }, "the shifted activations need a zero-point")
        }
    }

    @Test("Int32 accumulators equal numpy's int64 products (GEMM and GEMV)",
          arguments: Int8Activations.Mode.allCases, Int8KernelPath.supported)
    func accumulatorsAgainstNumpy(_ mode: Int8Activations.Mode, _ path: Int8KernelPath) throws {
        let (m, n, k, w, x) = try Self.fixture()
        let tag = "\(mode == .symmetric ? "sym" : "asym") \(path.name)"
        let q = Int8ChannelWeights(quantizing: w, rows: n, columns: k)
        let a = Int8Activations(quantizing: x, rows: m, columns: k, mode: mode)
        let expected = try Fixtures.i32("kernels/acc_\(mode == .symmetric ? "sym" : "asym").i32")
        KernelData.expectEqual(W8A8Matmul.accumulators(a, q, path: path), expected, "\(tag) accumulators")
        let first = Int8Activations(quantizing: Array(x[0..<k]), rows: 1, columns: k, mode: mode)
        KernelData.expectEqual(W8A8Matmul.accumulators(first, q, path: path), Array(expected[0..<n]), "\(tag) GEMV accumulators")
    }

    @Test("fast accumulators and outputs equal the element-wise reference exactly",
          arguments: KernelData.oddShapes + KernelData.splitShapes + KernelInt8Tests.tileShapes, Int8KernelPath.supported)
    func againstReference(_ shape: (m: Int, n: Int, k: Int), _ path: Int8KernelPath) {
        let (m, n, k) = shape
        let w = KernelData.gaussian(n * k, seed: 21), x = KernelData.activations(m: m, k: k, seed: 22)
        let q = Int8ChannelWeights(quantizing: w, rows: n, columns: k)
        for mode in Int8Activations.Mode.allCases {
            let a = Int8Activations(quantizing: x, rows: m, columns: k, mode: mode)
            let ref = ReferenceW8A8Matmul.quantize(x, m: m, k: k, mode: mode)
            KernelData.expectEqual((0..<m).flatMap { r in (0..<k).map { Int(a.code(row: r, column: $0)) } }, ref.codes.map(Int.init),
                                   "\(mode) codes \(m)×\(k)")
            #expect(a.scales == ref.scales && a.zeroPoints == ref.zeroPoints)
            KernelData.expectEqual(W8A8Matmul.accumulators(a, q, path: path), ReferenceW8A8Matmul.accumulators(a, q),
                                   "\(mode) acc \(m)×\(n)×\(k) \(path.name)")
            var y = [Float](repeating: 0, count: m * n)
            y.withUnsafeMutableBufferPointer { W8A8Matmul.multiply(a, q, into: $0, path: path) }
            let expected = ReferenceW8A8Matmul.multiply(a, q)
            #expect(y.map(\.bitPattern) == expected.map(\.bitPattern), "\(mode) y \(m)×\(n)×\(k) \(path.name)")
        }
    }

    @Test("the zero-point correction: Σw·q − Z·Σw equals Σw·(q − Z) with extreme codes", arguments: Int8KernelPath.supported)
    func zeroPointCorrection(_ path: Int8KernelPath) {
        // Codes at the ends of the range, a zero-point far from 0, and K odd.
        let (m, n, k) = (3, 5, 333)
        var rng = SeededGenerator(seed: 5)
        let wCodes = (0..<(n * k)).map { _ in Int8(Int(rng.next() % 255) - 127) }
        var xCodes = (0..<(m * k)).map { _ in Int8(truncatingIfNeeded: Int(rng.next() % 256)) }
        for i in 0..<k { xCodes[i] = i % 2 == 0 ? -128 : 127 }
        let w = Int8ChannelWeights(codes: wCodes, scales: [Float](repeating: 0.01, count: n), rows: n, columns: k)
        let a = Int8Activations(codes: xCodes, scales: [0.5, 0.25, 2], zeroPoints: [-128, 127, 37], rows: m, columns: k, mode: .asymmetric)
        KernelData.expectEqual(W8A8Matmul.accumulators(a, w, path: path), ReferenceW8A8Matmul.accumulators(a, w), "extreme codes \(path.name)")
        let one = Int8Activations(codes: Array(xCodes[0..<k]), scales: [0.5], zeroPoints: [-128], rows: 1, columns: k, mode: .asymmetric)
        KernelData.expectEqual(W8A8Matmul.accumulators(one, w, path: path), ReferenceW8A8Matmul.accumulators(one, w),
                               "extreme codes GEMV \(path.name)")
        for token in 0..<m {
            for channel in 0..<n {
                let t = Int8AccumulatorTrace(activations: a, weights: w, token: token, channel: channel)
                #expect(t.accumulator == t.rawDot - t.zeroPoint * t.weightRowSum)
                #expect(t.runningSums.last == t.accumulator)
            }
        }
    }

    @Test("the teaching trace matches the fast kernel's accumulator and output", arguments: Int8KernelPath.supported)
    func trace(_ path: Int8KernelPath) throws {
        let (m, n, k, w, x) = try Self.fixture()
        let q = Int8ChannelWeights(quantizing: w, rows: n, columns: k)
        let a = Int8Activations(quantizing: x, rows: m, columns: k, mode: .asymmetric)
        let acc = W8A8Matmul.accumulators(a, q, path: path)
        var y = [Float](repeating: 0, count: m * n)
        y.withUnsafeMutableBufferPointer { W8A8Matmul.multiply(a, q, into: $0, path: path) }
        for (token, channel) in [(0, 0), (4, 36), (2, 3)] {
            let t = Int8AccumulatorTrace(activations: a, weights: q, token: token, channel: channel)
            #expect(t.products.count == k && t.accumulator == acc[token * n + channel])
            #expect(t.output.bitPattern == y[token * n + channel].bitPattern)
        }
    }

    /// Shapes around the VNNI GEMM tile (4 tokens × 6 rows, 64 columns a
    /// step, a last 32): M and N one short of, at and one past a tile; K a
    /// multiple of 64, and one with a 32 left over.
    static let tileShapes: [(m: Int, n: Int, k: Int)] = [(4, 6, 64), (5, 7, 96), (7, 11, 128), (9, 13, 160), (64, 13, 352)]

    @Test("the VNNI path is the default where supported, and QUANTSCOPE_NO_AVX512 turns it off")
    func pathSelection() {
        #expect(Int8KernelPath.select(environment: [:], vnniAvailable: true) == .avx512VNNI)
        #expect(Int8KernelPath.select(environment: ["QUANTSCOPE_NO_AVX512": "0"], vnniAvailable: true) == .avx512VNNI)
        #expect(Int8KernelPath.select(environment: ["QUANTSCOPE_NO_AVX512": ""], vnniAvailable: true) == .avx512VNNI)
        #expect(Int8KernelPath.select(environment: ["QUANTSCOPE_NO_AVX512": "1"], vnniAvailable: true) == .baseline)
        #expect(Int8KernelPath.select(environment: [:], vnniAvailable: false) == .baseline)
        #expect(Int8KernelPath.supported.first == .baseline)
        #expect(Int8KernelPath.supported.contains(Int8KernelPath.current))
    }

    @Test("the quantized product is close to float32 on real-looking data (SQNR > 25 dB)")
    func accuracy() {
        let (m, n, k) = (4, 64, 256)
        let w = KernelData.gaussian(n * k, seed: 31), x = KernelData.gaussian(m * k, seed: 32)
        let exact = Float32Matmul.multiply(x, w, m: m, n: n, k: k)
        let q = Int8ChannelWeights(quantizing: w, rows: n, columns: k)
        let y = W8A8Matmul.multiply(x, m: m, weights: q, mode: .symmetric)
        let metrics = exact.withUnsafeBufferPointer { e in y.withUnsafeBufferPointer { ErrorMetrics.compare(e, $0) } }
        #expect(metrics.sqnrDecibels > 25, "SQNR \(metrics.sqnrDecibels) dB")
    }
}
