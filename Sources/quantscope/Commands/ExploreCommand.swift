import ArgumentParser
import Foundation
import NcursesBackend
import QuantEngine
import QuantScopeUI

/// `quantscope [FILE]`: the interactive explorer.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Open a checkpoint in the interactive explorer (the default; no FILE opens the bundled samples)."
    )

    @Argument(help: "A checkpoint to open; the bundled samples when omitted.")
    var file: String?

    @OptionGroup var terminal: TerminalOptions

    @Option(name: .long, help: ArgumentHelp("An original checkpoint: the Model view (7) colours FILE's weights by their SQNR against it, as `quantscope diff` measures.", valueName: "ORIGINAL"))
    var against: String?

    @Option(name: .long, help: "Append one JSON line per key to FILE: milliseconds from the key to the frame showing it.")
    var trace: String?

    func run() throws {
        try ExploreCommand.launch(files: try openFiles(), against: against, noColor: terminal.noColor, ascii: terminal.ascii, trace: trace)
    }

    /// Opens the terminal and runs the explorer over `files` (the tour too, from `tourLesson`).
    static func launch(files: [OpenFile], against: String?, noColor: Bool, ascii: Bool, trace: String?, tourLesson: Int? = nil) throws {
        let original = try against.map { OpenFile(checkpoint: try Checkpoint.openInput($0)) }
        let color = !noColor && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let traceLog = try trace.map { path in try TraceLog(path: path) }
        let terminal: NcursesTerminal
        do {
            terminal = try NcursesTerminal(color: color, ascii: ascii)
        } catch {
            // Not a usage error: the same command works in a capable terminal.
            Main.fail(error.description, status: 1)
        }
        let theme = Theme.forColors(terminal.capabilities.colors)
        ExploreCommand.armCrashTestIfAsked()
        let state = AppState(files: files, width: terminal.width, height: terminal.height, against: original)
        ExplorerRunner(state: state, backend: terminal, theme: theme, trace: traceLog).run(tourLesson: tourLesson)
        terminal.stop()
    }

    /// For the end-to-end test that the terminal comes back after a crash:
    /// with `QUANTSCOPE_TEST_CRASH_WHEN=PATH` the process traps as soon as
    /// PATH exists (the test creates it once the first screen is up, so a
    /// slow machine cannot crash before that). Unset, it does nothing.
    static func armCrashTestIfAsked() {
        guard let path = ProcessInfo.processInfo.environment["QUANTSCOPE_TEST_CRASH_WHEN"], !path.isEmpty else { return }
        Thread.detachNewThread {
            while access(path, F_OK) != 0 { usleep(20_000) }
            preconditionFailure("crash requested by QUANTSCOPE_TEST_CRASH_WHEN")
        }
    }

    /// The checkpoint given, or every bundled sample.
    /// - Throws: `UsageError` when FILE is a word that names nothing (a
    ///   mistyped command, such as `quantscope inspct`).
    func openFiles() throws -> [OpenFile] {
        if let file {
            if ExploreCommand.isUnknownCommand(file) { throw UsageError(ExploreCommand.unknownCommandMessage(file)) }
            return [OpenFile(checkpoint: try Checkpoint.openInput(file))]
        }
        return try ExploreCommand.samples()
    }

    /// Every bundled sample, opened.
    static func samples() throws -> [OpenFile] {
        let paths = BundledSamples.files
        guard !paths.isEmpty else {
            throw UsageError("the bundled samples were not found next to the binary; give a FILE (or set QUANTSCOPE_SAMPLES)")
        }
        return try paths.map { OpenFile(checkpoint: try Checkpoint.openInput($0)) }
    }

    /// Whether `argument` reads as a command rather than a file: nothing by
    /// that name exists and it has neither a directory part nor an extension.
    static func isUnknownCommand(_ argument: String) -> Bool {
        let commands = QuantScope.configuration.subcommands.map { $0._commandName } + ["help"]
        guard !argument.isEmpty, !argument.hasPrefix("-"), !argument.contains("/"), !argument.contains("."),
              !commands.contains(argument) else { return false }
        var info = stat()
        return lstat(argument, &info) != 0
    }

    static func unknownCommandMessage(_ argument: String) -> String {
        let commands = QuantScope.configuration.subcommands.map { $0._commandName }.joined(separator: ", ")
        return "unknown command '\(argument)' (commands: \(commands); or give the path of a checkpoint)"
    }
}
