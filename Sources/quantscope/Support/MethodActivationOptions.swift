import ArgumentParser
import Foundation
import QuantEngine

/// `--activations`, `--tokens` and `--seed` of the commands that run a
/// weight method (`methods`, `quantize --method`; docs/contract.md §7):
/// where the calibration and held-out activations come from.
struct MethodActivationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("correlated (default: shared structure plus outlier channels), outliers (independent columns), gaussian, or FILE:TENSOR ([tokens, in]; its first half of rows calibrates, the second half is held out).",
                                            valueName: "activations"))
    var activations: String?

    @Option(name: .long, help: "Calibration tokens, and as many held out (default: 512 generated ones; from FILE:TENSOR at most 2·N of its rows).")
    var tokens: Int?

    @Option(name: .long, help: "Seed of the generated activations.")
    var seed: UInt64 = 42

    /// The most tokens `--tokens` takes.
    static let maxTokens = 65_536

    func validate() throws {
        if let tokens, tokens < 1 || tokens > Self.maxTokens {
            throw UsageError("--tokens must be between 1 and \(Self.maxTokens), got \(tokens)")
        }
    }

    /// The spelling of the source, for the report.
    var sourceName: String { activations ?? "correlated" }

    /// The calibration and held-out rows for a weight with `k` inputs.
    /// - Throws: `UsageError` for a bad spelling or a tensor whose last axis
    ///   is not `k`; `TensorFileError` when the file cannot be read.
    func make(k: Int) throws -> MethodActivations {
        let n = tokens ?? MethodActivations.defaultTokens
        if let kind = MethodActivations.Kind(rawValue: sourceName.lowercased()) {
            try MatmulCommand.checkSize(tokens: 2 * n, n: 1, k: k)
            return MethodActivations.synthetic(kind, tokens: n, features: k, seed: seed)
        }
        switch try ActivationSource(parsing: sourceName) {
        case .gaussian, .outliers:
            throw UsageError("unreachable: \(sourceName) is a generated kind")
        case .tensor(let file, let name):
            let checkpoint = try Checkpoint.openInput(file)
            let info = try checkpoint.info(named: name)
            guard info.shape.count >= 1, info.shape.last == k else {
                throw UsageError("activations \(file):\(name) have shape \(info.shape); their last axis must be the weight's input size \(k)")
            }
            let t = try checkpoint.load(info)
            let rows = t.count / k
            guard let a = MethodActivations.split(t.values, rows: rows, features: k, tokens: tokens, name: "\(file):\(name) \(t.shape)") else {
                throw UsageError("activations \(file):\(name) have \(rows) row\(rows == 1 ? "" : "s"); a method needs at least 2 (half calibrate, half held out)")
            }
            if let bad = (a.calibration + a.heldOut).firstIndex(where: { !$0.isFinite }) {
                throw TensorFileError.invalidTensor(path: checkpoint.filePath(of: info), tensor: name,
                                                    reason: "activation row \(bad / k) holds a NaN or Inf; methods need finite activations")
            }
            return a
        }
    }

    /// The layer problem: `weight` [out, in] with these activations.
    static func problem(_ weight: Tensor, activations a: MethodActivations, scheme: Scheme, granularity: Granularity) throws -> LayerProblem {
        do throws(MethodError) {
            return try LayerProblem(weight: weight,
                                    calibration: Tensor(shape: [a.calibrationTokens, a.features], values: a.calibration),
                                    test: Tensor(shape: [a.heldOutTokens, a.features], values: a.heldOut),
                                    scheme: scheme, granularity: granularity, activationSource: a.label)
        } catch {
            throw UsageError(error.description)
        }
    }
}
