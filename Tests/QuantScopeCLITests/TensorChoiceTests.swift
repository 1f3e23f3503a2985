import Foundation
import QuantEngine
import Testing

/// `--tensor` is optional when the file holds one tensor, for every command
/// that takes a FILE and a tensor (docs/contract.md §7); with several it is a
/// usage error that says how many, and a file with none is a file problem.
@Suite struct TensorChoiceTests {
    /// numpy's [3, 5] float32 array (tools/make_npy_fixtures.py).
    static var single: String { SharedFixtures.root.appendingPathComponent("npy/f4_le.npy").path }
    /// gguf-py's 18-tensor file (tools/make_reader_fixtures.py).
    static var several: String { SharedFixtures.root.appendingPathComponent("readers/all_types.gguf").path }

    static func commands(_ file: String, _ scratch: Scratch) -> [[String]] {
        [
            ["stats", file, "--scheme", "int8"],
            ["quantize", file, "--scheme", "int8", "--out", scratch.path("q.safetensors")],
            ["export", file, "--out", scratch.path("e.safetensors")],
            ["matmul", file, "--scheme", "w8a8", "--tokens", "2", "--repeats", "1"],
        ]
    }

    @Test func theOnlyTensorIsChosen() throws {
        let scratch = try Scratch()
        for arguments in Self.commands(Self.single, scratch) {
            let r = try CLI.run(arguments)
            #expect(r.status == 0, "\(arguments[0]): exit \(r.status), \(r.stderr)")
        }
        let exported = try Checkpoint.open(scratch.path("e.safetensors")).load(named: "f4_le")
        #expect(exported.shape == [3, 5])
        // Bit for bit: the array holds a NaN, ±0, ±Inf and a subnormal.
        #expect(exported.values.map(\.bitPattern) == (try SharedFixtures.f32("npy/f4_le.f32")).map(\.bitPattern))
    }

    @Test func severalTensorsNeedAName() throws {
        let scratch = try Scratch()
        for arguments in Self.commands(Self.several, scratch) {
            let r = try CLI.run(arguments)
            BadInputTests.expectOneLine(r, status: 2, mentioning: "holds 18 tensors; choose one with --tensor NAME", arguments[0])
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("q.safetensors")))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("e.safetensors")))
    }

    /// What `safetensors.numpy.save({})` writes: a header `{}` and no data.
    @Test func aFileWithNoTensorsIsAFileProblem() throws {
        let scratch = try Scratch()
        let empty = scratch.path("empty.safetensors")
        try Data([8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8)).write(to: URL(fileURLWithPath: empty))
        for arguments in Self.commands(empty, scratch) {
            let r = try CLI.run(arguments)
            BadInputTests.expectOneLine(r, status: 1, mentioning: "empty.safetensors: holds no tensors", arguments[0])
        }
    }
}
