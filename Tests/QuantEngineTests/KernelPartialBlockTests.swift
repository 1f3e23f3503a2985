import Foundation
import Testing
@testable import QuantEngine

/// Every blocked kernel past its last whole K block, against numpy
/// (`Fixtures/kernels/partial/`, `tools/make_kernel_fixtures.py`).
///
/// K = 1056 and 2144 run one or two 1024-column blocks and then a partial
/// one (32 and 96 columns); K = 1061 also ends off the 32-column SIMD width.
/// M = 1 takes the GEMV loops, M = 3 and 17 the GEMM tiles (17 = four VNNI
/// tiles of four tokens and one token over); N leaves short weight panels.
/// The inputs are codes and power-of-two scales chosen so that every
/// product and partial sum is exact in Float32: accumulators and y compare
/// bit for bit, whatever order a kernel sums in. Int8 kernels run each path
/// this machine has (AVX2, and AVX-512 VNNI where present).
@Suite("Kernels: the last partial K block")
struct KernelPartialBlockTests {
    struct Shape: CustomTestStringConvertible, Sendable {
        let name: String, m: Int, n: Int, k: Int, groups: Int, gguf: Bool
        var testDescription: String { "\(name) \(m)×\(n)×\(k)" }
    }

    static var manifest: [String: Any] { ((try? Fixtures.json("kernels/partial/manifest.json")) as? [String: Any]) ?? [:] }
    static let shapes: [Shape] = ((manifest["shapes"] as? [[String: Any]]) ?? []).compactMap { s in
        guard let name = s.string("name"), let m = s.int("m"), let n = s.int("n"), let k = s.int("k"), let g = s.int("groups") else { return nil }
        return Shape(name: name, m: m, n: n, k: k, groups: g, gguf: s["gguf"] as? Bool ?? false)
    }
    static var ggufShapes: [Shape] { shapes.filter(\.gguf) }

    static func scalar(_ key: String) throws -> Float { Float(try #require(manifest[key] as? Double, "manifest has no \(key)")) }
    static func i8(_ s: Shape, _ file: String) throws -> [Int8] { try Fixtures.u8("kernels/partial/\(s.name).\(file)").map { Int8(bitPattern: $0) } }
    static func u8(_ s: Shape, _ file: String) throws -> [UInt8] { try Fixtures.u8("kernels/partial/\(s.name).\(file)") }
    static func f32(_ s: Shape, _ file: String) throws -> [Float] { try Fixtures.f32("kernels/partial/\(s.name).\(file)") }
    static func i32(_ s: Shape, _ file: String) throws -> [Int32] { try Fixtures.i32("kernels/partial/\(s.name).\(file)") }

    /// Bit-for-bit equality of outputs, naming the first differing (token, channel).
    static func expectBits(_ got: [Float], _ want: [Float], n: Int, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.count == want.count, "\(what): \(got.count) outputs, expected \(want.count)", sourceLocation: sourceLocation)
        var bad = Mismatches(what)
        for i in 0..<min(got.count, want.count) {
            bad.check(got[i].bitPattern == want[i].bitPattern, "token \(i / n) channel \(i % n): got \(got[i]), numpy \(want[i])")
        }
        bad.expectNone(sourceLocation: sourceLocation)
    }

    @Test("the fixture covers K past one and two blocks, M = 1, 3, 17, and K off the SIMD width")
    func coverage() {
        #expect(Self.shapes.map(\.m).sorted() == [1, 3, 3, 17])
        #expect(Self.shapes.contains { $0.k > 2 * 1024 && $0.k % 1024 != 0 })
        #expect(Self.shapes.contains { $0.k > 1024 && $0.k < 2048 && $0.m > 1 })
        #expect(Self.shapes.contains { $0.k % 32 != 0 })
        #expect(Self.ggufShapes.count == 3)
    }

    @Test("W8A8 accumulators and y equal numpy's past the last whole block",
          arguments: shapes, Int8KernelPath.supported)
    func w8a8(_ s: Shape, _ path: Int8KernelPath) throws {
        let w = Int8ChannelWeights(codes: try Self.i8(s, "w8.i8"), scales: [Float](repeating: try Self.scalar("sw_w8a8"), count: s.n),
                                   rows: s.n, columns: s.k)
        let codes = try Self.i8(s, "a8.i8"), sx = [Float](repeating: try Self.scalar("sx_w8a8"), count: s.m)
        for mode in Int8Activations.Mode.allCases {
            let tag = mode == .symmetric ? "sym" : "asym"
            let zeros = mode == .symmetric ? [Int32](repeating: 0, count: s.m) : try Self.i32(s, "z.i32")
            let a = Int8Activations(codes: codes, scales: sx, zeroPoints: zeros, rows: s.m, columns: s.k, mode: mode)
            let what = "w8a8 \(tag) \(s.testDescription) \(path.name)"
            KernelData.expectEqual(W8A8Matmul.accumulators(a, w, path: path), try Self.i32(s, "w8a8_\(tag).acc.i32"), what)
            var y = [Float](repeating: 0, count: s.m * s.n)
            y.withUnsafeMutableBufferPointer { W8A8Matmul.multiply(a, w, into: $0, path: path) }
            Self.expectBits(y, try Self.f32(s, "w8a8_\(tag).y.f32"), n: s.n, "\(what) y")
        }
    }

    static func int4Weights(_ s: Shape) throws -> Int4GroupWeights {
        let group = try #require(manifest.int("group"))
        return Int4GroupWeights(codes: try u8(s, "w4.u8"), scales: try f32(s, "w4s.f32"), zeroPoints: try u8(s, "w4z.u8"),
                                rows: s.n, columns: s.k, groupSize: group)
    }

    @Test("W4A16 y equals numpy's past the last whole block, short last group included", arguments: shapes)
    func w4a16(_ s: Shape) throws {
        let w = try Self.int4Weights(s)
        let x = try Self.i8(s, "a8.i8").map(Float.init)
        Self.expectBits(W4A16Matmul.multiply(x, m: s.m, weights: w), try Self.f32(s, "w4a16.y.f32"), n: s.n, "w4a16 \(s.testDescription)")
    }

    @Test("W4A8 group accumulators and y equal numpy's past the last whole block", arguments: shapes, Int8KernelPath.supported)
    func w4a8(_ s: Shape, _ path: Int8KernelPath) throws {
        let w = try Self.int4Weights(s)
        let a = Int8Activations(codes: try Self.i8(s, "a8.i8"), scales: [Float](repeating: try Self.scalar("sx_w4a8"), count: s.m),
                                zeroPoints: [Int32](repeating: 0, count: s.m), rows: s.m, columns: s.k, mode: .symmetric)
        let what = "w4a8 \(s.testDescription) \(path.name)"
        KernelData.expectEqual(W4A8Matmul.groupAccumulators(a, w, path: path), try Self.i32(s, "w4a8.acc.i32"), "\(what) group accumulators")
        var y = [Float](repeating: 0, count: s.m * s.n)
        y.withUnsafeMutableBufferPointer { W4A8Matmul.multiply(a, w, into: $0, path: path) }
        Self.expectBits(y, try Self.f32(s, "w4a8.y.f32"), n: s.n, "\(what) y")
    }

    @Test("FP8 y equals numpy's past the last whole block (GEMV and the panel GEMM)", arguments: shapes)
    func fp8(_ s: Shape) throws {
        let w = FP8Weights(codes: try Self.u8(s, "wf8.u8"), scales: try Self.f32(s, "wf8s.f32"), rows: s.n, columns: s.k, granularity: .channel)
        let x = try Self.i8(s, "a8.i8").map(Float.init)
        Self.expectBits(FP8Matmul.multiply(x, m: s.m, weights: w), try Self.f32(s, "fp8.y.f32"), n: s.n, "fp8 \(s.testDescription)")
    }

    @Test("Q4_0 × Q8_0 and Q8_0 × Q8_0 y equal numpy's past the last whole block", arguments: ggufShapes)
    func gguf(_ s: Shape) throws {
        let x = try Self.i8(s, "xg.i8").map(Float.init)
        for type in [GGUFBlockScheme.q4_0, .q8_0] {
            let w = try GGUFBlockWeights(blocks: try Self.u8(s, "\(type.rawValue).u8"), type: type, rows: s.n, columns: s.k)
            Self.expectBits(GGUFMatmul.multiply(x, m: s.m, weights: w), try Self.f32(s, "\(type.rawValue).y.f32"), n: s.n,
                            "\(type.rawValue) \(s.testDescription)")
        }
    }
}
