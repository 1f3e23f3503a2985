import ArgumentParser
import Foundation
import QuantEngine
import QuantScopeUI

/// `quantscope tour [FILE]`: the explorer opened on the guided tour
/// (docs/contract.md §15). The lessons use FILE's own weights where they
/// can (its size, its first weight) and the bundled samples for the tensors
/// a concept needs (a skewed activation, an all-positive norm, outlier channels).
struct TourCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tour",
        abstract: "A guided tour of quantization in the explorer: ten lessons on real tensors (PgDn / PgUp, 1…9 0, T leaves)."
    )

    @Argument(help: "A checkpoint whose weights the lessons use; the bundled samples alone when omitted.")
    var file: String?

    @Option(name: .long, help: "Start at this lesson (1…\(TourLessons.all.count)).")
    var lesson = 1

    @OptionGroup var terminal: TerminalOptions

    func validate() throws {
        guard (1...TourLessons.all.count).contains(lesson) else {
            throw ValidationError("--lesson must be 1…\(TourLessons.all.count), not \(lesson)")
        }
    }

    func run() throws {
        var files: [OpenFile] = []
        if let file { files.append(OpenFile(checkpoint: try Checkpoint.openInput(file))) }
        // The samples hold the tensors some lessons need; without them the lessons use FILE.
        if let samples = try? ExploreCommand.samples() { files += samples }
        guard !files.isEmpty else {
            throw UsageError("the bundled samples were not found next to the binary; give a FILE (or set QUANTSCOPE_SAMPLES)")
        }
        try ExploreCommand.launch(files: files, against: nil, noColor: terminal.noColor, ascii: terminal.ascii, trace: nil, tourLesson: lesson - 1)
    }
}
