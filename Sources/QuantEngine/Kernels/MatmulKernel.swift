import Foundation

/// A quantized matrix-multiply kernel with its settings: what `quantscope
/// matmul --scheme` names and what the explorer's Matmul view compares.
public enum MatmulKernel: Equatable, Sendable, CaseIterable {
    public static let allCases: [MatmulKernel] = [.w8a8(.symmetric), .w4a16(group: 128), .w4a8(group: 128), .fp8, .gguf(.q4_0)]

    case w8a8(Int8Activations.Mode), w4a16(group: Int), w4a8(group: Int), fp8, gguf(GGUFBlockScheme)

    /// Parses a CLI spelling; nil when unknown or the group size is not a positive multiple of 32.
    public init?(parsing text: String, groupSize: Int = 128) {
        switch text.lowercased() {
        case "w8a8": self = .w8a8(.symmetric)
        case "w8a8-asym": self = .w8a8(.asymmetric)
        case "w4a16": self = .w4a16(group: groupSize)
        case "w4a8": self = .w4a8(group: groupSize)
        // a8w8-fp8: the seed's "A8W8", which is FP8 (docs/contract.md §10).
        case "fp8", "fp8-e4m3", "w8a8-fp8", "a8w8-fp8": self = .fp8
        case "q4_0": self = .gguf(.q4_0)
        case "q8_0": self = .gguf(.q8_0)
        default: return nil
        }
        if case .w4a16 = self, groupSize <= 0 || groupSize % 32 != 0 { return nil }
        if case .w4a8 = self, groupSize <= 0 || groupSize % 32 != 0 { return nil }
    }

    public var name: String {
        switch self {
        case .w8a8(let mode): return mode == .symmetric ? "w8a8" : "w8a8-asym"
        case .w4a16: return "w4a16"
        case .w4a8: return "w4a8"
        case .fp8: return "fp8"
        case .gguf(let block): return block.rawValue
        }
    }

    /// Whether the kernel's times are an emulation: no CPU has FP8 arithmetic,
    /// so `fp8` decodes E4M3 to float32 in its inner loop (docs/contract.md §7).
    public var isEmulated: Bool { self == .fp8 }

    /// The phrase every FP8 timing carries.
    public static let emulationNote = "emulated on CPU (no FP8 hardware)"

    /// How the kernel's name meets the seed's "A8W8", which is FP8 (docs/contract.md §10).
    public var seedNote: String? {
        switch self {
        case .w8a8: return "\(name) is int8; the seed's A8W8 is FP8: a8w8-fp8"
        case .fp8: return "the seed's A8W8 (a8w8-fp8) is this FP8 kernel; w8a8 is int8"
        default: return nil
        }
    }

    public var summary: String {
        switch self {
        case .w8a8(let mode):
            return "int8 weights per channel (symmetric) × int8 activations per token (\(mode.rawValue)), Int32 accumulators"
        case .w4a16(let g): return "int4 weights, scale and zero-point per \(g) inputs × float activations"
        case .w4a8(let g): return "int4 weights, scale and zero-point per \(g) inputs × int8 activations per token, Int32 per group"
        case .fp8: return "E4M3 weights per channel × E4M3 activations per token, float accumulation"
        case .gguf(let b): return "GGUF \(b.rawValue.uppercased()) weights × Q8_0 activations per 32 values, as llama.cpp"
        }
    }

    /// Quantizes the weights once; returns the multiply (activations in, Y out).
    /// - Throws: `QuantizationError` when the weight does not fit the kernel
    ///   (q4_0/q8_0 need K to be a multiple of 32).
    public func prepare(_ w: [Float], n: Int, k: Int) throws(QuantizationError)
        -> @Sendable (UnsafeBufferPointer<Float>, Int, UnsafeMutableBufferPointer<Float>) -> Void {
        switch self {
        case .w8a8(let mode):
            let q = Int8ChannelWeights(quantizing: w, rows: n, columns: k)
            return { x, m, y in W8A8Matmul.multiply(x, m: m, weights: q, mode: mode, into: y) }
        case .w4a16(let g):
            let q = Int4GroupWeights(quantizing: w, rows: n, columns: k, groupSize: g)
            return { x, m, y in W4A16Matmul.multiply(x, m: m, weights: q, into: y) }
        case .w4a8(let g):
            let q = Int4GroupWeights(quantizing: w, rows: n, columns: k, groupSize: g)
            return { x, m, y in W4A8Matmul.multiply(x, m: m, weights: q, into: y) }
        case .fp8:
            let q = FP8Weights(quantizing: w, rows: n, columns: k, granularity: .channel)
            return { x, m, y in FP8Matmul.multiply(x, m: m, weights: q, into: y) }
        case .gguf(let block):
            let q = try GGUFBlockWeights(quantizing: w, rows: n, columns: k, type: block)
            return { x, m, y in GGUFMatmul.multiply(x, m: m, weights: q, into: y) }
        }
    }
}
