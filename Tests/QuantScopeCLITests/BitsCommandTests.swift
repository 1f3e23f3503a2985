import Foundation
import Testing

/// `bits --json` against ml_dtypes' answers in the shared edge-case fixture.
@Suite struct BitsCommandTests {
    static let keys: Set<String> = [
        "value", "format", "mode", "code", "hex", "bits", "sign", "exponent_field", "mantissa_field",
        "exponent", "class", "decoded", "error", "next_down", "next_up",
    ]

    @Test func jsonHasExactlyTheSpecKeys() throws {
        let r = try CLI.run(["bits", "0.3", "--format", "fp8-e4m3", "--json"])
        #expect(r.status == 0)
        let json = try CLI.json(r)
        #expect(Set(json.keys) == Self.keys)
        #expect(json["bits"] as? String == "0 0101 010")
        #expect(json["class"] as? String == "normal")
        #expect(json["exponent"] as? Int == -2)
        #expect(json["decoded"] as? Double == 0.3125)
        #expect(json["next_down"] as? Double == 0.28125)
        #expect(json["next_up"] as? Double == 0.34375)
    }

    @Test func negativeValuesNeedNoDoubleDash() throws {
        let r = try CLI.run(["bits", "-0.5", "--format", "fp4-e2m1", "--json"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(try CLI.json(r)["code"] as? Int == 0b1001)
    }

    /// Every fp8/fp6/fp4/e8m0 edge case (ties, saturation, overflow) through the CLI.
    @Test func edgeCasesMatchMlDtypes() throws {
        let cases = try #require(try JSONSerialization.jsonObject(with: try SharedFixtures.data("floats/edge_cases.json")) as? [[String: Any]])
        var checked = 0, wrong: [String] = []
        for c in cases where ["fp8-e4m3", "fp8-e5m2", "fp4-e2m1", "e8m0"].contains(c["format"] as? String ?? "") {
            guard let bits = c["input_bits"] as? Int, let format = c["format"] as? String, let mode = c["mode"] as? String,
                  let code = c["code"] as? Int else { continue }
            let value = Float(bitPattern: UInt32(bits))
            guard value.isFinite else { continue }
            // Hex float spelling so the CLI sees the exact Float32.
            let r = try CLI.run(["bits", String(format: "%a", Double(value)), "--format", format, "--mode", mode, "--json"])
            let got = (try? CLI.json(r))?["code"] as? Int
            if got != code { wrong.append("\(format) \(mode) \(c["input"] ?? ""): want \(code), got \(got.map(String.init) ?? r.stderr)") }
            checked += 1
            if checked >= 60 { break }
        }
        #expect(checked >= 40)
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
    }
}
