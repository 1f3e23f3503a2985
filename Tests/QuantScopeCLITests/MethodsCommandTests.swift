import Foundation
import QuantEngine
import Testing

/// `quantscope methods` and `quantize --method/--layout` (docs/contract.md §7).
@Suite struct MethodsCommandTests {
    static let query = "encoder.layer.0.attention.self.query.weight"
    static var layer: [String] { [ScanCommandTests.safetensors, "--tensor", query] }

    @Test func jsonNamesTheActivationsAndEveryFigure() throws {
        let r = try CLI.run(["methods"] + Self.layer + ["--scheme", "int4", "--methods", "rtn", "--tokens", "64", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let d = try CLI.json(r)
        #expect(d["tensor"] as? String == Self.query && d["scheme"] as? String == "int4" && d["granularity"] as? String == "group:128")
        #expect((d["activations"] as? String)?.contains("outlier columns") == true)
        #expect(d["calibration_tokens"] as? Int == 64 && d["test_tokens"] as? Int == 64)
        let rows = try #require(d["methods"] as? [[String: Any]])
        #expect(rows.count == 1)
        let rtn = try #require(rows.first)
        for key in ["method", "weight_sqnr_db", "output_sqnr_db", "output_mse", "cosine", "ms"] { #expect(rtn[key] != nil, "\(key)") }
        // RTN's weight SQNR is `stats`' figure for the same scheme and granularity.
        let s = try CLI.json(try CLI.run(["stats"] + Self.layer + ["--scheme", "int4", "--granularity", "group:128", "--json"]))
        let stats = try #require(s["sqnr_db"] as? Double), ours = try #require(rtn["weight_sqnr_db"] as? Double)
        #expect(abs(stats - ours) < 1e-6, "stats \(stats), methods \(ours)")
    }

    /// docs/contract.md §16: on a real MiniLM layer with correlated outlier
    /// activations (the default), GPTQ and AWQ beat round-to-nearest's output
    /// SQNR at int4 and int3.
    @Test(arguments: ["int4", "int3"])
    func gptqAndAWQBeatRTNOnARealLayer(scheme: String) throws {
        let r = try CLI.run(["methods"] + Self.layer + ["--scheme", scheme, "--methods", "rtn,gptq,awq", "--tokens", "256", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require(try CLI.json(r)["methods"] as? [[String: Any]])
        func output(_ name: String) throws -> Double {
            try #require(rows.first { $0["method"] as? String == name }?["output_sqnr_db"] as? Double, "\(name) missing")
        }
        let rtn = try output("rtn")
        for name in ["gptq", "awq"] {
            let ours = try output(name)
            #expect(ours > rtn + 1, "\(scheme): \(name) \(ours) dB, rtn \(rtn) dB")
        }
    }

    @Test func aTensorsRowsSplitIntoCalibrationAndHeldOut() throws {
        let key = "\(ScanCommandTests.safetensors):encoder.layer.0.attention.self.key.weight"
        let r = try CLI.run(["methods"] + Self.layer + ["--scheme", "int8", "--granularity", "channel", "--methods", "rtn",
                                                         "--activations", key, "--tokens", "100", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let d = try CLI.json(r)
        #expect(d["calibration_tokens"] as? Int == 100 && d["test_tokens"] as? Int == 100)
        #expect((d["activations"] as? String)?.contains("rows 0…99 calibrate, 100…199 held out") == true)
        let text = try CLI.run(["methods"] + Self.layer + ["--scheme", "int8", "--methods", "rtn", "--activations", "gaussian", "--tokens", "8"])
        #expect(text.status == 0 && text.stdout.contains("8 calibration + 8 held-out tokens × 384: gaussian"), "\(text.stdout)")
    }

    @Test func badArgumentsExitTwoAndBadFilesOne() throws {
        let cases: [([String], Int32, String)] = [
            (["--scheme", "fp8"], 2, "integer schemes"),
            (["--scheme", "int4", "--methods", "rtn,best"], 2, "unknown method 'best'"),
            (["--scheme", "int4", "--granularity", "block:8x8"], 2, "tensor, channel or group:G"),
            (["--scheme", "int4", "--tokens", "0"], 2, "--tokens"),
            (["--scheme", "int4", "--activations", "\(ScanCommandTests.safetensors):encoder.layer.0.output.dense.weight"], 2, "input size 384"),
            (["--scheme", "int4", "--activations", "\(ScanCommandTests.safetensors):encoder.layer.0.output.dense.bias"], 2, "at least 2"),
        ]
        for (extra, status, text) in cases {
            let r = try CLI.run(["methods"] + Self.layer + extra)
            #expect(r.status == status && r.stderrLines.count == 1 && r.stderr.contains(text), "\(extra): \(r.status) \(r.stderr)")
        }
        let bias = try CLI.run(["methods", ScanCommandTests.safetensors, "--tensor", "encoder.layer.0.attention.self.query.bias", "--scheme", "int4"])
        #expect(bias.status == 1 && bias.stderr.contains("2-D weight"), "\(bias.stderr)")
        let activations = try CLI.run(["quantize"] + Self.layer + ["--scheme", "int4", "--activations", "gaussian", "--out", "/tmp/unused.safetensors"])
        #expect(activations.status == 2 && activations.stderr.contains("go with --method"), "\(activations.stderr)")
    }

    /// The GPTQ and AWQ layouts decode (with quantscope's stored-quantization
    /// readers) to exactly the Ŵ `quantize --method` writes as `dequantized`.
    @Test(arguments: [("gptq", "int4", "rtn"), ("gptq", "int4-asym", "rtn"), ("gptq", "int8", "rtn"), ("awq", "int4-asym", "rtn"), ("awq", "int4", "rtn"),
                      ("gptq", "int4", "gptq"), ("gptq", "int4", "gptq-actorder"), ("awq", "int4-asym", "awq")])
    func layoutsReadBackAsTheMethodsWeight(layout: String, scheme: String, method: String) throws {
        let scratch = try Scratch()
        let common = Self.layer + ["--scheme", scheme, "--tokens", "32", "--method", method]
        let plain = try CLI.run(["quantize"] + common + ["--out", scratch.path("plain.safetensors")])
        #expect(plain.status == 0, "\(plain.stderr)")
        let packed = try CLI.run(["quantize"] + common + ["--layout", layout, "--out", scratch.path("packed.safetensors")])
        #expect(packed.status == 0, "\(packed.stderr)")
        let expected = try Checkpoint.open(scratch.path("plain.safetensors")).load(named: "dequantized")
        let stored = try Checkpoint.open(scratch.path("packed.safetensors"))
        let info = try stored.info(named: Self.query)
        #expect(info.dtype == "\(layout)-int\(scheme.hasPrefix("int8") ? 8 : 4)")
        var decoded = try stored.load(info)
        #expect(decoded.shape == [384, 384])
        if method == "awq" {
            // The layout stores Q(W·diag(s)); Ŵ divides it by s again, column by column.
            let s = try stored.load(named: "encoder.layer.0.attention.self.query.input_scales").values
            for i in decoded.values.indices { decoded.values[i] /= s[i % 384] }
        }
        // Equal as numbers: GPTQ's own Ŵ holds −0.0 where q = Z, the readers +0.0.
        let mismatches = zip(decoded.values, expected.values).filter { !($0.0 == $0.1) }.count
        #expect(mismatches == 0, "\(mismatches) of \(decoded.count) weights differ")
    }

    /// `render --view methods` runs every method to the end and draws the view (docs/contract.md §16.6).
    @Test func renderDrawsTheMethodsView() throws {
        let r = try CLI.run(["render"] + Self.layer + ["--view", "methods", "--scheme", "int4", "--granularity", "group:128", "--size", "80x24", "--out", "-"])
        #expect(r.status == 0, "\(r.stderr)")
        for text in ["9 Methods", "int4 group:128 · W 384×384", "out dB", "▶ gptq", "GPTQ step 1/384", "gptq-actorder", "awq-clip", "smoothquant", "correlated"] {
            #expect(r.stdout.contains(text), "\(text)")
        }
        #expect(!r.stdout.contains("not built") && !r.stdout.contains("nan"))
        let bias = try CLI.run(["render", ScanCommandTests.safetensors, "--tensor", "encoder.layer.0.attention.self.query.bias", "--view", "methods", "--out", "-"])
        #expect(bias.status == 0 && bias.stdout.contains("2-D weight"))
    }

    @Test func layoutsRefuseWhatTheyCannotStore() throws {
        let scratch = try Scratch()
        for (layout, scheme, text) in [("gptq", "int3", "2, 4 or 8 bits"), ("awq", "int8", "4-bit codes"), ("zip", "int4", "unknown --layout")] {
            let r = try CLI.run(["quantize"] + Self.layer + ["--scheme", scheme, "--layout", layout, "--tokens", "8", "--out", scratch.path("x.safetensors")])
            #expect(r.status == 2 && r.stderr.contains(text), "\(layout) \(scheme): \(r.stderr)")
        }
    }
}
