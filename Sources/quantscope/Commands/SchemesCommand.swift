import ArgumentParser
import QuantEngine

/// `quantscope schemes`: the scheme catalog, the one list the CLI's
/// validation, its help and the explorer's `s` key all follow.
struct SchemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemes",
        abstract: "List every quantization scheme: spelling, family, bits, granularities, what it does."
    )

    @Flag(name: .long, help: "Print one JSON object: {\"schemes\": [{scheme, family, bits, granularities, default_granularity, row_multiple, description}]}.")
    var json = false

    func run() throws {
        print(json ? SchemesCommand.json().serialized() : SchemesCommand.table())
    }

    static func rowMultiple(_ rule: GranularityRule) -> Int {
        if case .fixedGroup(_, let multiple) = rule { return multiple }
        return 1
    }

    static func json() -> JSONValue {
        .object([.init("schemes", .array(SchemeCatalog.entries.map { e in
            .object([
                .init("scheme", .string(e.spelling)),
                .init("family", .string(e.family.rawValue)),
                .init("bits", .integer(Int64(e.bits))),
                .init("granularities", .string(e.rule.spelling)),
                .init("default_granularity", .string(e.rule.defaultGranularity.description)),
                .init("row_multiple", .integer(Int64(rowMultiple(e.rule)))),
                .init("description", .string(e.summary)),
            ])
        }))])
    }

    static func table() -> String {
        let header = ["scheme", "family", "bits", "granularity", "description"]
        let rows = SchemeCatalog.entries.map { e -> [String] in
            let granularity: String
            switch e.rule {
            case .any: granularity = "any (tensor)"
            case .flattenedGroups(let size): granularity = "group:G flat (\(size))"
            case .fixedGroup(let size, let multiple): granularity = "group:\(size)" + (multiple > 1 ? ", rows ×\(multiple)" : "")
            }
            return [e.spelling, e.family.rawValue, "\(e.bits)", granularity, e.summary]
        }
        let widths = (0..<(header.count - 1)).map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, text in c < widths.count ? text.padding(toLength: widths[c] + 2, withPad: " ", startingAt: 0) : text }.joined()
        }
        let notes = [
            "",
            "granularity: any = tensor, channel[:AXIS], group:G or block:RxC (default tensor);",
            "group:G flat = blocks of G over the flattened tensor (default in brackets);",
            "group:N = that group only; rows ×M = the last axis must be a multiple of M.",
            "The explorer's s / S walk these in order, with every int scheme as one stop (+ / - bits, a symmetry).",
        ]
        return ([line(header)] + rows.map(line) + notes).joined(separator: "\n")
    }
}
