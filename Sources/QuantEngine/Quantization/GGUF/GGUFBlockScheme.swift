/// The GGUF / llama.cpp block types quantscope can quantize to (SPEC §4).
///
/// Each block holds 32 consecutive values of a row; the bytes agree with
/// `gguf.quants.quantize` (llama.cpp's reference quantizers) exactly.
/// ```
///  q4_0  d:f16 | qs[16]            x̂ = d·(q − 8),   q 0…15, qs[j] = q[j] | q[j+16]<<4
///  q4_1  d:f16 m:f16 | qs[16]      x̂ = d·q + m
///  q5_0  d:f16 qh:u32 | qs[16]     x̂ = d·(q − 16),  q 0…31, bit 4 of q[j] in qh bit j
///  q5_1  d:f16 m:f16 qh:u32 | qs[16]
///  q8_0  d:f16 | qs:int8[32]       x̂ = d·q
/// ```
public enum GGUFBlockScheme: String, CaseIterable, Sendable {
    case q4_0, q4_1, q5_0, q5_1, q8_0

    /// Values per block.
    public var blockSize: Int { 32 }

    /// Bytes per block.
    public var typeSize: Int {
        switch self {
        case .q4_0: return 18
        case .q4_1: return 20
        case .q5_0: return 22
        case .q5_1: return 24
        case .q8_0: return 34
        }
    }

    public var codeBits: Int {
        switch self {
        case .q4_0, .q4_1: return 4
        case .q5_0, .q5_1: return 5
        case .q8_0: return 8
        }
    }

    /// Whether blocks carry a minimum m (x̂ = d·q + m).
    public var hasMin: Bool { self == .q4_1 || self == .q5_1 }
}
