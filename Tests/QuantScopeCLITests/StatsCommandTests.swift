import Foundation
import QuantEngine
import Testing

/// `stats` and `quantize` end to end: the binary's numbers against the numpy
/// reference fixtures, and the exact JSON keys docs/contract.md §7 lists.
@Suite struct StatsCommandTests {
    static let statsKeys: Set<String> = [
        "tensor", "shape", "dtype", "scheme", "granularity", "groups", "elements", "nonfinite", "nonfinite_output", "mse", "rmse",
        "mae", "max_abs_err", "sqnr_db", "cosine", "scales", "zero_points", "zero_points_outside_codes", "elapsed_ms",
    ]

    /// Writes a fixture case's input as an F32 safetensors file holding the tensor `w`.
    static func input(_ caseName: String, in scratch: Scratch) throws -> (path: String, reference: [String: Any]) {
        let reference = try #require(try SharedFixtures.cases("affine/cases.json").first { $0["name"] as? String == caseName })
        let shape = (reference["shape"] as? [Int]) ?? []
        let values = try SharedFixtures.f32("affine/" + (reference["input"] as? String ?? ""))
        let path = scratch.path("\(caseName).safetensors")
        try SafetensorsWriter.write([.float32("w", shape: shape, values)], to: path)
        return (path, reference)
    }

    static func close(_ a: Double, _ b: Double, relative: Double = 1e-5) -> Bool {
        a == b || abs(a - b) <= relative * max(abs(a), abs(b))
    }

    @Test(arguments: ["int8_channel0", "int8asym_channel0", "int4_group32", "uint8_tensor", "int3asym_block4x8"])
    func statsJSONMatchesReference(caseName: String) throws {
        let scratch = try Scratch()
        let (path, reference) = try Self.input(caseName, in: scratch)
        let scheme = try #require(reference["scheme"] as? String), granularity = try #require(reference["granularity"] as? String)
        let result = try CLI.run(["stats", path, "--tensor", "w", "--scheme", scheme, "--granularity", granularity, "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try CLI.json(result)
        #expect(Set(json.keys) == Self.statsKeys)
        #expect(json["scheme"] as? String == scheme)
        #expect(json["granularity"] as? String == granularity)
        #expect(json["dtype"] as? String == "F32")
        #expect(json["groups"] as? Int == reference["groups"] as? Int)
        let expectedScales = try SharedFixtures.f32("affine/" + (reference["scales"] as? String ?? ""))
        let scales = (json["scales"] as? [Double])?.map(Float.init) ?? []
        #expect(scales == expectedScales, "scales differ from numpy's")
        let metrics = try #require(reference["metrics"] as? [String: Any])
        for key in ["mse", "rmse", "mae", "max_abs_err", "cosine"] {
            let ours = try #require(json[key] as? Double), theirs = try #require(metrics[key] as? Double)
            #expect(Self.close(ours, theirs), "\(key): ours \(ours), numpy \(theirs)")
        }
        let sqnr = try #require(json["sqnr_db"] as? Double), expectedSqnr = try #require(metrics["sqnr_db"] as? Double)
        #expect(abs(sqnr - expectedSqnr) < 1e-4)
    }

    @Test func statsTableIsReadable() throws {
        let scratch = try Scratch()
        let (path, _) = try Self.input("int8_channel0", in: scratch)
        let result = try CLI.run(["stats", path, "--tensor", "w", "--scheme", "int8", "--granularity", "channel"])
        #expect(result.status == 0)
        for label in ["tensor", "shape", "scheme", "mse", "SQNR", "cosine", "RMSE / S"] {
            #expect(result.stdout.contains(label), "table lacks \(label)")
        }
        #expect(result.stdout.contains("int8 channel:0"))
    }

    @Test func quantizeWritesTheSpecLayout() throws {
        let scratch = try Scratch()
        let (path, reference) = try Self.input("int4_group32", in: scratch)
        let out = scratch.path("q.safetensors")
        let result = try CLI.run(["quantize", path, "--tensor", "w", "--scheme", "int4", "--granularity", "group:32",
                                  "--packing", "high-first", "--out", out])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let file = try Checkpoint.open(out)
        #expect(file.tensors.map(\.name).sorted() == ["codes", "dequantized", "packed", "scales", "zero_points"])
        let metadata = Dictionary(uniqueKeysWithValues: file.metadata.map { ($0.key, $0.value.stringValue ?? "") })
        #expect(metadata["scheme"] == "int4")
        #expect(metadata["granularity"] == "group:32")
        #expect(metadata["packing"] == "high-first")
        let codes = try file.info(named: "codes")
        #expect(codes.dtype == "I8")
        #expect(codes.shape == [8, 100])
        let expectedCodes = try SharedFixtures.data("affine/" + (reference["codes"] as? String ?? "")).withUnsafeBytes { raw in
            (0..<(raw.count / 2)).map { Int16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self)) }
        }
        let decodedCodes = try file.load(codes).values.map { Int16($0) }
        #expect(decodedCodes == expectedCodes)
        // high-first: element 0 in the high nibble of byte 0.
        let packed = try file.load(named: "packed").values.map { UInt8($0) }
        #expect(packed.count == 400)
        #expect(packed[0] >> 4 == UInt8(bitPattern: Int8(expectedCodes[0])) & 0x0F)
        #expect(packed[0] & 0x0F == UInt8(bitPattern: Int8(expectedCodes[1])) & 0x0F)
        let dequantized = try file.load(named: "dequantized").values
        #expect(dequantized == (try SharedFixtures.f32("affine/" + (reference["dequantized"] as? String ?? ""))))
        #expect(try file.info(named: "scales").dtype == "F32")
        #expect(try file.info(named: "zero_points").dtype == "I32")
    }

    @Test func quantizeGGUFWritesBlockBytesAndNoZeroPoints() throws {
        let scratch = try Scratch()
        let (path, _) = try Self.input("int8_channel0", in: scratch)
        let out = scratch.path("q.safetensors")
        let result = try CLI.run(["quantize", path, "--tensor", "w", "--scheme", "q4_1", "--out", out])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let file = try Checkpoint.open(out)
        #expect(file.tensors.map(\.name).sorted() == ["codes", "dequantized", "mins", "packed", "scales"])
        #expect(try file.info(named: "packed").byteCount == 16 * 64 / 32 * 20)
        #expect(try file.info(named: "codes").dtype == "U8")
    }

    @Test func quantizeRefusesToOverwriteItsInput() throws {
        let scratch = try Scratch()
        let (path, _) = try Self.input("int8_channel0", in: scratch)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try CLI.run(["quantize", path, "--tensor", "w", "--scheme", "int8", "--out", path])
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func singleTensorFilesNeedNoTensorOption() throws {
        let scratch = try Scratch()
        let (path, _) = try Self.input("int8_channel0", in: scratch)
        let result = try CLI.run(["stats", path, "--scheme", "nf4", "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try CLI.json(result)["granularity"] as? String == "group:64")
    }

    /// The seed's exact-range asymmetric mapping on MiniLM's all-positive
    /// LayerNorm weight: Z = −358 (numpy's value, seed/cases.json), kept and
    /// reported, not clamped (docs/contract.md §1, §10).
    @Test func theSeedsExactRangeReportsAZeroPointOutsideTheCodes() throws {
        let args = ["stats", ScanCommandTests.safetensors, "--tensor", "encoder.layer.0.output.LayerNorm.weight", "--scheme", "int8-asym-exact"]
        let json = try CLI.json(try CLI.run(args + ["--json"]))
        #expect(json["zero_points"] as? [Int] == [-358])
        #expect(json["zero_points_outside_codes"] as? Int == 1)
        let text = try CLI.run(args)
        #expect(text.status == 0)
        #expect(text.stdout.contains("Z outside the codes -128…127 in 1 of 1 groups"))
    }

    /// `a8w8-fp8` is the seed's name for the FP8 kernel; its time is labelled an emulation.
    @Test func a8w8FP8IsTheSeedsNameForTheEmulatedFP8Kernel() throws {
        let base = ["matmul", ScanCommandTests.safetensors, "--tensor", "encoder.layer.0.attention.self.query.weight", "--tokens", "2", "--repeats", "1"]
        let seed = try CLI.run(base + ["--scheme", "a8w8-fp8"])
        #expect(seed.status == 0, "\(seed.stderr)")
        #expect(seed.stdout.contains("the seed's A8W8 (a8w8-fp8) is this FP8 kernel; w8a8 is int8"))
        #expect(seed.stdout.contains("fp8 time: emulated on CPU (no FP8 hardware)"))
        let json = try CLI.json(try CLI.run(base + ["--scheme", "a8w8-fp8", "--json"]))
        #expect(json["scheme"] as? String == "fp8" && json["emulated"] as? Bool == true)
        let int8 = try CLI.run(base + ["--scheme", "w8a8"])
        #expect(int8.stdout.contains("w8a8 is int8; the seed's A8W8 is FP8: a8w8-fp8"))
        #expect(!int8.stdout.contains("emulated"))
    }
}
