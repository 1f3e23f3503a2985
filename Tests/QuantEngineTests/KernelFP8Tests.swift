import Foundation
import Testing
@testable import QuantEngine

/// FP8 W8A8: the register decoder against the 256-entry table for every
/// code, activation codes against the scalar E4M3 encoder, y within
/// (K/8 + 16)·2⁻²⁴·Σ|S_x·S_w·w·x| of the Float64 reference (every product
/// of two E4M3 values is exact in Float32; only the sums round).
@Suite("Kernels: FP8 E4M3")
struct KernelFP8Tests {
    @Test("the register decoder equals the table (÷256) for all 256 codes, NaN included on the exact path")
    func decoder() {
        let codes = SIMD16<UInt8>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        var mismatches = Mismatches("E4M3 decode")
        for base in stride(from: 0, to: 256, by: 16) {
            let c = codes &+ UInt8(base)
            let exact = FP8Matmul.decode(c, exactNaN: true), fast = FP8Matmul.decode(c, exactNaN: false)
            for lane in 0..<16 {
                let code = base + lane
                let table = FP8Matmul.decodeTable[code]
                mismatches.check(sameBits(exact[lane] * 256, table), "code \(Show.hex(code)) exact path: \(exact[lane] * 256) vs \(table)")
                if !table.isNaN {
                    mismatches.check(sameBits(fast[lane] * 256, table), "code \(Show.hex(code)) fast path: \(fast[lane] * 256) vs \(table)")
                }
            }
        }
        mismatches.expectNone()
        #expect(FP8Matmul.decodeTable[0x7E] == 448 && FP8Matmul.decodeTable[0x01] == 0x1p-9 && FP8Matmul.decodeTable[0x7F].isNaN)
    }

    @Test("activation codes and scales equal the scalar E4M3 encoder")
    func activationCodes() {
        let (m, k) = (4, 77)
        var x = KernelData.activations(m: m, k: k, seed: 61)
        x[5] = 1e-9  // subnormal after scaling
        x[k + 3] = 0
        let fast = x.withUnsafeBufferPointer { FP8Activations(quantizing: $0.baseAddress!, rows: m, columns: k, stride: 96) }
        for r in 0..<m {
            let (codes, scale) = ReferenceActivationQuantizer.e4m3(Array(x[(r * k)..<((r + 1) * k)]))
            #expect(Array(fast.codes[(r * 96)..<(r * 96 + k)]) == codes, "token \(r) codes")
            #expect(fast.codes[(r * 96 + k)..<((r + 1) * 96)].allSatisfy { $0 == 0 }, "token \(r) padding")
            #expect(fast.scales[r] == scale)
        }
    }

    @Test("y equals the Float64 reference within bound, per-tensor and per-channel, GEMV and GEMM",
          arguments: FP8Weights.ScaleGranularity.allCases)
    func againstReference(_ granularity: FP8Weights.ScaleGranularity) {
        for (m, n, k) in KernelData.oddShapes + KernelData.splitShapes {
            let w = KernelData.gaussian(n * k, seed: 62), x = KernelData.activations(m: m, k: k, seed: 63)
            let weights = FP8Weights(quantizing: w, rows: n, columns: k, granularity: granularity)
            #expect(weights.scales.count == (granularity == .tensor ? 1 : n) && !weights.hasNaNCodes)
            let reference = ReferenceFP8Matmul.multiply(x, m: m, weights)
            KernelData.expectWithin(FP8Matmul.multiply(x, m: m, weights: weights), reference.y, magnitudes: reference.magnitudes,
                                    factor: Double(k) / 8 + 16, "fp8 \(granularity) \(m)×\(n)×\(k)")
        }
    }

    @Test("weights holding NaN codes multiply to NaN, as the table says")
    func nanCodes() {
        let k = 40
        var codes = [UInt8](repeating: 0x38, count: 2 * k)  // 1.0
        codes[k + 7] = 0xFF
        let weights = FP8Weights(codes: codes, scales: [1, 1], rows: 2, columns: k, granularity: .channel)
        #expect(weights.hasNaNCodes)
        for m in [1, 2] {
            let y = FP8Matmul.multiply([Float](repeating: 1, count: m * k), m: m, weights: weights)
            #expect(abs(y[0] - Float(k)) < 1e-4 && y[1].isNaN, "m = \(m): \(y)")
        }
    }
}
