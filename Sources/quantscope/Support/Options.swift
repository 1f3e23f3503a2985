import ArgumentParser
import Foundation
import QuantEngine

/// Options shared by the commands that quantize a tensor.
struct QuantizeOptions: ParsableArguments {
    @Argument(help: "The checkpoint file.")
    var file: String

    @Option(name: .long, help: "The tensor's name (optional when the file holds one tensor).")
    var tensor: String?

    @Option(name: .long, help: ArgumentHelp("\(SchemeCatalog.compactSpellings) (`quantscope schemes` describes each).",
                                            valueName: "scheme"))
    var scheme: String

    @Option(name: .long, help: "tensor, channel[:AXIS], group:G or block:RxC (default: tensor; each scheme's rule and default: `quantscope schemes`).")
    var granularity: String?

    @Option(name: .long, help: "Keep this fraction of each group's range, in (0, 1]; the rest saturates.")
    var clip: Float = 1

    func validate() throws {
        guard clip > 0 && clip <= 1 else { throw UsageError("--clip must be in (0, 1], got \(clip)") }
    }

    /// The parsed scheme and granularity (usage errors thrown as `QuantizationError`).
    func parsed() throws -> (Scheme, Granularity?) {
        let scheme = try Scheme(parsing: scheme)
        let granularity = try granularity.map { text throws(QuantizationError) in try Granularity(parsing: text) }
        return (scheme, granularity)
    }

    /// Opens the file and decodes the tensor.
    func load() throws -> (Checkpoint, TensorInfo, Tensor) {
        try TensorChoice.load(file: file, tensor: tensor)
    }
}

/// `FILE --tensor NAME`, where the name may be left out when the file holds one tensor.
enum TensorChoice {
    static func load(file: String, tensor: String?) throws -> (Checkpoint, TensorInfo, Tensor) {
        let checkpoint = try Checkpoint.openInput(file)
        let info: TensorInfo
        if let tensor {
            info = try checkpoint.info(named: tensor)
        } else if checkpoint.tensors.count == 1 {
            info = checkpoint.tensors[0]
        } else {
            throw UsageError("\(file) holds \(checkpoint.tensors.count) tensors; choose one with --tensor (`quantscope inspect \(file)` lists them)")
        }
        return (checkpoint, info, try checkpoint.load(info))
    }
}

/// Wall-clock milliseconds (the engine's monotonic clock).
enum Clock {
    static func now() -> Double { EngineBenchmark.now() }

    static func measure<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = now()
        let result = try body()
        return (result, now() - start)
    }
}
