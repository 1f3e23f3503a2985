import Foundation
import QuantEngine
import Testing

/// `quantscope schemes` and the `--scheme` help both print the engine's
/// catalog, exactly.
@Suite struct SchemesCommandTests {
    static var spellings: Set<String> { Set(SchemeCatalog.entries.map(\.spelling)) }

    @Test func jsonListsTheCatalogInOrder() throws {
        let result = try CLI.run(["schemes", "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let schemes = try #require(try CLI.json(result)["schemes"] as? [[String: Any]])
        #expect(schemes.compactMap { $0["scheme"] as? String } == SchemeCatalog.entries.map(\.spelling))
        for (row, e) in zip(schemes, SchemeCatalog.entries) {
            #expect(row["family"] as? String == e.family.rawValue)
            #expect(row["bits"] as? Int == e.bits)
            #expect(row["default_granularity"] as? String == e.rule.defaultGranularity.description)
            #expect(row["description"] as? String == e.summary)
            #expect(Set(row.keys) == ["scheme", "family", "bits", "granularities", "default_granularity", "row_multiple", "description"])
        }
    }

    @Test func tableHasOneRowPerScheme() throws {
        let result = try CLI.run(["schemes"])
        #expect(result.status == 0)
        let firstWords = result.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(Set(firstWords).intersection(Self.spellings) == Self.spellings)
    }

    /// The spellings in `--scheme`'s help, with `int2…int8` runs expanded.
    static func helpSpellings(_ command: String) throws -> [String] {
        let help = try CLI.run([command, "--help"]).stdout
        let options = try #require(help.range(of: "OPTIONS:"))
        let start = try #require(help.range(of: "--scheme <scheme>", range: options.upperBound..<help.endIndex))
        let end = try #require(help.range(of: "(`quantscope", range: start.upperBound..<help.endIndex))
        let text = help[start.upperBound..<end.lowerBound].split(whereSeparator: \.isWhitespace).joined(separator: " ")
        var names: [String] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let ends = item.components(separatedBy: "…")
            guard ends.count == 2 else { names.append(item); continue }
            let prefix = String(ends[0].prefix { !$0.isNumber }), suffix = String(ends[0].drop { !$0.isNumber }.drop { $0.isNumber })
            let lo = Int(ends[0].dropFirst(prefix.count).prefix { $0.isNumber }) ?? 0
            let hi = Int(ends[1].dropFirst(prefix.count).prefix { $0.isNumber }) ?? -1
            for bits in lo...max(lo, hi) { names.append("\(prefix)\(bits)\(suffix)") }
        }
        return names
    }

    @Test(arguments: ["stats", "quantize"])
    func schemeHelpListsExactlyTheCatalog(_ command: String) throws {
        let names = try Self.helpSpellings(command)
        #expect(names.count == Set(names).count)
        #expect(Set(names) == Self.spellings)
    }

    @Test func kQuantStatsAndRowRule() throws {
        let scratch = try Scratch()
        let path = scratch.path("w.safetensors")
        let values = (0..<(4 * 512)).map { Float(sin(Double($0) * 0.37)) }
        try SafetensorsWriter.write([.float32("w", shape: [4, 512], values), .float32("b", shape: [384], Array(values.prefix(384)))], to: path)
        for scheme in ["q2_k", "q3_k", "q4_k", "q5_k", "q6_k"] {
            let ok = try CLI.run(["stats", path, "--tensor", "w", "--scheme", scheme, "--json"])
            #expect(ok.status == 0, "\(scheme): \(ok.stderr)")
            #expect(try CLI.json(ok)["scheme"] as? String == scheme)
            let bad = try CLI.run(["stats", path, "--tensor", "b", "--scheme", scheme])
            #expect(bad.status == 2)
            #expect(bad.stderrLines.count == 1 && bad.stderr.contains("multiple of 256"), "\(bad.stderr)")
        }
    }
}
