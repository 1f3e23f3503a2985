/// The GGUF / llama.cpp block types quantscope can quantize to (docs/contract.md §4).
///
/// The legacy types hold 32 consecutive values of a row per block; their
/// bytes agree with `gguf.quants.quantize` exactly. The K-quants hold 256
/// (a super-block of 16 or 8 sub-blocks, each with its own 4-, 6- or 8-bit
/// scale); gguf-py cannot write them, so their bytes agree with llama.cpp's
/// `quantize_row_q*_K_ref` instead (see `KQuantBlockQuantizer`).
/// ```
///  q4_0  d:f16 | qs[16]            x̂ = d·(q − 8),   q 0…15, qs[j] = q[j] | q[j+16]<<4
///  q4_1  d:f16 m:f16 | qs[16]      x̂ = d·q + m
///  q5_0  d:f16 qh:u32 | qs[16]     x̂ = d·(q − 16),  q 0…31, bit 4 of q[j] in qh bit j
///  q5_1  d:f16 m:f16 qh:u32 | qs[16]
///  q8_0  d:f16 | qs:int8[32]       x̂ = d·q
///  q2_k … q6_k: 256 values, layouts in `KQuantBlockDecoder`
/// ```
public enum GGUFBlockScheme: String, CaseIterable, Sendable {
    case q4_0, q4_1, q5_0, q5_1, q8_0
    case q2_k, q3_k, q4_k, q5_k, q6_k

    /// Whether this is a 256-value K-quant super-block.
    public var isKQuant: Bool { blockSize == 256 }

    /// Values per block (a row's length must be a multiple of it).
    public var blockSize: Int {
        switch self {
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0: return 32
        case .q2_k, .q3_k, .q4_k, .q5_k, .q6_k: return 256
        }
    }

    /// Values sharing one effective scale: the block for the legacy types,
    /// the sub-block (16 or 32 values) for K-quants. `scales` and `mins`
    /// hold one entry per sub-block, and the granularity is `group:` this.
    public var subBlockSize: Int {
        switch self {
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_k, .q5_k: return 32
        case .q2_k, .q3_k, .q6_k: return 16
        }
    }

    /// Bytes per block.
    public var typeSize: Int {
        switch self {
        case .q4_0: return 18
        case .q4_1: return 20
        case .q5_0: return 22
        case .q5_1: return 24
        case .q8_0: return 34
        case .q2_k: return 84
        case .q3_k: return 110
        case .q4_k: return 144
        case .q5_k: return 176
        case .q6_k: return 210
        }
    }

    public var codeBits: Int {
        switch self {
        case .q2_k: return 2
        case .q3_k: return 3
        case .q4_0, .q4_1, .q4_k: return 4
        case .q5_0, .q5_1, .q5_k: return 5
        case .q6_k: return 6
        case .q8_0: return 8
        }
    }

    /// The stored code that means zero (x̂ = scale·(q − offset) + min).
    public var codeOffset: Int {
        switch self {
        case .q4_0: return 8
        case .q5_0: return 16
        case .q3_k: return 4
        case .q6_k: return 32
        default: return 0
        }
    }

    /// Whether sub-blocks carry an offset (x̂ = scale·q + min): q4_1, q5_1
    /// store m; q2_k, q4_k, q5_k store dmin·m_j, subtracted.
    public var hasMin: Bool {
        switch self {
        case .q4_1, .q5_1, .q2_k, .q4_k, .q5_k: return true
        default: return false
        }
    }

    /// The ggml type whose blocks this writes.
    public var ggmlType: GGMLType {
        switch self {
        case .q4_0: return .q4_0
        case .q4_1: return .q4_1
        case .q5_0: return .q5_0
        case .q5_1: return .q5_1
        case .q8_0: return .q8_0
        case .q2_k: return .q2_K
        case .q3_k: return .q3_K
        case .q4_k: return .q4_K
        case .q5_k: return .q5_K
        case .q6_k: return .q6_K
        }
    }
}
