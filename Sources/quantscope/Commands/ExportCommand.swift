import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope export`: one tensor decoded to F32, as a safetensors file.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one tensor, decoded to F32 (any stored dtype, GGUF blocks too), to a safetensors file."
    )

    @Argument(help: "The checkpoint file.")
    var file: String

    @Option(name: .long, help: "The tensor's name (optional when the file holds one tensor).")
    var tensor: String?

    @Option(name: .long, help: "The safetensors file to write.")
    var out: String

    func run() throws {
        let (checkpoint, info, decoded) = try TensorChoice.load(file: file, tensor: tensor)
        try SafetensorsWriter.write([.float32(info.name, shape: info.shape, decoded.values)],
                                    metadata: [("source", checkpoint.path), ("source_dtype", info.dtype)],
                                    to: out, protecting: checkpoint.inputPaths)
        print("wrote \(DisplayText.brief(out)): \(DisplayText.brief(info.name)) \(info.shape) F32 (from \(DisplayText.brief(info.dtype)))")
    }
}
