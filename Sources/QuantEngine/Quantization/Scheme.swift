/// A quantization scheme, spelled as the CLI takes it (docs/contract.md §1, §3, §4).
///
/// Which schemes exist, their granularity rules and their descriptions live
/// in `SchemeCatalog`; this type only names them.
public enum Scheme: Hashable, Sendable, CustomStringConvertible {
    /// `intB`, `intB-asym`, `uintB`.
    case integer(IntegerScheme)
    /// A float format with one scale per group: `fp8-e4m3`, `fp6-e2m3`, `fp4-e2m1`, …
    case float(FloatFormat)
    /// bitsandbytes NormalFloat4: absmax blocks of 64 over the flattened tensor.
    case nf4
    /// bitsandbytes FP4: absmax blocks of 64, bnb's sign-magnitude FP4 levels.
    case bnbFP4
    /// OCP Microscaling: blocks of 32 along the last axis with an E8M0 scale.
    case microscaling(FloatFormat)
    /// A GGUF / llama.cpp block type: legacy types byte-identical with
    /// `gguf.quants`, K-quants with llama.cpp's `quantize_row_q*_K_ref`.
    case gguf(GGUFBlockScheme)

    /// Parses a CLI spelling: a `SchemeCatalog` spelling, or an alias of one
    /// (`int8-sym`, `fp8`, `bnb-fp4`, `mxfp6-e2m3`, `mxfp8-e4m3`, `Q4_K`, and
    /// float format names such as `e4m3` or `float8_e4m3fn`).
    /// - Throws: `QuantizationError.unknownScheme`, e.g. for `int9` or `bf16`.
    public init(parsing text: String) throws(QuantizationError) {
        let key = text.lowercased()
        if let scheme = SchemeCatalog.scheme(spelled: key) ?? Scheme.alias(key), SchemeCatalog.entry(for: scheme) != nil {
            self = scheme
        } else {
            throw .unknownScheme(text)
        }
    }

    /// The scheme an alias names (it may be outside the catalog; the caller checks).
    private static func alias(_ key: String) -> Scheme? {
        switch key {
        case "fp8": return .float(.e4m3fn)
        case "fp4", "bnb-fp4": return .bnbFP4
        case "mxfp6-e2m3": return .microscaling(.e2m3)
        case "mxfp8-e4m3": return .microscaling(.e4m3fn)
        default: break
        }
        if key.hasPrefix("int"), key.hasSuffix("-sym"), !key.dropLast(4).contains("-") { return SchemeCatalog.scheme(spelled: String(key.dropLast(4))) }
        return FloatFormat.named(key).map { .float($0) }
    }

    public var description: String {
        switch self {
        case .integer(let s): return s.name
        case .float(let f): return f.name
        case .nf4: return "nf4"
        case .bnbFP4: return "fp4"
        case .microscaling(let f):
            switch f {
            case .e2m1: return "mxfp4"
            case .e2m3: return "mxfp6"
            case .e3m2: return "mxfp6-e3m2"
            case .e5m2: return "mxfp8-e5m2"
            default: return "mxfp8"
            }
        case .gguf(let b): return b.rawValue
        }
    }

    /// Bits per code (the width `packed` uses).
    public var codeBits: Int {
        switch self {
        case .integer(let s): return s.bits
        case .float(let f), .microscaling(let f): return f.totalBits
        case .nf4, .bnbFP4: return 4
        case .gguf(let b): return b.codeBits
        }
    }

    /// Whether `codes` hold signed integers (written as I8) rather than U8.
    public var signedCodes: Bool {
        switch self {
        case .integer(let s): return s.signedCodes
        case .gguf(let b): return b == .q8_0
        default: return false
        }
    }

    /// The granularity used when none is given (the catalog's rule).
    public var defaultGranularity: Granularity { SchemeCatalog.rule(for: self).defaultGranularity }

    /// Checks that the scheme can use `granularity` on a tensor of `shape`,
    /// by the catalog's rule; GGUF types also need rows that are a multiple
    /// of their block (256 for K-quants), as llama.cpp refuses other rows.
    /// - Throws: a usage error naming what the scheme allows.
    public func validate(_ granularity: Granularity, shape: [Int]) throws(QuantizationError) {
        let rule = SchemeCatalog.rule(for: self)
        guard rule.allows(granularity) else {
            throw .granularityNotSupported(scheme: description, granularity: granularity.description, allowed: rule.spelling)
        }
        if case .fixedGroup(_, let multiple) = rule, multiple > 1 {
            let row = shape.last ?? 1
            guard row % multiple == 0 else { throw .rowLengthNotMultiple(scheme: description, rowLength: row, block: multiple) }
        }
        _ = try GroupLayout(shape: shape, granularity: granularity)
    }
}
