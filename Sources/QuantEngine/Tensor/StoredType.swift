/// How a tensor's elements are stored in a file, before decoding to Float32.
public enum StoredType: Hashable, Sendable, CustomStringConvertible {
    case float64, float32, float16, bfloat16
    /// An 8-bit float: E4M3FN, E5M2 or E8M0 (safetensors F8_*).
    case float8(FloatFormat)
    case int64, int32, int16, int8
    case uint64, uint32, uint16, uint8
    case bool
    /// A GGML block or scalar type from a GGUF file.
    case ggml(GGMLType)
    /// A logical weight assembled from a pre-quantized checkpoint's side
    /// tensors (GPTQ, AWQ, compressed-tensors, bitsandbytes, FP8), named by
    /// its stored format (`gptq int4 g128 asym`); decoded through
    /// `Checkpoint.storedQuantization(for:)` (docs/contract.md §8).
    case prequantized(String)

    /// Bytes per element for element-wise types; nil for block types.
    public var elementSize: Int? {
        switch self {
        case .float64, .int64, .uint64: return 8
        case .float32, .int32, .uint32: return 4
        case .float16, .bfloat16, .int16, .uint16: return 2
        case .float8, .int8, .uint8, .bool: return 1
        case .ggml(let t): return t.blockSize == 1 ? t.typeSize : nil
        case .prequantized: return nil
        }
    }

    /// Bytes needed for `count` elements, or nil when the count does not fit
    /// the type's blocks or the product overflows.
    public func byteCount(elements count: Int) -> Int? {
        if let size = elementSize {
            let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
            return overflow ? nil : bytes
        }
        guard case .ggml(let t) = self, count % t.blockSize == 0 else { return nil }
        let (bytes, overflow) = (count / t.blockSize).multipliedReportingOverflow(by: t.typeSize)
        return overflow ? nil : bytes
    }

    /// Whether the elements are real numbers (floats, GGUF float and block
    /// types, pre-quantized weights), not integers or booleans: what the
    /// explorer opens first and what `scan` quantizes.
    public var holdsRealNumbers: Bool {
        switch self {
        case .float64, .float32, .float16, .bfloat16, .float8, .prequantized: return true
        case .ggml(let t): return ![GGMLType.i8, .i16, .i32, .i64].contains(t)
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .float64: return "float64"
        case .float32: return "float32"
        case .float16: return "float16"
        case .bfloat16: return "bfloat16"
        case .float8(let f): return f.name
        case .int64: return "int64"
        case .int32: return "int32"
        case .int16: return "int16"
        case .int8: return "int8"
        case .uint64: return "uint64"
        case .uint32: return "uint32"
        case .uint16: return "uint16"
        case .uint8: return "uint8"
        case .bool: return "bool"
        case .ggml(let t): return t.name
        case .prequantized(let format): return format
        }
    }
}
