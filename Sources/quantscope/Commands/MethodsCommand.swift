import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope methods`: one layer quantized by round-to-nearest and by the
/// calibration-aware methods (GPTQ, AWQ, SmoothQuant), each judged by its
/// weight error and by its output error on held-out activations
/// (docs/contract.md §7, §16).
struct MethodsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methods",
        abstract: "Quantize one layer with RTN, GPTQ, AWQ and SmoothQuant; compare weight and output error on held-out activations.",
        discussion: """
        W is the tensor, [out, in] as a PyTorch Linear stores it; Y = X·Wᵀ. The methods fit on calibration
        activations and are judged on held-out ones: generated as 2·N seeded rows, the first N calibrating, the
        last N held out (correlated, the default: shared latent directions plus a few columns scaled ×20–50, as
        real hidden states are; outliers: independent columns with those outliers; gaussian), or FILE:TENSOR,
        a [tokens, in] tensor whose first half of rows calibrates and second half is held out.
        Methods: \(WeightMethod.spellings.joined(separator: ", ")) (default: all).
        """
    )

    @Argument(help: "The checkpoint holding the weight.")
    var file: String

    @Option(name: .long, help: "The weight tensor, 2-D [out, in] (optional when the file holds one tensor).")
    var tensor: String?

    @Option(name: .long, help: "An integer scheme: intB, intB-asym, uintB … (B = 2…8).")
    var scheme: String

    @Option(name: .long, help: "tensor, channel or group:G (default: group:128, or channel when a row is shorter).")
    var granularity: String?

    @OptionGroup var activationOptions: MethodActivationOptions

    @Option(name: .long, help: "Comma-separated methods to run, in order (default: all).")
    var methods: String?

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        let scheme = try Scheme(parsing: scheme)
        guard case .integer = scheme else {
            throw UsageError("methods quantize to integer schemes (intB, intB-asym, uintB …), not \(scheme)")
        }
        let chosen = try Self.parseMethods(methods)
        let (checkpoint, info, weight) = try TensorChoice.load(file: file, tensor: tensor)
        try Self.checkWeight(weight, info: info, checkpoint: checkpoint, command: "methods")
        let granularity = try Self.granularity(granularity, inputs: weight.shape[1])
        let activations = try activationOptions.make(k: weight.shape[1])
        let problem = try MethodActivationOptions.problem(weight, activations: activations, scheme: scheme, granularity: granularity)
        var rows: [MethodsReport.Row] = []
        for method in chosen {
            do throws(MethodError) {
                let (outcome, evaluation) = try Methods.evaluate(method, on: problem)
                rows.append(MethodsReport.Row(method: method.name, weight: evaluation.weight, output: evaluation.output,
                                              milliseconds: outcome.milliseconds, skipped: nil))
            } catch .notBuiltYet {
                rows.append(MethodsReport.Row(method: method.name, weight: .empty, output: .empty, milliseconds: 0, skipped: "not built yet"))
            } catch {
                throw TensorFileError.invalidTensor(path: checkpoint.filePath(of: info), tensor: info.name, reason: "\(method.name): \(error.description)")
            }
        }
        let report = MethodsReport(tensor: info.name, shape: weight.shape, scheme: scheme.description, granularity: granularity.description,
                                   activations: activations, rows: rows)
        print(json ? report.json.serialized() : report.table)
    }

    /// `--methods a,b,c`, or every method.
    static func parseMethods(_ text: String?) throws -> [WeightMethod] {
        guard let text else { return try WeightMethod.spellings.map { try WeightMethod(parsing: $0) } }
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw UsageError("--methods needs at least one of \(WeightMethod.spellings.joined(separator: ", "))") }
        return try names.map { name in
            do throws(MethodError) { return try WeightMethod(parsing: name) } catch { throw UsageError(error.description) }
        }
    }

    /// The methods' granularity: tensor, channel (axis 0) or group:G; group:128 by default.
    static func granularity(_ text: String?, inputs: Int) throws -> Granularity {
        guard let text else { return inputs > 128 ? .group(size: 128) : .channel(axis: 0) }
        let g = try Granularity(parsing: text)
        switch g {
        case .tensor, .channel(axis: 0), .group: return g
        default: throw UsageError("methods take granularity tensor, channel or group:G, not \(text)")
        }
    }

    /// A method needs a finite, non-empty 2-D weight: anything else is the file's problem.
    static func checkWeight(_ weight: Tensor, info: TensorInfo, checkpoint: Checkpoint, command: String) throws {
        guard weight.rank == 2, weight.shape[0] > 0, weight.shape[1] > 0 else {
            throw TensorFileError.invalidTensor(path: checkpoint.filePath(of: info), tensor: info.name,
                                                reason: "\(command) needs a 2-D weight [out, in] with no empty axis; this one has shape \(weight.shape)")
        }
        if let bad = weight.values.firstIndex(where: { !$0.isFinite }) {
            throw TensorFileError.invalidTensor(path: checkpoint.filePath(of: info), tensor: info.name,
                                                reason: "element \(bad) is \(weight.values[bad]); \(command) needs a finite weight")
        }
    }
}
