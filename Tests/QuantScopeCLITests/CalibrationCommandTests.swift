import Foundation
import QuantEngine
import Testing

/// `--calibration` on `stats` and `quantize` (docs/contract.md §7, §12), on
/// the heavy-tailed numpy fixture (tools/make_calibration_fixtures.py).
@Suite struct CalibrationCommandTests {
    static var heavy: String { SharedFixtures.root.appendingPathComponent("calibration/heavy.npy").path }

    static func reference() throws -> [String: Any] {
        let data = try SharedFixtures.data("calibration/cases.json")
        let cases = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        return try #require(cases.first { $0["file"] as? String == "heavy.npy" })
    }

    @Test(arguments: ["int8", "int4"])
    func jsonNamesTheChoiceAndMSEBeatsMinMax(_ scheme: String) throws {
        let minmax = try CLI.run(["stats", Self.heavy, "--scheme", scheme, "--calibration", "minmax", "--json"])
        let mse = try CLI.run(["stats", Self.heavy, "--scheme", scheme, "--calibration", "mse", "--json"])
        #expect(minmax.status == 0 && mse.status == 0, "\(minmax.stderr) \(mse.stderr)")
        let a = try #require(try CLI.json(minmax)["calibration"] as? [String: Any])
        let b = try #require(try CLI.json(mse)["calibration"] as? [String: Any])
        #expect(Set(b.keys) == ["method", "clip", "threshold", "max_abs", "mse", "evaluations", "elapsed_ms"])
        #expect(a["method"] as? String == "minmax" && b["method"] as? String == "mse")
        #expect(a["clip"] as? Double == 1)
        let numpyMinMax = try #require((try Self.reference()["schemes"] as? [String: Any])?[scheme] as? [Double]).first!
        let minmaxMSE = try #require(a["mse"] as? Double), best = try #require(b["mse"] as? Double)
        #expect(abs(minmaxMSE - numpyMinMax) <= 1e-6 * numpyMinMax)
        #expect(best < minmaxMSE)
        // The stats' own mse is the chosen clip's.
        #expect(try CLI.json(mse)["mse"] as? Double == best)
    }

    @Test func percentileThresholdIsNumpys() throws {
        let result = try CLI.run(["stats", Self.heavy, "--scheme", "int8", "--calibration", "percentile:99.9", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let c = try #require(try CLI.json(result)["calibration"] as? [String: Any])
        let want = try #require((try Self.reference()["percentiles"] as? [String: Any])?["99.9"] as? Double)
        let got = try #require(c["threshold"] as? Double)
        #expect(abs(got - want) <= 1e-12 * want)
        #expect(c["method"] as? String == "percentile:99.9")
    }

    @Test func tableNamesMethodClipAndThreshold() throws {
        let result = try CLI.run(["stats", Self.heavy, "--scheme", "int4", "--calibration", "mse"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("calibration  mse: clip "))
        #expect(result.stdout.contains("threshold "))
        #expect(result.stdout.contains("minmax clip 1 → MSE"))
        #expect(!result.stdout.contains("nan"))
    }

    @Test func quantizeUsesTheChosenClip() throws {
        let scratch = try Scratch()
        let out = scratch.path("q.safetensors")
        let result = try CLI.run(["quantize", Self.heavy, "--scheme", "int4", "--calibration", "mse", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("calibration mse: clip "))
        let stats = try CLI.json(try CLI.run(["stats", Self.heavy, "--scheme", "int4", "--calibration", "mse", "--json"]))
        let scale = try #require((stats["scales"] as? [Double])?.first)
        let checkpoint = try Checkpoint.open(out)
        let scales = try checkpoint.load(try checkpoint.info(named: "scales"))
        #expect(Double(scales.values[0]) == scale)
    }

    @Test(arguments: [
        (["--calibration", "mse", "--clip", "0.5"], "--calibration and --clip"),
        (["--calibration", "p99"], "unknown calibration 'p99'"),
        (["--calibration", "percentile:0"], "unknown calibration"),
    ])
    func usageErrorsExitTwo(_ extra: [String], _ message: String) throws {
        for command in ["stats", "quantize"] {
            let tail = command == "quantize" ? ["--out", "/tmp/never-written-calibration.safetensors"] : []
            let result = try CLI.run([command, Self.heavy, "--scheme", "int8"] + extra + tail)
            #expect(result.status == 2, "\(command) \(extra)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains(message), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written-calibration.safetensors"))
    }

    @Test func ggufSchemeIsRefused() throws {
        let result = try CLI.run(["stats", Self.heavy, "--scheme", "q8_0", "--calibration", "mse"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("scheme q8_0 takes none"))
    }

    /// An all-zero tensor: a clear answer, never NaN.
    @Test func zeroTensor() throws {
        let scratch = try Scratch()
        let path = scratch.path("zeros.safetensors")
        try SafetensorsWriter.write([.float32("w", shape: [4, 4], Array(repeating: 0, count: 16))], to: path)
        let result = try CLI.run(["stats", path, "--scheme", "int8", "--calibration", "mse", "--json"])
        #expect(result.status == 0)
        let c = try #require(try CLI.json(result)["calibration"] as? [String: Any])
        #expect(c["clip"] as? Double == 1 && c["threshold"] as? Double == 0 && c["mse"] as? Double == 0)
        #expect(!result.stdout.contains("nan"))
    }
}
