import ArgumentParser
import Foundation
import QuantEngine

/// Options shared by the commands that quantize a tensor.
struct QuantizeOptions: ParsableArguments {
    @Argument(help: "The checkpoint file.")
    var file: String

    @Option(name: .long, help: "The tensor's name (optional when the file holds one tensor).")
    var tensor: String?

    @Option(name: .long, help: "int2…int8, int4-asym, uint8, fp8-e4m3, fp8-e5m2, fp6-e2m3, fp4-e2m1, nf4, fp4, mxfp4, mxfp6, mxfp8, q4_0, q4_1, q5_0, q5_1, q8_0.")
    var scheme: String

    @Option(name: .long, help: "tensor, channel[:AXIS], group:G or block:RxC (default: tensor; the block size for nf4/fp4/MX/GGUF).")
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
