import Foundation
import Testing

/// `stats`, `quantize` and `matmul` on results that are not finite although
/// the input is, and on inputs with nothing finite (docs/contract.md §4, §6):
/// the text says "not finite" with gguf-py's count, the JSON has null
/// figures and `nonfinite_output`, and no NaN or "exact" is ever printed for
/// a result that is not exact. Inputs: `tools/make_nonfinite_fixtures.py`.
@Suite struct NonfiniteCommandTests {
    static func path(_ name: String) -> String { SharedFixtures.root.appendingPathComponent("nonfinite/\(name)").path }

    static func cases() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: try SharedFixtures.data("nonfinite/cases.json")) as? [String: Any])
    }

    static func ggufCount(_ scheme: String) throws -> Int {
        let weight = try #require(try cases()["huge_weight"] as? [String: Any])
        return try #require((weight[scheme] as? [String: Any])?["nonfinite_dequantized"] as? Int)
    }

    /// No NaN spelling and no exact SQNR (the explanation "±inf/NaN" aside).
    static func expectNoFakeNumbers(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = text.replacingOccurrences(of: "±inf/NaN", with: "")
        for word in ["nan", "NaN", "(exact)", "identical to float32", "inf dB"] {
            #expect(!text.contains(word), "output shows \(word):\n\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: ["q4_0", "q8_0"])
    func statsSaysNotFinite(scheme: String) throws {
        let count = try Self.ggufCount(scheme)
        let text = try CLI.run(["stats", Self.path("huge_weight.npy"), "--scheme", scheme])
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout.contains("SQNR         not finite (\(count) of 512 dequantized values are ±inf/NaN)"), "\(text.stdout)")
        Self.expectNoFakeNumbers(text.stdout)
        let json = try CLI.json(try CLI.run(["stats", Self.path("huge_weight.npy"), "--scheme", scheme, "--json"]))
        #expect(json["nonfinite_output"] as? Int == count && json["nonfinite"] as? Int == 0)
        for key in ["mse", "rmse", "mae", "max_abs_err", "sqnr_db", "cosine"] {
            #expect(json[key] is NSNull, "\(key) is \(String(describing: json[key]))")
        }
    }

    @Test func quantizeSaysNotFinite() throws {
        let scratch = try Scratch()
        let result = try CLI.run(["quantize", Self.path("huge_weight.npy"), "--scheme", "q4_0", "--out", scratch.path("q.safetensors")])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("SQNR not finite (\(try Self.ggufCount("q4_0")) of 512 dequantized values are ±inf/NaN)"), "\(result.stdout)")
        Self.expectNoFakeNumbers(result.stdout)
    }

    @Test func matmulSaysNotFinite() throws {
        let text = try CLI.run(["matmul", Self.path("huge_weight.npy"), "--scheme", "q4_0"])
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout.contains("SQNR         not finite ("), "\(text.stdout)")
        Self.expectNoFakeNumbers(text.stdout)
        let json = try CLI.json(try CLI.run(["matmul", Self.path("huge_weight.npy"), "--scheme", "q4_0", "--json"]))
        #expect((json["nonfinite_output"] as? Int ?? 0) > 0)
        for key in ["sqnr_db", "max_abs_err", "cosine"] { #expect(json[key] is NSNull, "\(key) is \(String(describing: json[key]))") }
    }

    @Test func nothingFiniteShowsDashes() throws {
        let text = try CLI.run(["stats", Self.path("nothing_finite.npy"), "--scheme", "int8"])
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout.contains("min —  max —  mean —  std —"), "\(text.stdout)")
        #expect(!text.stdout.contains("min 0"))
        Self.expectNoFakeNumbers(text.stdout)
    }

    @Test func float64OverflowIsCountedAndNotCalledExact() throws {
        let expected = try #require((try Self.cases()["f64_exact"] as? [String: Any])?["nonfinite"] as? Int)
        let text = try CLI.run(["stats", Self.path("f64_exact.npy"), "--scheme", "int8"])
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout.contains("32 elements, \(expected) non-finite"), "\(text.stdout)")
        #expect(text.stdout.contains("inf dB (exact on the 30 finite values; \(expected) non-finite left out)"), "\(text.stdout)")
        #expect(!text.stdout.contains("(exact)"))
        let json = try CLI.json(try CLI.run(["stats", Self.path("f64_exact.npy"), "--scheme", "int8", "--json"]))
        #expect(json["nonfinite"] as? Int == expected && json["nonfinite_output"] as? Int == 0)
    }

    /// numpy: np.float16(1e6) is inf (fp16's largest finite is 65504).
    @Test func bitsErrorOfAnOverflowIsNotFinite() throws {
        let text = try CLI.run(["bits", "1e6", "--format", "fp16", "--mode", "ieee"])
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout.contains("error       not finite (decoded is +Inf)"), "\(text.stdout)")
        let json = try CLI.json(try CLI.run(["bits", "1e6", "--format", "fp16", "--mode", "ieee", "--json"]))
        #expect(json["error"] is NSNull && json["decoded"] as? String == "inf")
        let nan = try CLI.json(try CLI.run(["bits", "nan", "--format", "fp16", "--json"]))
        #expect(nan["error"] is NSNull)
    }
}
