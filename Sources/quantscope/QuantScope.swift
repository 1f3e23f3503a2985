import ArgumentParser
import QuantEngine

/// The `quantscope` command: the explorer by default, the CLI tools by name.
struct QuantScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantscope",
        abstract: "See what quantization does to real weights.",
        discussion: """
        `quantscope [FILE]` opens FILE (or the bundled samples) in the explorer.
        Files: .safetensors (and a sharded model's index .json or folder), .gguf, .npy, .npz.
        Exit status: 0 success, 1 a file problem, 2 a usage error.
        """,
        subcommands: [ExploreCommand.self, TourCommand.self, InspectCommand.self, StatsCommand.self, QuantizeCommand.self, ExportCommand.self, BlocksCommand.self, ScanCommand.self, SweepCommand.self, DiffCommand.self, RecipeCommand.self, RenderCommand.self,
                      BitsCommand.self, MatmulCommand.self, MethodsCommand.self, QATCommand.self, BenchCommand.self, SchemesCommand.self],
        defaultSubcommand: ExploreCommand.self
    )
}
