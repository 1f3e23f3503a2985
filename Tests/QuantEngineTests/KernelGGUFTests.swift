import Foundation
import Testing
@testable import QuantEngine

/// Q4_0 × Q8_0 and Q8_0 × Q8_0 against llama.cpp's generic C
/// (`ReferenceGGUFMatmul`) on blocks from `GGUFBlockQuantizer`: the SIMD
/// Q8_0 activation quantizer byte for byte, every block's integer sum
/// exactly, y within 2·(K/32 + 8)·2⁻²⁴·Σ_b|d_w·d_x|·Σ|q_w·q_x| (both sides
/// sum K/32 scaled blocks in Float32, in different orders).
@Suite("Kernels: GGUF Q4_0 and Q8_0")
struct KernelGGUFTests {
    static let types: [GGUFBlockScheme] = [.q4_0, .q8_0]

    @Test("SIMD Q8_0 activations equal GGUFBlockQuantizer's blocks, ties rounded away from zero")
    func activationBlocks() {
        let (m, k) = (3, 160)
        var x = KernelData.activations(m: m, k: k, seed: 51)
        // A block whose d is exactly 1: x·(1/d) lands on ties, which round away from zero.
        let ties: [Float] = [127, 2.5, -2.5, 0.5, -0.5, 1.5, -1.5, 126.5, -126.5, 3.5, -3.5, 0.49999997, -0.49999997]
        for (j, v) in ties.enumerated() { x[32 + j] = v }
        x[64 + 3] = .nan
        x[64 + 4] = .infinity
        let fast = x.withUnsafeBufferPointer { Q8_0Activations(quantizing: $0.baseAddress!, rows: m, columns: k, corrections: false) }
        let reference = ReferenceGGUFMatmul.quantize(x, m: m, k: k)
        var mismatches = Mismatches("Q8_0 blocks")
        for b in 0..<(m * k / 32) {
            let block = Array(reference[(34 * b)..<(34 * b + 34)])
            let d = Float(Float16(bitPattern: UInt16(block[0]) | UInt16(block[1]) << 8))
            let codes = block[2...].map { Int8(bitPattern: $0) }
            let ours = Array(fast.codes[(32 * b)..<(32 * b + 32)])
            mismatches.check(ours == codes && fast.scales[b].bitPattern == d.bitPattern,
                             "block \(b): expected d \(d) codes \(codes), got d \(fast.scales[b]) codes \(ours)")
        }
        mismatches.expectNone()
        #expect(Array(fast.codes[33...35]) == [3, -3, 1], "2.5 → 3, −2.5 → −3, 0.5 → 1")
    }

    @Test("every block's integer sum equals llama.cpp's sumi", arguments: types)
    func blockSums(_ type: GGUFBlockScheme) throws {
        let (m, n, k) = (2, 5, 256)
        let w = KernelData.gaussian(n * k, seed: 52), x = KernelData.activations(m: m, k: k, seed: 53)
        let weights = try GGUFBlockWeights(quantizing: w, rows: n, columns: k, type: type)
        let xBlocks = ReferenceGGUFMatmul.quantize(x, m: m, k: k)
        let a = x.withUnsafeBufferPointer { Q8_0Activations(quantizing: $0.baseAddress!, rows: m, columns: k, corrections: type == .q4_0) }
        var mismatches = Mismatches("\(type) block sums")
        weights.blocks.withUnsafeBytes { raw in
            a.withPointers { act in
                for token in 0..<m {
                    for row in 0..<n {
                        for b in 0..<weights.blocksPerRow {
                            let block = raw.baseAddress! + (row * weights.blocksPerRow + b) * type.typeSize
                            let lanes = type == .q4_0
                                ? GGUFMatmul.lanesQ4(block, act.codes + token * k + 32 * b, act.corrections[token * weights.blocksPerRow + b])
                                : GGUFMatmul.lanesQ8(block, act.codes + token * k + 32 * b)
                            let start = (token * weights.blocksPerRow + b) * 34
                            let expected = ReferenceGGUFMatmul.blockSum(weights.blockBytes(row: row, block: b), xBlocks[start..<(start + 34)], type: type)
                            mismatches.check(KernelLanes.sum(lanes) == expected, "token \(token) row \(row) block \(b): \(KernelLanes.sum(lanes)) vs \(expected)")
                        }
                    }
                }
            }
        }
        mismatches.expectNone()
    }

    @Test("y equals the llama.cpp reference within bound, GEMV and GEMM", arguments: types)
    func againstReference(_ type: GGUFBlockScheme) throws {
        for (m, n, k) in KernelData.blockShapes {
            let w = KernelData.gaussian(n * k, seed: 54), x = KernelData.activations(m: m, k: k, seed: 55)
            let weights = try GGUFBlockWeights(quantizing: w, rows: n, columns: k, type: type)
            let reference = ReferenceGGUFMatmul.multiply(ReferenceGGUFMatmul.quantize(x, m: m, k: k), m: m, weights)
            KernelData.expectWithin(GGUFMatmul.multiply(x, m: m, weights: weights), reference.y, magnitudes: reference.magnitudes,
                                    factor: 2 * (Double(k) / 32 + 8), "\(type) \(m)×\(n)×\(k)")
        }
    }

    @Test("weight blocks are GGUFBlockQuantizer's bytes; K not a multiple of 32 is refused")
    func weightBlocks() throws {
        let (n, k) = (3, 96)
        let w = KernelData.gaussian(n * k, seed: 56)
        for type in Self.types {
            let weights = try GGUFBlockWeights(quantizing: w, rows: n, columns: k, type: type)
            let expected = try Quantizer.quantize(Tensor(shape: [n, k], values: w), scheme: .gguf(type))
            #expect(weights.blocks == expected.blockBytes)
        }
        #expect(throws: QuantizationError.rowLengthNotMultiple(scheme: "q4_0", rowLength: 33, block: 32)) {
            try GGUFBlockWeights(quantizing: [Float](repeating: 1, count: 33), rows: 1, columns: 33, type: .q4_0)
        }
    }

    @Test("a −128 weight code in Q8_0 blocks (never written by llama.cpp, possible in a file) still multiplies exactly")
    func minusOneTwentyEight() throws {
        let k = 64
        var blocks = [UInt8](repeating: 0, count: 2 * 34)
        for b in 0..<2 {
            blocks[34 * b] = 0x00; blocks[34 * b + 1] = 0x3C  // d = 1.0
            for j in 0..<32 { blocks[34 * b + 2 + j] = UInt8(bitPattern: j % 2 == 0 ? -128 : 127) }
        }
        let weights = try GGUFBlockWeights(blocks: blocks, type: .q8_0, rows: 1, columns: k)
        let x = (0..<k).map { Float($0 % 3) - 1 }
        let reference = ReferenceGGUFMatmul.multiply(ReferenceGGUFMatmul.quantize(x, m: 1, k: k), m: 1, weights)
        #expect(GGUFMatmul.multiply(x, m: 1, weights: weights) == reference.y)
    }
}
