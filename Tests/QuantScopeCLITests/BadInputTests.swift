import Foundation
import QuantEngine
import Testing

/// Bad input gets one line on stderr and exit 1 (file problems) or 2 (usage).
@Suite struct BadInputTests {
    static func tensorFile(_ scratch: Scratch) throws -> String {
        let path = scratch.path("w.safetensors")
        try SafetensorsWriter.write([.float32("w", shape: [4, 8], (0..<32).map { Float($0) - 16 })], to: path)
        return path
    }

    static func expectOneLine(_ r: CLI.Result, status: Int32, mentioning needle: String, _ context: String) {
        #expect(r.status == status, "\(context): exit \(r.status), stderr \(r.stderr)")
        #expect(r.stderrLines.count == 1, "\(context): stderr should be one line, got \(r.stderr)")
        #expect(r.stderr.contains(needle), "\(context): stderr should mention \(needle): \(r.stderr)")
        #expect(r.stdout.isEmpty, "\(context): nothing on stdout")
        #expect(!r.stderr.contains("Error(") && !r.stderr.contains("message:"), "\(context): a debug description leaked: \(r.stderr)")
    }

    @Test(arguments: [
        (["--scheme", "int9"], "int9"),
        (["--scheme", "int8", "--granularity", "group:0"], "group:0"),
        (["--scheme", "int8", "--granularity", "block:3"], "block:3"),
        (["--scheme", "int8", "--granularity", "channel:5"], "channel axis 5"),
        (["--scheme", "nf4", "--granularity", "channel"], "nf4"),
        (["--scheme", "q4_0", "--granularity", "group:64"], "group:32"),
        (["--scheme", "int8", "--clip", "0"], "--clip"),
    ])
    func usageErrorsExitTwo(arguments: [String], needle: String) throws {
        let scratch = try Scratch()
        let path = try Self.tensorFile(scratch)
        let r = try CLI.run(["stats", path, "--tensor", "w"] + arguments)
        Self.expectOneLine(r, status: 2, mentioning: needle, arguments.joined(separator: " "))
    }

    @Test func fileProblemsExitOneNamingTheFile() throws {
        let scratch = try Scratch()
        let path = try Self.tensorFile(scratch)
        Self.expectOneLine(try CLI.run(["stats", scratch.path("missing.safetensors"), "--tensor", "w", "--scheme", "int8"]),
                           status: 1, mentioning: "missing.safetensors", "missing file")
        Self.expectOneLine(try CLI.run(["stats", path, "--tensor", "nope", "--scheme", "int8"]),
                           status: 1, mentioning: "nope", "missing tensor")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let truncated = scratch.path("truncated.safetensors")
        try bytes.prefix(bytes.count - 10).write(to: URL(fileURLWithPath: truncated))
        Self.expectOneLine(try CLI.run(["stats", truncated, "--tensor", "w", "--scheme", "int8"]),
                           status: 1, mentioning: "truncated.safetensors", "truncated file")
        let notAFile = scratch.path("notes.txt")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: notAFile))
        Self.expectOneLine(try CLI.run(["inspect", notAFile]), status: 1, mentioning: "notes.txt", "unknown format")
    }

    @Test func aMistypedCommandIsAUsageErrorAndAMissingFileAFileError() throws {
        Self.expectOneLine(try CLI.run(["inspct", "w.safetensors"]), status: 2, mentioning: "unknown command 'inspct'", "two words")
        Self.expectOneLine(try CLI.run(["inspct"]), status: 2, mentioning: "unknown command 'inspct'", "one word")
        Self.expectOneLine(try CLI.run(["nosuchfile.gguf"]), status: 1, mentioning: "nosuchfile.gguf: cannot open", "a missing file")
        Self.expectOneLine(try CLI.run(["./inspct"]), status: 1, mentioning: "./inspct: cannot open", "a path")
    }

    @Test func bitsRejectsWhatItCannotParse() throws {
        Self.expectOneLine(try CLI.run(["bits", "abc", "--format", "fp8-e4m3"]), status: 2, mentioning: "abc", "bad value")
        Self.expectOneLine(try CLI.run(["bits", "1", "--format", "fp7"]), status: 2, mentioning: "fp7", "bad format")
        Self.expectOneLine(try CLI.run(["bits", "1", "--format", "fp16", "--mode", "wrap"]), status: 2, mentioning: "wrap", "bad mode")
    }
}
