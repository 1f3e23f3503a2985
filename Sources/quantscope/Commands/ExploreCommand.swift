import ArgumentParser
import QuantEngine

/// `quantscope [FILE]`: the interactive explorer.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explore", abstract: "Open a checkpoint in the interactive explorer (the default).")

    @Argument(help: "A checkpoint to open; the bundled samples when omitted.")
    var file: String?

    func run() throws {
        print(QuantScope.helpMessage())
    }
}
