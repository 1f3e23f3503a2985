import Testing
@testable import QuantEngine

/// The one scheme table: every entry parses, spells itself back, follows its
/// own granularity rule and quantizes a small tensor under its default.
@Suite("Scheme catalog")
struct SchemeCatalogTests {
    static var entries: [SchemeCatalog.Entry] { SchemeCatalog.entries }

    @Test("spellings are unique and parse back to their scheme")
    func spellings() throws {
        #expect(Set(Self.entries.map(\.spelling)).count == Self.entries.count)
        for e in Self.entries {
            #expect(try Scheme(parsing: e.spelling) == e.scheme, "\(e.spelling)")
            #expect(try Scheme(parsing: e.spelling.uppercased()) == e.scheme, "\(e.spelling) in upper case")
            #expect(e.scheme.description == e.spelling)
            #expect(e.bits == e.scheme.codeBits)
            #expect(!e.summary.isEmpty)
        }
    }

    @Test("the catalog holds every family's expected members")
    func members() {
        let spellings = Set(Self.entries.map(\.spelling))
        for bits in 2...8 { #expect(spellings.isSuperset(of: ["int\(bits)", "int\(bits)-asym", "uint\(bits)", "int\(bits)-full", "int\(bits)-asym-exact"])) }
        #expect(spellings.isSuperset(of: ["fp8-e4m3fnuz", "fp8-e5m2fnuz", "fp6-e3m2", "mxfp6-e3m2", "q2_k", "q3_k", "q4_k", "q5_k", "q6_k"]))
        #expect(Self.entries.count == 35 + 7 + 2 + 5 + 10)
    }

    @Test("aliases name catalog schemes; formats outside it are unknown")
    func aliases() throws {
        #expect(try Scheme(parsing: "int4-sym") == .integer(IntegerScheme(bits: 4, mode: .symmetric)))
        #expect(try Scheme(parsing: "fp8") == .float(.e4m3fn))
        #expect(try Scheme(parsing: "bnb-fp4") == .bnbFP4)
        #expect(try Scheme(parsing: "Q4_K") == .gguf(.q4_k))
        #expect(try Scheme(parsing: "float8_e4m3fn") == .float(.e4m3fn))
        for bad in ["int9", "int1", "uint9", "bf16", "fp16", "e8m0", "fp32", "q8_k", "q4_k-asym", "int4-asym-sym", ""] {
            #expect(throws: QuantizationError.unknownScheme(bad)) { try Scheme(parsing: bad) }
        }
    }

    @Test("every entry quantizes a small tensor under its default granularity", arguments: SchemeCatalog.entries.map(\.spelling))
    func quantizesUnderDefault(_ spelling: String) throws {
        let e = try #require(SchemeCatalog.entries.first { $0.spelling == spelling })
        var rng = SeededGenerator(seed: 77)
        let x = Tensor(shape: [2, 256], values: (0..<512).map { _ in Float.random(in: -1...1, using: &rng) })
        #expect(e.rule.allows(e.rule.defaultGranularity))
        let q = try Quantizer.quantize(x, scheme: e.scheme)
        #expect(q.granularity == e.rule.defaultGranularity)
        #expect(q.scheme == e.scheme)
        #expect(q.metrics.sqnrDecibels > 0, "\(spelling): SQNR \(q.metrics.sqnrDecibels)")
        #expect(q.scales.allSatisfy { $0.isFinite })
    }

    @Test("validation follows each entry's rule", arguments: SchemeCatalog.entries.map(\.spelling))
    func validationFollowsTheRule(_ spelling: String) throws {
        let e = try #require(SchemeCatalog.entries.first { $0.spelling == spelling })
        for g in [Granularity.tensor, .channel(axis: 0), .group(size: 32), .group(size: 16), .group(size: 64), .block(rows: 2, columns: 32)] {
            let ok = (try? e.scheme.validate(g, shape: [4, 256])) != nil
            #expect(ok == e.rule.allows(g), "\(spelling) with \(g)")
        }
    }
}
