import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope blocks`: a stored-quantized tensor's blocks (GGUF) or groups
/// (GPTQ, AWQ, compressed-tensors, bitsandbytes, FP8) one by one, as the
/// file stores them (docs/contract.md §7, §8).
struct BlocksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blocks",
        abstract: "Show a quantized tensor's stored blocks or groups: parameters, codes, raw bytes and decoded values."
    )

    @Argument(help: "The checkpoint file (or a pre-quantized model's folder).")
    var file: String

    @Option(name: .long, help: "The tensor's name (optional when the file holds one tensor).")
    var tensor: String?

    @Option(name: .long, help: "The first block to show (0-based).")
    var first: Int = 0

    @Option(name: .long, help: "How many blocks to show, or `all`.")
    var count: String = "1"

    @Flag(name: .long, help: "Print one JSON object (docs/contract.md §7).")
    var json = false

    func validate() throws {
        guard first >= 0 else { throw UsageError("--first must be 0 or more, got \(first)") }
        guard count == "all" || (Int(count).map { $0 >= 1 } ?? false) else {
            throw UsageError("--count must be a positive number or `all`, got '\(DisplayText.brief(count))'")
        }
    }

    func run() throws {
        let checkpoint = try Checkpoint.openInput(file)
        let info = try TensorChoice.choose(in: checkpoint, file: file, tensor: tensor)
        guard let stored = try checkpoint.storedQuantization(for: info) else {
            throw TensorFileError.invalidTensor(
                path: checkpoint.filePath(of: info), tensor: info.name,
                reason: "is stored as plain \(info.dtype), not in quantized blocks (`quantscope export` decodes it)")
        }
        guard first < stored.blockCount || (stored.blockCount == 0 && first == 0) else {
            throw UsageError("--first \(first) is past the last block: '\(DisplayText.brief(info.name))' has \(stored.blockCount) (0…\(stored.blockCount - 1))")
        }
        let last = count == "all" ? stored.blockCount : min(stored.blockCount, first + (Int(count) ?? 1))
        var blocks = [StoredBlock]()
        for index in first..<last { blocks.append(try stored.block(index)) }
        print(json ? BlocksReport.json(stored, blocks).serialized() : BlocksReport.text(stored, blocks))
    }
}
