/// How 4-bit codes share bytes (docs/contract.md §5). 2-bit codes always pack four per
/// byte, element k at bits 2k…2k+1, whatever the layout.
///
/// ```
///  low-first   byte = c0 | c1<<4                 (the seed's example)
///  high-first  byte = c0<<4 | c1                 (bitsandbytes)
///  gguf-split  block of 32: byte j = c[j] | c[j+16]<<4          (Q4_0)
///  int32x8     u32 = c0 | c1<<4 | … | c7<<28, little-endian     (GPTQ, compressed-tensors)
///  awq         u32 nibbles hold c0 c2 c4 c6 c1 c3 c5 c7          (AutoAWQ)
/// ```
public enum PackingLayout: String, CaseIterable, Sendable {
    case lowFirst = "low-first"
    case highFirst = "high-first"
    case ggufSplit = "gguf-split"
    case int32x8 = "int32x8"
    case awq = "awq"

    /// Parses the CLI spelling.
    /// - Throws: `QuantizationError.unknownPacking`.
    public init(parsing text: String) throws(QuantizationError) {
        guard let layout = PackingLayout(rawValue: text.lowercased()) else { throw .unknownPacking(text) }
        self = layout
    }

    /// How many codes one padding unit holds: the packed size is a whole number of these.
    public var unitCodes: Int {
        switch self {
        case .lowFirst, .highFirst: return 2
        case .ggufSplit: return 32
        case .int32x8, .awq: return 8
        }
    }

    /// The AWQ nibble order: nibble i of a word holds element `awqOrder[i]`.
    static let awqOrder = [0, 2, 4, 6, 1, 3, 5, 7]
}
