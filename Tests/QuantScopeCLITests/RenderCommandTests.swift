import Foundation
import QuantEngine
import Testing

/// `quantscope render` (docs/contract.md §14): the screens it draws are the
/// explorer's (the UI tests' golden screens, text for text), the SVG is
/// well-formed XML holding the screen's words, the ANSI output is the text
/// with valid SGR sequences, and bad arguments are one-line usage errors.
@Suite struct RenderCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let golden = repository.appendingPathComponent("Tests/QuantScopeUITests/Golden")
    static let gguf = repository.appendingPathComponent("samples/minilm-l6-layer0.gguf").path

    static func golden(_ name: String) throws -> String {
        try String(contentsOf: golden.appendingPathComponent(name + ".txt"), encoding: .utf8)
    }

    /// Renders with colour unless asked otherwise (NO_COLOR emptied, which leaves colour on).
    static func render(_ arguments: [String], environment: [String: String] = ["NO_COLOR": ""]) throws -> CLI.Result {
        let result = try CLI.run(["render"] + arguments, environment: environment)
        #expect(result.status == 0, "render \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    /// A screen line as the SVG's text holds it: box drawing and block
    /// elements are drawn as shapes, so they are blanks in the text.
    static func textPart(_ line: Substring) -> String {
        var s = Substring(String(String.UnicodeScalarView(line.unicodeScalars.map { (0x2500...0x259F).contains($0.value) ? " " : $0 })))
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    @Test(arguments: ["histogram", "mapping", "packing"])
    func textEqualsTheStoredViewGoldens(view: String) throws {
        let result = try Self.render([Self.gguf, "--tensor", "blk.0.ffn_down.weight", "--view", view, "--cursor", "700",
                                      "--size", "80x24", "--no-color", "--out", "-"])
        #expect(result.stdout == (try Self.golden("stored-q4k-\(view)-80x24")))
    }

    @Test(arguments: [(1, 1), (2, 1), (3, 1), (3, 2), (5, 2), (10, 1)])
    func tourLessonsEqualTheTourGoldens(lesson: Int, scene: Int) throws {
        let result = try Self.render(["--view", "tour:\(lesson).\(scene)", "--size", "80x24", "--out", "-"])
        #expect(result.stdout == (try Self.golden("tour-\(lesson)-\(scene)-80x24")))
        if scene == 1 {
            let short = try Self.render(["--view", "tour:\(lesson)", "--size", "80x24", "--out", "-"])
            #expect(short.stdout == result.stdout, "tour:N is scene 1")
        }
    }

    @Test(arguments: [["--view", "mapping"], ["--view", "bits", "--cursor", "max", "--bits-format", "fp8-e5m2"],
                      ["--view", "error", "--scheme", "int4", "--granularity", "channel"],
                      ["--view", "compare", "--against", "int4@group:32"], ["--view", "tour:4"], ["--view", "matmul"]])
    func svgParsesAndHoldsEveryWordOfTheScreen(arguments: [String]) throws {
        let scratch = try Scratch()
        let svgPath = scratch.path("view.svg")
        _ = try Self.render(arguments + ["--size", "100x30", "--out", svgPath])
        let text = try Self.render(arguments + ["--size", "100x30", "--out", "-"]).stdout
        let document = try SVGDocument(try String(contentsOfFile: svgPath, encoding: .utf8))
        #expect(document.root["viewBox"] == "0 0 1000 600")
        #expect(document.root["font-family"]?.contains("monospace") == true)
        let drawn = document.lines(columns: 100, rows: 30, cellWidth: 10, cellHeight: 20)
        let screen = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(30)
        #expect(screen.count == 30)
        for (row, line) in screen.enumerated() {
            #expect(drawn[row] == Self.textPart(line), "row \(row) of the SVG differs from the screen")
        }
        #expect(document.elementCounts["rect", default: 0] > 1)
        #expect(document.elementCounts["path", default: 0] >= 1, "box drawing is drawn as lines")
    }

    @Test func compareShowsBothSettingsAndATourLessonItsTitle() throws {
        let compare = try Self.render(["--view", "compare", "--against", "int4@group:32", "--out", "-"]).stdout
        #expect(compare.contains("Compare · A live, B pinned"))
        #expect(compare.contains("B int4 group:32"))
        let tour = try Self.render(["--view", "tour:5.2", "--out", "-"]).stdout
        #expect(tour.contains("FP8: E4M3 vs E5M2"))
        #expect(tour.contains("5 Float bits"))
    }

    @Test func ansiIsTheTextWithValidSGRSequences() throws {
        let scratch = try Scratch()
        let path = scratch.path("view.ansi")
        _ = try Self.render(["--view", "bits", "--out", path])
        let ansi = try String(contentsOfFile: path, encoding: .utf8)
        let text = try Self.render(["--view", "bits", "--out", "-"]).stdout
        let sgr = try Regex("\u{1B}\\[[0-9;]*m")
        let stripped = ansi.replacing(sgr, with: "").split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var s = Substring(line)
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }
        #expect(stripped == text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        // Every escape starts a complete SGR sequence; every styled line ends reset.
        #expect(!ansi.replacing(sgr, with: "").contains("\u{1B}"))
        for line in ansi.split(separator: "\n") where line.contains("\u{1B}") {
            #expect(line.hasSuffix("\u{1B}[0m"), "a styled line must end with a reset: \(line.suffix(20))")
        }
        #expect(ansi.contains("38;5;"), "the 256-colour theme")
        let plain = try Self.render(["--view", "bits", "--no-color", "--out", "-"]).stdout
        #expect(plain == text)
        let noColor = scratch.path("mono.ansi")
        _ = try Self.render(["--view", "bits", "--no-color", "--out", noColor])
        let mono = try String(contentsOfFile: noColor, encoding: .utf8)
        #expect(!mono.contains("38;5;") && !mono.contains("48;5;") && mono.contains("\u{1B}[0;7m"), "--no-color: attributes only")
        let envPath = scratch.path("env.ansi")
        _ = try Self.render(["--view", "bits", "--out", envPath], environment: ["NO_COLOR": "1"])
        #expect(try String(contentsOfFile: envPath, encoding: .utf8) == mono, "NO_COLOR as --no-color")
    }

    @Test func asciiAndNoColorAreHonoured() throws {
        let text = try Self.render(["--view", "mapping", "--ascii", "--out", "-"]).stdout
        let allASCII = text.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(allASCII)
        let scratch = try Scratch()
        let path = scratch.path("mono.svg")
        _ = try Self.render(["--view", "mapping", "--no-color", "--out", path])
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.contains("{fill:#ffffff}"), "the colourless page is white")
        _ = try SVGDocument(svg)
    }

    @Test(arguments: ["histogram", "mapping", "error", "packing", "bits", "matmul", "model", "sweep"])
    func everyViewRendersAConstantAndAnEmptyTensorAt80x24(view: String) throws {
        let constant = try Self.render(["--tensor", "all_zero", "--view", view, "--size", "80x24", "--out", "-"]).stdout
        #expect(constant.split(separator: "\n", omittingEmptySubsequences: false).count == 25)
        // (The Float bits view names E4M3's NaN encoding, "NaN = S 1111 111"; a value is never shown as nan.)
        #expect(!constant.contains("nan") && !constant.contains("= NaN "))
        let scratch = try Scratch()
        let path = scratch.path("empty.safetensors")
        try SafetensorsWriter.write([.float32("empty", shape: [0, 16], [])], to: path)
        let empty = try Self.render([path, "--view", view, "--size", "80x24", "--out", scratch.path("empty.svg")])
        #expect(empty.stderr.isEmpty)
        _ = try SVGDocument(try String(contentsOfFile: scratch.path("empty.svg"), encoding: .utf8))
    }

    @Test func aTensorNameFullOfMarkupStaysText() throws {
        let scratch = try Scratch()
        let path = scratch.path("markup.safetensors")
        let name = "w<b>&amp;\"'"
        try SafetensorsWriter.write([.float32(name, shape: [8, 96], (0..<768).map { Float($0 % 17) - 8 })], to: path)
        let svgPath = scratch.path("markup.svg")
        _ = try Self.render([path, "--view", "histogram", "--out", svgPath])
        let document = try SVGDocument(try String(contentsOfFile: svgPath, encoding: .utf8))
        #expect(document.texts.contains { $0.content.contains(name) }, "the name, unescaped by the parser, is on screen")
    }

    @Test(arguments: [
        (["--view", "nope"], "unknown view"), (["--view", "tour:11"], "lessons 1…10"), (["--view", "tour:3.9"], "scenes 1…2"),
        (["--view", "mapping", "--size", "10x10"], "--size"), (["--view", "mapping", "--size", "wide"], "COLSxROWS"),
        (["--view", "mapping", "--cursor", "-1"], "--cursor"), (["--view", "mapping", "--cursor", "99999999"], "past the last element"),
        (["--view", "compare"], "--against"), (["--view", "mapping", "--against", "int4"], "--against"),
        (["--view", "mapping", "--scheme", "int9"], "int9"), (["--view", "mapping", "--granularity", "channel"], "--scheme"),
        (["--view", "mapping", "--scheme", "mxfp4", "--granularity", "channel"], "group:32"),
        (["--view", "bits", "--bits-format", "int8"], "--bits-format"), (["--view", "tour:2", "--scheme", "int4"], "tour"),
        (["--view", "mapping", "--scheme", "int8", "--clip", "2"], "--clip"),
    ])
    func badArgumentsAreUsageErrors(arguments: [String], says: String) throws {
        let result = try CLI.run(["render"] + arguments + ["--out", "-"])
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderrLines.count == 1 && result.stderr.contains(says), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func badOutputsAndFilesAreRefused() throws {
        let png = try CLI.run(["render", "--view", "mapping", "--out", "x.png"])
        #expect(png.status == 2 && png.stderr.contains(".svg, .txt or .ansi"))
        let missing = try CLI.run(["render", "/nonexistent/model.safetensors", "--view", "mapping", "--out", "-"])
        #expect(missing.status == 1 && missing.stderrLines.count == 1 && missing.stderr.contains("/nonexistent/model.safetensors"))
        let tensor = try CLI.run(["render", "--view", "mapping", "--tensor", "nope", "--out", "-"])
        #expect(tensor.status == 1 && tensor.stderr.contains("nope"))
        let several = try CLI.run(["render", Self.gguf, "--view", "mapping", "--out", "-"])
        #expect(several.status == 2 && several.stderr.contains("--tensor NAME"))
        let scratch = try Scratch()
        let over = try CLI.run(["render", "--view", "mapping", "--out", scratch.url.path + "/"])
        #expect(over.status == 2)
    }
}
