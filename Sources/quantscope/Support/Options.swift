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

    @Option(name: .long, help: "Keep this fraction of each group's range, in (0, 1]; the rest saturates (default 1).")
    var clip: Float?

    @Option(name: .long, help: ArgumentHelp("Choose the clip: minmax, percentile:P (of |x|, e.g. percentile:99.9) or mse (docs/contract.md §12).",
                                            valueName: "method"))
    var calibration: String?

    func validate() throws {
        if let clip { guard clip > 0 && clip <= 1 else { throw UsageError("--clip must be in (0, 1], got \(clip)") } }
        if calibration != nil && clip != nil {
            throw UsageError("--calibration and --clip both choose the clip; give one of them")
        }
    }

    /// The parsed `--calibration`, if given (a usage error for a bad spelling).
    func parsedCalibration() throws -> Calibration? {
        try calibration.map { text throws(QuantizationError) in try Calibration(parsing: text) }
    }

    /// The clip to quantize with: `--clip`, or what `--calibration` chose
    /// (docs/contract.md §12), with the calibration's result for the report.
    func chooseClip(_ tensor: Tensor, scheme: Scheme, granularity: Granularity?) throws -> (Float, CalibrationResult?) {
        guard let method = try parsedCalibration() else { return (clip ?? 1, nil) }
        let result = try Calibrator.calibrate(tensor, method: method, scheme: scheme, granularity: granularity)
        return (result.clip, result)
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

/// `FILE [--tensor NAME]` (docs/contract.md §7): the name may be left out
/// when the file holds exactly one tensor; with several it is a usage error
/// that says how many there are, and a file with none is a file problem.
enum TensorChoice {
    static func load(file: String, tensor: String?) throws -> (Checkpoint, TensorInfo, Tensor) {
        let checkpoint = try Checkpoint.openInput(file)
        let info = try choose(in: checkpoint, file: file, tensor: tensor)
        return (checkpoint, info, try checkpoint.load(info))
    }

    /// The named tensor, or the only one.
    /// - Throws: `TensorFileError` for a name the file lacks or a file with
    ///   no tensors; `UsageError` when the name is left out and there are several.
    static func choose(in checkpoint: Checkpoint, file: String, tensor: String?) throws -> TensorInfo {
        if let tensor { return try checkpoint.info(named: tensor) }
        switch checkpoint.tensors.count {
        case 0: throw TensorFileError.noTensors(path: checkpoint.path)
        case 1: return checkpoint.tensors[0]
        case let count:
            throw UsageError("\(file) holds \(count) tensors; choose one with --tensor NAME (`quantscope inspect \(file)` lists them)")
        }
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
