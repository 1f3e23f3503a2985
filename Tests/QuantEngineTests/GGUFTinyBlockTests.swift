import Testing
@testable import QuantEngine

/// Blocks whose largest |x| is subnormal: d is subnormal, 1/d overflows and
/// x/d is NaN or ±Inf. gguf-py 0.19 (numpy on x86) writes these bytes for
/// the block [0, 1e-39, −3e-40, 0, 0, 2e-45, 0…]; we must match, not trap.
@Suite struct GGUFTinyBlockTests {
    static let input: [Float] = {
        var x = [Float](repeating: 0, count: 32)
        x[1] = 1e-39
        x[2] = -3e-40
        x[5] = 2e-45
        return x
    }()

    /// `gguf.quants.quantize(x, T)[0]` printed by numpy (see tools/make_fixtures.py for the library versions).
    static let expected: [GGUFBlockScheme: [UInt8]] = [
        .q4_0: [0, 128] + [UInt8](repeating: 0, count: 16),
        .q4_1: [0, 0, 0, 128] + [UInt8](repeating: 0, count: 16),
        .q5_0: [0, 128] + [UInt8](repeating: 0, count: 20),
        .q5_1: [0, 0, 0, 128] + [UInt8](repeating: 0, count: 20),
        .q8_0: [UInt8](repeating: 0, count: 34),
    ]

    /// The legacy 32-value types; K-quants' subnormal rows are in the libggml fixtures (KQuantQuantizationTests).
    @Test(arguments: GGUFBlockScheme.allCases.filter { !$0.isKQuant })
    func subnormalBlocksMatchGGUFPy(block: GGUFBlockScheme) throws {
        let q = try Quantizer.quantize(Tensor(shape: [1, 32], values: Self.input), scheme: .gguf(block))
        #expect(q.blockBytes == Self.expected[block])
        #expect(q.dequantized.allSatisfy { $0 == 0 })
        #expect(q.scales.allSatisfy { !$0.isNaN })
    }
}
