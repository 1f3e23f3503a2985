import Foundation
import Testing

/// `quantscope scan` (docs/contract.md §7): the numbers are `stats`'s for
/// the same tensor and scheme, rows come worst SQNR first, stored-quantized
/// tensors report what the file spends, and the cost counts the parameters.
@Suite struct ScanCommandTests {
    static var samples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples")
    }
    static var safetensors: String { samples.appendingPathComponent("minilm-l6-layer0.safetensors").path }
    static var gguf: String { samples.appendingPathComponent("minilm-l6-layer0.gguf").path }

    @Test func scanAgreesWithStatsForEveryTensorAndScheme() throws {
        let r = try CLI.run(["scan", Self.safetensors, "--scheme", "int8", "--scheme", "int4-asym", "--granularity", "channel",
                             "--filter", "attention\\.self\\.(query|value)\\.weight|layer\\.5", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLI.json(r)
        #expect(json["schemes"] as? [String] == ["int8", "int4-asym"])
        let rows = try #require(json["tensors"] as? [[String: Any]])
        #expect(rows.count == 6)
        for row in rows {
            let tensor = try #require(row["tensor"] as? String), scheme = try #require(row["scheme"] as? String)
            let s = try CLI.json(try CLI.run(["stats", Self.safetensors, "--tensor", tensor, "--scheme", scheme, "--granularity", "channel", "--json"]))
            for key in ["mse", "rmse", "max_abs_err", "sqnr_db", "cosine"] {
                #expect((row[key] as? Double) == (s[key] as? Double), "\(tensor) \(scheme) \(key): scan \(row[key] ?? "nil"), stats \(s[key] ?? "nil")")
            }
            #expect(row["granularity"] as? String == s["granularity"] as? String)
            #expect(row["shape"] as? [Int] == s["shape"] as? [Int])
        }
        let sqnr = rows.compactMap { $0["sqnr_db"] as? Double }
        #expect(sqnr == sqnr.sorted(), "rows should come worst SQNR first")
        let summary = try #require(json["summary"] as? [[String: Any]])
        #expect(summary.count == 2)
        let int8 = try #require(summary.first { $0["scheme"] as? String == "int8" })
        #expect(int8["tensors"] as? Int == 3)
        let int8Worst = rows.filter { $0["scheme"] as? String == "int8" }.compactMap { $0["sqnr_db"] as? Double }.min()
        #expect(int8["worst_sqnr_db"] as? Double == int8Worst)
    }

    @Test func bitsPerWeightCountsScalesAndZeroPoints() throws {
        let r = try CLI.run(["scan", Self.safetensors, "--scheme", "int8", "--scheme", "int4-asym", "--granularity", "channel",
                             "--filter", "query\\.weight", "--json"])
        let rows = try #require(try CLI.json(r)["tensors"] as? [[String: Any]])
        let int8 = try #require(rows.first { $0["scheme"] as? String == "int8" })
        // 384×384, one fp32 scale per row: 8 + 32/384 bits; bytes 384·384 + 384·4.
        #expect(int8["bytes"] as? Int == 384 * 384 + 384 * 4)
        #expect(abs((int8["bits_per_weight"] as? Double ?? 0) - (8 + 32.0 / 384)) < 1e-12)
        let int4 = try #require(rows.first { $0["scheme"] as? String == "int4-asym" })
        // Two codes a byte, a scale and a 4-bit zero-point per row.
        #expect(int4["bytes"] as? Int == 384 * 384 / 2 + 384 * 4 + 384 / 2)
    }

    @Test func storedTensorsReportWhatTheFileSpends() throws {
        let r = try CLI.run(["scan", Self.gguf, "--scheme", "q8_0", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require(try CLI.json(r)["tensors"] as? [[String: Any]])
        let q4k = try #require(rows.first { $0["tensor"] as? String == "blk.0.ffn_down.weight" })
        #expect(q4k["stored"] as? String == "Q4_K" && q4k["stored_bits_per_weight"] as? Double == 4.5)
        let f16 = try #require(rows.first { $0["tensor"] as? String == "blk.0.attn_v.weight" })
        #expect(f16["stored"] as? String == "F16" && f16["stored_bits_per_weight"] as? Double == 16)
        #expect(!rows.contains { ($0["shape"] as? [Int])?.count == 1 }, "biases and norms are not scanned")
    }

    @Test func csvAndRefusals() throws {
        let r = try CLI.run(["scan", Self.safetensors, "--scheme", "nf4", "--csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("tensor,shape,stored,scheme,granularity,bits_per_weight") == true)
        #expect(lines.count == 1 + 5)
        let none = try CLI.run(["scan", Self.safetensors, "--filter", "nothing-matches-this"])
        #expect(none.status == 2 && none.stderrLines.count == 1, "\(none.stderr)")
        let both = try CLI.run(["scan", Self.safetensors, "--json", "--csv"])
        #expect(both.status == 2)
        let table = try CLI.run(["scan", Self.safetensors, "--scheme", "int4", "--granularity", "group:64"])
        #expect(table.stdout.contains("most sensitive first") && table.stdout.contains("per scheme"))
    }
}
