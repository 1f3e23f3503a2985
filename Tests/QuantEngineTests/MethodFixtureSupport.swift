import Foundation
import Testing
@testable import QuantEngine

/// Reads `Fixtures/methods/gptq_cases.json` (tools/make_methods_fixtures.py, numpy).
struct GPTQFixtureCase {
    let name: String
    let problem: LayerProblem
    let options: GPTQOptions
    let codes: [Int]
    let xHat: [Float]
    let raw: [String: Any]

    static func all() throws -> [GPTQFixtureCase] {
        try Fixtures.objects("methods/gptq_cases.json").map(GPTQFixtureCase.init)
    }

    static func named(_ name: String) throws -> GPTQFixtureCase {
        try #require(try all().first { $0.name == name }, "no fixture case \(name)")
    }

    init(_ raw: [String: Any]) throws {
        self.raw = raw
        name = try #require(raw.string("name"))
        let w = try Self.matrix(raw, "W"), x = try Self.matrix(raw, "X")
        let bits = try #require(raw.int("bits"))
        let mode: IntegerScheme.Mode = raw.string("mode") == "asym" ? .asymmetric : .symmetric
        let granularity = try Granularity(parsing: try #require(raw.string("granularity")))
        let weight = Tensor(shape: [w.rows, w.columns], values: w.values)
        let acts = Tensor(shape: [x.rows, x.columns], values: x.values)
        problem = try LayerProblem(weight: weight, calibration: acts, test: acts, scheme: .integer(IntegerScheme(bits: bits, mode: mode)),
                                   granularity: granularity, activationSource: "fixture \(name)")
        options = GPTQOptions(damp: try #require(raw.double("damp")), blockSize: try #require(raw.int("block")),
                              actOrder: raw["actorder"] as? Bool ?? false)
        codes = try Self.matrix(raw, "codes").values.map { Int($0) }
        xHat = try Self.matrix(raw, "x_hat").values
    }

    static func matrix(_ raw: [String: Any], _ key: String) throws -> (rows: Int, columns: Int, values: [Float]) {
        let rows = try #require(raw[key] as? [[Any]], "\(key) is not a matrix")
        let values = rows.flatMap { $0.compactMap { JSONNumber.double($0).map(Float.init) } }
        #expect(values.count == rows.count * (rows.first?.count ?? 0))
        return (rows.count, rows.first?.count ?? 0, values)
    }

    /// The signed code of every element of an outcome.
    static func codes(_ outcome: MethodOutcome) -> [Int] {
        let c = outcome.codes
        return (0..<c.rows).flatMap { r in (0..<c.columns).map { c.code(row: r, column: $0) } }
    }
}
