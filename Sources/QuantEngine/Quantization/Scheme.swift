/// A quantization scheme, spelled as the CLI takes it (SPEC §1, §3, §4).
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
    /// A GGUF / llama.cpp block type, byte-identical with `gguf.quants`.
    case gguf(GGUFBlockScheme)

    /// Float formats usable as `float` schemes (8 bits or fewer, signed).
    public static let floatFormats: [FloatFormat] = [.e4m3fn, .e5m2, .e4m3fnuz, .e5m2fnuz, .e3m2, .e2m3, .e2m1]

    /// Parses a CLI spelling.
    /// - Throws: `QuantizationError.unknownScheme`, e.g. for `int9`.
    public init(parsing text: String) throws(QuantizationError) {
        let key = text.lowercased()
        if let scheme = Scheme.integer(parsing: key) {
            self = scheme
            return
        }
        switch key {
        case "nf4": self = .nf4
        case "fp4", "bnb-fp4": self = .bnbFP4
        case "mxfp4": self = .microscaling(.e2m1)
        case "mxfp6", "mxfp6-e2m3": self = .microscaling(.e2m3)
        case "mxfp6-e3m2": self = .microscaling(.e3m2)
        case "mxfp8", "mxfp8-e4m3": self = .microscaling(.e4m3fn)
        case "mxfp8-e5m2": self = .microscaling(.e5m2)
        case "fp8": self = .float(.e4m3fn)
        default:
            if let block = GGUFBlockScheme(rawValue: key) {
                self = .gguf(block)
            } else if let format = FloatFormat.named(key), Scheme.floatFormats.contains(format), key != "fp4" {
                self = .float(format)
            } else {
                throw .unknownScheme(text)
            }
        }
    }

    private static func integer(parsing key: String) -> Scheme? {
        var rest = Substring(key)
        let mode: IntegerScheme.Mode
        if rest.hasPrefix("uint") {
            mode = .unsigned
            rest = rest.dropFirst(4)
        } else if rest.hasPrefix("int") {
            rest = rest.dropFirst(3)
            if rest.hasSuffix("-asym") {
                mode = .asymmetric
                rest = rest.dropLast(5)
            } else {
                if rest.hasSuffix("-sym") { rest = rest.dropLast(4) }
                mode = .symmetric
            }
        } else {
            return nil
        }
        guard let bits = Int(rest), (2...8).contains(bits) else { return nil }
        return .integer(IntegerScheme(bits: bits, mode: mode))
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

    /// The granularity used when none is given.
    public var defaultGranularity: Granularity {
        switch self {
        case .integer, .float: return .tensor
        case .nf4, .bnbFP4: return .group(size: 64)
        case .microscaling: return .group(size: 32)
        case .gguf(let b): return .group(size: b.blockSize)
        }
    }

    /// Checks that the scheme can use `granularity` on a tensor of `shape`.
    /// - Throws: a usage error naming what the scheme allows.
    public func validate(_ granularity: Granularity, shape: [Int]) throws(QuantizationError) {
        switch self {
        case .integer, .float:
            break
        case .nf4, .bnbFP4:
            guard case .group = granularity else {
                throw .granularityNotSupported(scheme: description, granularity: granularity.description, allowed: "group:G, blocks of G over the flattened tensor (default 64)")
            }
        case .microscaling:
            guard granularity == .group(size: 32) else {
                throw .granularityNotSupported(scheme: description, granularity: granularity.description, allowed: "group:32 only")
            }
        case .gguf(let b):
            guard granularity == .group(size: b.blockSize) else {
                throw .granularityNotSupported(scheme: description, granularity: granularity.description, allowed: "group:\(b.blockSize) only")
            }
            let row = shape.last ?? 1
            guard row % b.blockSize == 0 else { throw .rowLengthNotMultiple(scheme: description, rowLength: row, block: b.blockSize) }
        }
        _ = try GroupLayout(shape: shape, granularity: granularity)
    }

    /// Every scheme the CLI accepts, for help texts and the TUI's cycle.
    public static let catalog: [Scheme] = {
        var all: [Scheme] = []
        for mode in [IntegerScheme.Mode.symmetric, .asymmetric, .unsigned] {
            for bits in stride(from: 8, through: 2, by: -1) { all.append(.integer(IntegerScheme(bits: bits, mode: mode))) }
        }
        all += floatFormats.map { .float($0) }
        all += [.nf4, .bnbFP4, .microscaling(.e2m1), .microscaling(.e2m3), .microscaling(.e3m2), .microscaling(.e4m3fn), .microscaling(.e5m2)]
        all += GGUFBlockScheme.allCases.map { .gguf($0) }
        return all
    }()
}
