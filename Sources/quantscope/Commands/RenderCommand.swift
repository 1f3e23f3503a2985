import ArgumentParser
import Foundation
import QuantEngine
import QuantScopeUI

/// `quantscope render`: one explorer screen, drawn without a terminal into
/// SVG, plain text or ANSI (docs/contract.md §14). The screen is the one
/// the terminal shows for the same setting once its work is done, from the
/// same cell buffer, with fixed timings so a render repeats exactly.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw one explorer view (or tour lesson) to SVG, text or ANSI, for slides and docs."
    )

    @Argument(help: "A checkpoint; the bundled samples when omitted.")
    var file: String?

    @Option(name: .long, help: "The tensor's name (optional when FILE holds one tensor; the explorer's first tensor without FILE).")
    var tensor: String?

    @Option(name: .long, help: ArgumentHelp("\(RenderSpec.viewNames).", valueName: "view"))
    var view: String

    @Option(name: .long, help: ArgumentHelp("\(SchemeCatalog.compactSpellings) (default: the explorer's, int8).", valueName: "scheme"))
    var scheme: String?

    @Option(name: .long, help: "tensor, channel[:AXIS], group:G or block:RxC.")
    var granularity: String?

    @Option(name: .long, help: "Keep this fraction of each group's range, in (0, 1].")
    var clip: Float = 1

    @Option(name: .customLong("bits-format"), help: ArgumentHelp("The Float bits view's format (fp8-e4m3, fp8-e5m2, bf16, fp16, …).", valueName: "format"))
    var bitsFormat: String?

    @Option(name: .long, help: ArgumentHelp("The element followed: an index, ROW,COL, max (largest |x|) or worst (largest error).", valueName: "cursor"))
    var cursor: String?

    @Flag(name: .long, help: "Log-scale histograms.")
    var log = false

    @Option(name: .long, help: ArgumentHelp("The screen in cells, at least 80x24.", valueName: "COLSxROWS"))
    var size = "100x30"

    @Option(name: .long, help: ArgumentHelp("compare: B's setting, SCHEME or SCHEME@GRANULARITY (int4@group:32).", valueName: "B"))
    var against: String?

    @OptionGroup var terminal: TerminalOptions

    @Option(name: .long, help: ArgumentHelp("x.svg, x.txt or x.ansi (the format follows the extension); - writes text to stdout.", valueName: "OUT"))
    var out: String

    func validate() throws {
        guard clip > 0 && clip <= 1 else { throw UsageError("--clip must be in (0, 1], got \(clip)") }
        guard ScreenExport(path: out) != nil else { throw UsageError("--out \(out): the format follows the extension: .svg, .txt or .ansi (- for text on stdout)") }
    }

    func run() throws {
        do {
            try render()
        } catch let failure as HeadlessSession.Failure {
            // A state that never settles is our bug, not the user's: one line, status 1.
            Main.fail(failure.description, status: 1)
        }
    }

    func render() throws {
        let format = ScreenExport(path: out) ?? .text
        let view = try RenderSpec.view(self.view)
        let (columns, rows) = try RenderSpec.size(size)
        let cursor = try self.cursor.map(RenderSpec.cursor)
        let live = try scheme.map { try RenderSpec.settings(scheme: $0, granularity: granularity, clip: clip) }
        if scheme == nil, granularity != nil || clip != 1 { throw UsageError("--granularity and --clip need --scheme") }
        let pinned = try against.map { try RenderSpec.comparison($0, clip: 1) }
        if (view == .compare) != (pinned != nil) { throw UsageError("--view compare and --against B go together") }
        if case .tour = view, tensor != nil || scheme != nil || cursor != nil {
            throw UsageError("a tour lesson sets its own tensor, scheme and cursor: leave out --tensor, --scheme and --cursor")
        }
        let bitsFormat = try self.bitsFormat.map { name in
            guard let f = FloatFormat.named(name), AppState.bitsFormats.contains(f) else {
                throw UsageError("--bits-format \(name): the Float bits view shows \(AppState.bitsFormats.map(\.name).joined(separator: ", "))")
            }
            return f
        }

        let files = try openFiles()
        var session = HeadlessSession(state: AppState(files: files, width: columns, height: rows))
        if case .tour(let lesson, let scene) = view {
            try session.tour(lesson: lesson, scene: scene)
        } else {
            try open(in: &session, settings: live)
            // A view key closes compare mode, so the view comes first.
            let kind: ViewKind = if case .view(let k) = view { k } else { .histogram }
            try session.press([.character(Character(String(kind.rawValue)))])
            if let pinned { try session.compare(with: pinned) }
            if let cursor { try place(cursor, in: &session) }
        }
        if log || bitsFormat != nil {
            try session.step { state in
                if log { state.logScale = true }
                if let bitsFormat { state.bitsFormat = bitsFormat }
                return []
            }
        }
        if let failure = session.state.analysisFailure { throw UsageError(failure) }
        if let failure = session.state.compare?.failure { throw UsageError("--against \(against ?? ""): \(failure)") }
        let noColor = terminal.noColor || !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let buffer = session.render(theme: noColor ? .monochrome : .palette256, ascii: terminal.ascii)
        let title = "quantscope render --view \(self.view)" + (session.state.tensor.map { " · \($0.info.name)" } ?? "")
        let text = format.render(buffer, palette: noColor ? .light : .dark, title: title)
        if out == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
        } else {
            try TextFileWriter.write(text, to: out, protecting: files.flatMap(\.checkpoint.inputPaths))
        }
    }

    /// FILE, or every bundled sample.
    func openFiles() throws -> [OpenFile] {
        if let file { return [OpenFile(checkpoint: try Checkpoint.openInput(file))] }
        return try ExploreCommand.samples()
    }

    /// Opens the tensor (docs/contract.md §7's rule with FILE; the explorer's first tensor without) under `settings`.
    func open(in session: inout HeadlessSession, settings: QuantSettings?) throws {
        let ref: TensorRef
        if let tensor {
            if file != nil { _ = try session.state.files[0].checkpoint.info(named: tensor) }
            do { ref = try session.ref(named: tensor) } catch {
                throw TensorFileError.tensorNotFound(path: "the bundled samples", tensor: tensor, suggestion: nil)
            }
        } else if let file {
            let info = try TensorChoice.choose(in: session.state.files[0].checkpoint, file: file, tensor: nil)
            ref = try session.ref(named: info.name)
        } else if let first = session.state.browser.selectedRef {
            ref = first
        } else {
            throw UsageError("the bundled samples hold no tensor to show")
        }
        let info = session.state.files[ref.file].checkpoint.tensors[ref.tensor]
        guard info.isDecodable else { throw UsageError("\(info.name): decoding \(info.dtype) is not supported yet") }
        try session.open(ref, settings: settings)
        if let message = session.state.message, session.state.tensor == nil { throw UsageError(message) }
        // A stored-quantized tensor opens as stored; a scheme asked for wins.
        if let settings, session.state.settings != settings { try session.apply(settings) }
        if let settings, let t = session.state.tensor, let asked = granularity,
           let wanted = try? Granularity(parsing: asked), settings.granularity(rank: t.shape.count) != wanted {
            throw UsageError("--granularity \(asked): \(settings.scheme) is shown at \(settings.granularity(rank: t.shape.count)) in the explorer")
        }
    }

    func place(_ cursor: RenderSpec.Cursor, in session: inout HeadlessSession) throws {
        guard let t = session.state.tensor, t.count > 0 else { throw UsageError("--cursor: the tensor is empty") }
        switch cursor {
        case .maxAbs: try session.press([.character("m")])
        case .worst:
            guard session.state.analysis?.worstIndex != nil else { throw UsageError("--cursor worst: no analysis to take the worst error from") }
            try session.press([.character("w")])
        case .index(let i):
            guard i < t.count else { throw UsageError("--cursor \(i) is past the last element (\(t.count - 1))") }
            try session.moveCursor(to: i)
        case .rowColumn(let r, let c):
            guard r < t.rows, c < t.columns else { throw UsageError("--cursor \(r),\(c) is outside \(t.rows)×\(t.columns)") }
            try session.moveCursor(to: r * t.columns + c)
        }
    }
}
