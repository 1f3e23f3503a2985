/// Every quantization scheme quantscope takes, in one table (docs/contract.md
/// §1–§4): its spelling, family, bits, granularity rule and a one-line
/// description.
///
/// This table is the only list: `Scheme(parsing:)` accepts exactly its
/// spellings (plus a few aliases), `Scheme.validate` applies its granularity
/// rules, the CLI's help and `quantscope schemes` print it, and the
/// explorer's `s` / `S` keys walk `cycle`. Adding a scheme means adding an
/// entry here and its quantizer.
public enum SchemeCatalog {
    /// Where a scheme comes from.
    public enum Family: String, CaseIterable, Sendable {
        case integer = "int"
        case float
        case bitsandbytes
        case microscaling = "mx"
        case gguf
    }

    /// One scheme.
    public struct Entry: Sendable, Equatable {
        public let scheme: Scheme
        public let family: Family
        public let rule: GranularityRule
        /// One line: what a code means and how the scale is chosen.
        public let summary: String

        /// The spelling the CLI takes and every output prints.
        public var spelling: String { scheme.description }
        /// Bits per stored code.
        public var bits: Int { scheme.codeBits }
    }

    /// A stop of the explorer's `s` / `S` cycle: the integer schemes are
    /// one stop (bits on `+` / `-`, symmetry on `a`), every other scheme its own.
    public enum Stop: Hashable, Sendable {
        case integer
        case scheme(Scheme)
    }

    /// Every scheme, in teaching order: integers, scaled floats,
    /// bitsandbytes, OCP MX, GGUF.
    public static let entries: [Entry] = {
        var all: [Entry] = []
        for mode in IntegerScheme.Mode.allCases {
            for bits in 2...8 {
                let s = IntegerScheme(bits: bits, mode: mode)
                let summary: String
                switch mode {
                case .symmetric: summary = "symmetric integer: codes \(s.qmin)…\(s.qmax), S = max|x| / \(s.qmax), Z = 0"
                case .asymmetric: summary = "asymmetric integer: codes \(s.qmin)…\(s.qmax), S and a zero-point Z from min and max"
                case .unsigned: summary = "unsigned integer: codes \(s.qmin)…\(s.qmax), S and a zero-point Z from min and max"
                case .full: summary = "the seed's full signed range: codes \(s.qmin)…\(s.qmax), S = 2·max|x| / \(s.qmax - s.qmin), Z = 0"
                case .asymmetricExact: summary = "the seed's asymmetric: codes \(s.qmin)…\(s.qmax), exact [min, max], Z unclamped"
                }
                all.append(Entry(scheme: .integer(s), family: .integer, rule: .any, summary: summary))
            }
        }
        let floats: [(FloatFormat, String)] = [
            (.e4m3fn, "FP8 E4M3FN (max 448, no Inf), S = amax / 448"),
            (.e5m2, "FP8 E5M2 (max 57344, IEEE Inf/NaN), S = amax / 57344"),
            (.e4m3fnuz, "FP8 E4M3FNUZ (AMD: bias 8, max 240, no −0), S = amax / 240"),
            (.e5m2fnuz, "FP8 E5M2FNUZ (AMD: bias 16, max 57344, no −0), S = amax / 57344"),
            (.e2m3, "FP6 E2M3 (OCP, max 7.5), S = amax / 7.5"),
            (.e3m2, "FP6 E3M2 (OCP, max 28), S = amax / 28"),
            (.e2m1, "FP4 E2M1 (OCP, max 6), S = amax / 6"),
        ]
        all += floats.map { Entry(scheme: .float($0.0), family: .float, rule: .any, summary: $0.1) }
        all += [
            Entry(scheme: .nf4, family: .bitsandbytes, rule: .flattenedGroups(defaultSize: 64),
                  summary: "bitsandbytes NormalFloat4: 16 normal quantiles × the block's absmax"),
            Entry(scheme: .bnbFP4, family: .bitsandbytes, rule: .flattenedGroups(defaultSize: 64),
                  summary: "bitsandbytes FP4: its 16 sign-magnitude levels × the block's absmax"),
        ]
        let mx: [(FloatFormat, String)] = [
            (.e2m1, "OCP MXFP4: FP4 E2M1 elements, one E8M0 (power of two) scale per 32"),
            (.e2m3, "OCP MXFP6: FP6 E2M3 elements, one E8M0 scale per 32"),
            (.e3m2, "OCP MXFP6 with FP6 E3M2 elements, one E8M0 scale per 32"),
            (.e4m3fn, "OCP MXFP8: FP8 E4M3 elements, one E8M0 scale per 32"),
            (.e5m2, "OCP MXFP8 with FP8 E5M2 elements, one E8M0 scale per 32"),
        ]
        all += mx.map { Entry(scheme: .microscaling($0.0), family: .microscaling, rule: .fixedGroup(size: 32, rowMultiple: 1), summary: $0.1) }
        let gguf: [(GGUFBlockScheme, String)] = [
            (.q4_0, "GGUF Q4_0: x̂ = d·(q − 8), d = max / −8 per 32"),
            (.q4_1, "GGUF Q4_1: x̂ = d·q + m per 32, m the block's minimum"),
            (.q5_0, "GGUF Q5_0: x̂ = d·(q − 16) per 32"),
            (.q5_1, "GGUF Q5_1: x̂ = d·q + m per 32"),
            (.q8_0, "GGUF Q8_0: x̂ = d·q, d = amax / 127 per 32"),
            (.q2_k, "GGUF Q2_K: 2-bit codes; 16 sub-blocks of 16 with 4-bit scale and min, per 256"),
            (.q3_k, "GGUF Q3_K: 3-bit codes −4…3; 16 sub-blocks of 16 with 6-bit scales, per 256"),
            (.q4_k, "GGUF Q4_K: 4-bit codes; 8 sub-blocks of 32 with 6-bit scale and min, per 256"),
            (.q5_k, "GGUF Q5_K: 5-bit codes; 8 sub-blocks of 32 with 6-bit scale and min, per 256"),
            (.q6_k, "GGUF Q6_K: 6-bit codes −32…31; 16 sub-blocks of 16 with int8 scales, per 256"),
        ]
        all += gguf.map {
            Entry(scheme: .gguf($0.0), family: .gguf, rule: .fixedGroup(size: $0.0.subBlockSize, rowMultiple: $0.0.blockSize), summary: $0.1)
        }
        return all
    }()

    private static let byScheme: [Scheme: Entry] = Dictionary(entries.map { ($0.scheme, $0) }, uniquingKeysWith: { a, _ in a })
    private static let bySpelling: [String: Scheme] = Dictionary(entries.map { ($0.spelling, $0.scheme) }, uniquingKeysWith: { a, _ in a })

    /// The entry of `scheme`, or nil for a scheme built in code that the CLI does not take.
    public static func entry(for scheme: Scheme) -> Entry? { byScheme[scheme] }

    /// The scheme spelled exactly `spelling` (lower case), or nil.
    public static func scheme(spelled spelling: String) -> Scheme? { bySpelling[spelling] }

    /// The granularity rule of `scheme` (`.any` outside the catalog).
    public static func rule(for scheme: Scheme) -> GranularityRule { byScheme[scheme]?.rule ?? .any }

    /// The explorer's `s` cycle, in table order.
    public static let cycle: [Stop] = [.integer] + entries.filter { $0.family != .integer }.map { .scheme($0.scheme) }

    /// The spellings, with runs of integer schemes written `int2…int8`:
    /// what `--scheme`'s help lists.
    public static var compactSpellings: String {
        var parts: [String] = []
        for mode in IntegerScheme.Mode.allCases {
            let names = entries.compactMap { e -> String? in
                if case .integer(let s) = e.scheme, s.mode == mode { return e.spelling }
                return nil
            }
            if let first = names.first, let last = names.last { parts.append("\(first)…\(last)") }
        }
        parts += entries.filter { $0.family != .integer }.map(\.spelling)
        return parts.joined(separator: ", ")
    }
}
