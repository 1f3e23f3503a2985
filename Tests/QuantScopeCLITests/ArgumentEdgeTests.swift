import Foundation
import Testing

/// Command lines that are odd rather than wrong, each answered with a run or
/// with one line that says what to write (docs/contract.md §7, §9).
@Suite struct ArgumentEdgeTests {
    /// The section flags choose what `bench` runs; two of them contradict.
    /// (`--repeats 0` makes a regression fail at once instead of benchmarking.)
    @Test(arguments: [
        ["--no-kernels", "--kernels-only"],
        ["--kernels-only", "--decoders"],
        ["--decoders", "--no-kernels"],
        ["--no-kernels", "--kernels-only", "--decoders"],
        ["--gptq", "--decoders"],
    ])
    func benchSectionFlagsAreExclusive(_ flags: [String]) throws {
        let r = try CLI.run(["bench", "--repeats", "0"] + flags)
        BadInputTests.expectOneLine(r, status: 2, mentioning: "contradict each other; give at most one of --decoders, --kernels-only, --no-kernels",
                                    flags.joined(separator: " "))
    }

    /// A weight whose rows are shorter than the default group of 128 is one
    /// group per row, as `group:G` past the row is; only a --group-size the
    /// user gave is held to the row.
    @Test(arguments: ["w4a16", "w4a8"])
    func theDefaultGroupSizeFitsShortRows(_ scheme: String) throws {
        let scratch = try Scratch()
        let path = try BadInputTests.tensorFile(scratch)  // [4, 8]: rows pad to 32
        let base = ["matmul", path, "--scheme", scheme, "--tokens", "3", "--repeats", "1", "--json"]
        let implicit = try CLI.run(base)
        #expect(implicit.status == 0, "\(implicit.stderr)")
        let explicit = try CLI.run(base + ["--group-size", "32"])
        #expect(explicit.status == 0, "\(explicit.stderr)")
        for key in ["sqnr_db", "max_abs_err", "cosine"] {
            #expect((try CLI.json(implicit))[key] as? Double == (try CLI.json(explicit))[key] as? Double, "\(key)")
        }
        let tooLong = try CLI.run(base + ["--group-size", "128"])
        BadInputTests.expectOneLine(tooLong, status: 2, mentioning: "--group-size 128 is longer than the weight's rows (8 inputs); use at most 32", scheme)
    }

    /// A negative number after a numeric option reaches the option's range
    /// check, however it is written, instead of "Missing value".
    @Test(arguments: [
        (["stats", "--scheme", "int8", "--clip", "-0"], "--clip must be in (0, 1], got -0.0"),
        (["stats", "--scheme", "int8", "--clip=-0"], "--clip must be in (0, 1], got -0.0"),
        (["stats", "--scheme", "int8", "--clip", "-0.5"], "--clip must be in (0, 1], got -0.5"),
        (["stats", "--scheme", "int8", "--clip", "-.5"], "--clip must be in (0, 1], got -0.5"),
        (["quantize", "--scheme", "int8", "--clip", "-1", "--out", "unused.safetensors"], "--clip must be in (0, 1], got -1.0"),
        (["matmul", "--scheme", "w8a8", "--tokens", "-1"], "--tokens must be between 1 and 65536, got -1"),
        (["matmul", "--scheme", "w4a16", "--group-size", "-32"], "--group-size must be a positive multiple of 32, got -32"),
        (["matmul", "--scheme", "w8a8", "--repeats", "-1"], "--repeats must be between 1 and 10000, got -1"),
        (["matmul", "--scheme", "w8a8", "--seed", "-1"], "'-1' is invalid for '--seed"),
        (["bench", "--repeats", "-1"], "--repeats must be between 1 and 10000, got -1"),
    ])
    func negativeNumbersReachTheRangeCheck(arguments: [String], needle: String) throws {
        let scratch = try Scratch()
        let path = try BadInputTests.tensorFile(scratch)
        let command = arguments[0] == "bench" ? arguments : [arguments[0], path] + arguments.dropFirst()
        let r = try CLI.run(command.map { $0 == "unused.safetensors" ? scratch.path($0) : $0 })
        BadInputTests.expectOneLine(r, status: 2, mentioning: needle, arguments.joined(separator: " "))
        #expect(!r.stderr.contains("Missing value"), "\(arguments): \(r.stderr)")
    }

    /// Joining stops at `--`, and `bits` still takes a negative VALUE anywhere.
    @Test func bitsValuesAreLeftAlone() throws {
        let a = try CLI.run(["bits", "-0.5", "--format", "fp8-e4m3", "--json"])
        let b = try CLI.run(["bits", "--format", "fp8-e4m3", "--json", "--", "-0.5"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(a.stdout == b.stdout)
        #expect((try CLI.json(a))["value"] as? Double == -0.5)
    }
}
