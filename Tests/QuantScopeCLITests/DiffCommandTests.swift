import Foundation
import Testing

/// `quantscope diff` (docs/contract.md §7) on a Llama checkpoint and the GGUF
/// gguf-py wrote of it with its standard names and the converter's Q/K row
/// permutation (tools/make_diff_fixtures.py), and on the bundled BERT layers.
@Suite struct DiffCommandTests {
    static var folder: URL { SharedFixtures.root.appendingPathComponent("diff") }

    @Test func everyTensorOfTheConvertedLlamaMatchesAndMeasuresLikeNumpy() throws {
        let r = try CLI.run(["diff", Self.folder.appendingPathComponent("llama.safetensors").path,
                             Self.folder.appendingPathComponent("llama.gguf").path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLI.json(r)
        let expected = try #require(try JSONSerialization.jsonObject(with: SharedFixtures.data("diff/expected.json")) as? [String: Any])
        let tensors = try #require(expected["tensors"] as? [String: [String: Any]])
        let rows = try #require(json["tensors"] as? [[String: Any]])
        #expect((json["unmatched"] as? [Any])?.isEmpty == true)
        #expect(rows.count == tensors.count)
        for row in rows {
            let name = try #require(row["tensor"] as? String)
            let want = try #require(tensors[name], "\(name) is not in the GGUF")
            #expect(row["counterpart"] as? String == want["counterpart"] as? String)
            #expect(row["stored"] as? String == want["type"] as? String)
            if let sqnr = want["sqnr_db"] as? Double {
                let ours = try #require(row["sqnr_db"] as? Double, "\(name)")
                #expect(abs(ours - sqnr) < 1e-6, "\(name): \(ours) dB, numpy \(sqnr) dB")
            } else {
                #expect(row["sqnr_db"] as? String == "inf", "\(name)")
            }
            #expect((row["permuted_heads"] as? Int != nil) == (want["permuted"] as? Bool == true), "\(name)")
        }
        #expect(rows.first { $0["tensor"] as? String == "blk.1.attn_k.weight" }?["permuted_heads"] as? Int == 2)
        #expect(rows.first { $0["tensor"] as? String == "blk.1.attn_q.weight" }?["permuted_heads"] as? Int == 4)
    }

    @Test func diffAgreesWithStatsWhereTheFileHoldsQuantscopesOwnQuantization() throws {
        // gguf-py's Q8_0 and quantscope's q8_0 are byte-identical, so the two must agree exactly.
        let original = Self.folder.appendingPathComponent("llama.safetensors").path
        let d = try CLI.json(try CLI.run(["diff", original, Self.folder.appendingPathComponent("llama.gguf").path, "--json"]))
        let row = try #require((d["tensors"] as? [[String: Any]])?.first { $0["tensor"] as? String == "blk.0.attn_v.weight" })
        let s = try CLI.json(try CLI.run(["stats", original, "--tensor", "model.layers.0.self_attn.v_proj.weight", "--scheme", "q8_0", "--json"]))
        for key in ["mse", "sqnr_db", "cosine", "max_abs_err"] {
            #expect(row[key] as? Double == s[key] as? Double, "\(key): diff \(row[key] ?? "nil"), stats \(s[key] ?? "nil")")
        }
    }

    @Test func bertSamplesAndTwoGGUFs() throws {
        let samples = ScanCommandTests.samples
        let st = samples.appendingPathComponent("minilm-l6-layer0.safetensors").path, gg = samples.appendingPathComponent("minilm-l6-layer0.gguf").path
        let r = try CLI.json(try CLI.run(["diff", st, gg, "--json"]))
        let rows = try #require(r["tensors"] as? [[String: Any]])
        #expect(rows.count == 14 && (r["unmatched"] as? [Any])?.isEmpty == true)
        #expect(rows.first { $0["tensor"] as? String == "blk.0.ffn_down.weight" }?["counterpart"] as? String == "encoder.layer.0.output.dense.weight")
        #expect(rows.first { $0["tensor"] as? String == "blk.0.ffn_down.weight" }?["bits_per_weight"] as? Double == 4.5)
        let same = try CLI.json(try CLI.run(["diff", gg, gg, "--json"]))
        #expect((same["tensors"] as? [[String: Any]])?.allSatisfy { $0["sqnr_db"] as? String == "inf" && $0["tensor"] as? String == $0["counterpart"] as? String } == true)
        let text = try CLI.run(["diff", st, gg])
        #expect(text.status == 0 && text.stdout.contains("14 tensors matched, 0 unmatched"))
    }
}
