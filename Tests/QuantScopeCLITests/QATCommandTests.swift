import Foundation
import Testing

/// `quantscope qat` (docs/contract.md §7, §13). Short runs (`--steps`)
/// keep a debug build quick; the engine tests check the outcome itself.
@Suite struct QATCommandTests {
    @Test func jsonHasOneResultPerBitWidth() throws {
        let result = try CLI.run(["qat", "--bits", "3,2", "--steps", "60", "--seed", "5", "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try CLI.json(result)
        #expect(Set(object.keys) == ["task", "seed", "float_accuracy", "float_loss", "float_steps", "qat_steps", "results", "ms"])
        #expect(object["task"] as? String == "spirals-3")
        #expect(object["seed"] as? Int == 5)
        #expect(object["float_steps"] as? Int == 180 && object["qat_steps"] as? Int == 60)
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.compactMap { $0["bits"] as? Int } == [3, 2])
        for row in results {
            #expect(Set(row.keys) == ["bits", "ptq_accuracy", "qat_accuracy", "ptq_loss", "qat_loss"])
            for key in ["ptq_accuracy", "qat_accuracy"] {
                let v = try #require(row[key] as? Double)
                #expect(v >= 0 && v <= 1, "\(key) = \(v)")
            }
            for key in ["ptq_loss", "qat_loss"] {
                let v = try #require(row[key] as? Double)
                #expect(v.isFinite && v >= 0, "\(key) = \(v)")
            }
        }
        // Same seed, same numbers (only the time differs).
        var again = try CLI.json(try CLI.run(["qat", "--bits", "3,2", "--steps", "60", "--seed", "5", "--json"]))
        var first = object
        first["ms"] = nil
        again["ms"] = nil
        #expect(NSDictionary(dictionary: first).isEqual(to: again))
    }

    @Test func tableListsEveryBitWidth() throws {
        let result = try CLI.run(["qat", "--bits", "4", "--steps", "30"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("PTQ vs QAT on spirals-3 (seed 7)"))
        let rows = result.stdout.split(separator: "\n").filter { $0.hasPrefix("int") }
        #expect(rows.count == 1 && rows.first?.hasPrefix("int4") == true)
        #expect(result.stdout.contains("took "))
    }

    @Test(arguments: [["--bits", "1"], ["--bits", "9"], ["--bits", "4,4"], ["--bits", "4,,2"], ["--bits", "four"],
                      ["--steps", "0"], ["--steps", "-3"], ["--steps", "100001"], ["--seed", "-1"],
                      ["--seed", "9223372036854775808"]])
    func badOptionsAreUsageErrors(_ options: [String]) throws {
        let result = try CLI.run(["qat"] + options)
        #expect(result.status == 2, "\(options): status \(result.status), stderr \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count >= 1)
    }
}
