import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope matmul`: multiply activations by one weight matrix with a
/// quantized kernel and with float32, and report how far apart the two
/// products are and how long each took.
struct MatmulCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matmul",
        abstract: "Multiply activations by a weight with a quantized kernel; report the error against float32 and the time.",
        discussion: """
        Y = X·Wᵀ with W the tensor ([out, in], as a PyTorch Linear stores it) and X [tokens, in].
        Schemes: w8a8 (int8 weights per channel, int8 activations per token, symmetric), w8a8-asym
        (activations asymmetric, with a zero-point), w4a16 (int4 weights in groups along K, float
        activations), w4a8 (the same weights, int8 activations), fp8 (E4M3 weights per channel and
        activations per token; a8w8-fp8 is the same kernel under the seed's name "A8W8", and its
        times are emulated on CPU, with no FP8 hardware), q4_0 and q8_0 (GGUF blocks, activations in Q8_0, as llama.cpp does).
        Activations: gaussian (seeded N(0,1)), outliers (gaussian with a few feature columns scaled
        ×20–50, as LLM activations have), or FILE:TENSOR (a tensor whose last axis is the weight's
        input size; its rows are the tokens). Kernel times include quantizing the activations.
        """
    )

    @Argument(help: "The checkpoint holding the weight.")
    var file: String

    @Option(name: .long, help: "The weight tensor, 2-D [out, in] (optional when the file holds one tensor).")
    var tensor: String?

    @Option(name: .long, help: "w8a8 (int8), w8a8-asym, w4a16, w4a8, fp8 (= a8w8-fp8, the seed's A8W8), q4_0 or q8_0.")
    var scheme: String

    @Option(name: .long, help: "Tokens (rows of X): generated ones, or the first N rows of FILE:TENSOR (default: 16, or all its rows).")
    var tokens: Int?

    @Option(name: .long, help: "gaussian, outliers, or FILE:TENSOR.")
    var activations: String = "gaussian"

    @Option(name: .long, help: "Group size along K for w4a16 and w4a8: a multiple of 32, at most the row rounded up to 32 (default: 128, or the whole row when it is shorter).")
    var groupSize: Int?

    @Option(name: .long, help: "Seed of the generated activations.")
    var seed: UInt64 = 42

    @Option(name: .long, help: ArgumentHelp("Timed runs of each kernel (the median is reported).", visibility: .hidden))
    var repeats: Int = 5

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    /// The most tokens `--tokens` takes (docs/contract.md §7).
    static let maxTokens = 65_536
    /// The most values one operand or product may hold (1 GiB of float32).
    static let maxValues = 1 << 28
    /// The most timed runs `--repeats` takes.
    static let maxRepeats = 10_000
    /// `--group-size` when none is given; a shorter row is one group, as
    /// `group:G` longer than the row is (docs/contract.md §9).
    static let defaultGroupSize = 128

    func run() throws {
        if let groupSize, groupSize <= 0 || groupSize % 32 != 0 {
            throw UsageError("--group-size must be a positive multiple of 32, got \(groupSize)")
        }
        guard MatmulKernel(parsing: scheme) != nil else {
            throw Self.unknownScheme(scheme)
        }
        guard tokens.map({ $0 >= 1 && $0 <= Self.maxTokens }) ?? true else {
            throw UsageError("--tokens must be between 1 and \(Self.maxTokens), got \(tokens ?? 0)")
        }
        guard repeats >= 1 && repeats <= Self.maxRepeats else { throw UsageError("--repeats must be between 1 and \(Self.maxRepeats), got \(repeats)") }
        let source = try ActivationSource(parsing: activations)

        let (checkpoint, info, weight) = try TensorChoice.load(file: file, tensor: tensor)
        guard weight.rank == 2, weight.shape[0] > 0, weight.shape[1] > 0 else {
            throw TensorFileError.invalidTensor(path: checkpoint.filePath(of: info), tensor: info.name,
                                                reason: "matmul needs a 2-D weight [out, in] with no empty axis; this one has shape \(weight.shape)")
        }
        let (n, k) = (weight.shape[0], weight.shape[1])
        let paddedK = (k + 31) / 32 * 32
        let group = groupSize ?? min(Self.defaultGroupSize, paddedK)
        guard let kernel = MatmulKernel(parsing: scheme, groupSize: group) else {
            throw Self.unknownScheme(scheme)
        }
        let grouped: Bool
        switch kernel {
        case .w4a16, .w4a8: grouped = true
        default: grouped = false
        }
        guard !grouped || group <= paddedK else {
            throw UsageError("--group-size \(group) is longer than the weight's rows (\(k) inputs); use at most \(paddedK)")
        }
        try Self.checkSize(tokens: tokens ?? 16, n: n, k: k)
        let (x, m, described) = try source.make(k: k, tokens: tokens, seed: seed)
        try Self.checkSize(tokens: m, n: n, k: k)

        let prepared = try kernel.prepare(weight.values, n: n, k: k)
        var reference = [Float](repeating: 0, count: m * n)
        var quantized = [Float](repeating: 0, count: m * n)
        let f32 = time {
            x.withUnsafeBufferPointer { xb in
                weight.values.withUnsafeBufferPointer { wb in
                    reference.withUnsafeMutableBufferPointer { Float32Matmul.multiply(xb, wb, m: m, n: n, k: k, into: $0) }
                }
            }
        }
        let ms = time {
            x.withUnsafeBufferPointer { xb in quantized.withUnsafeMutableBufferPointer { prepared(xb, m, $0) } }
        }
        let metrics = reference.withUnsafeBufferPointer { r in quantized.withUnsafeBufferPointer { ErrorMetrics.compare(r, $0) } }
        let report = MatmulReport(tensor: info.name, dtype: info.dtype, kernel: kernel, activations: described, m: m, n: n, k: k,
                                  metrics: metrics, kernelMilliseconds: ms, f32Milliseconds: f32, repeats: repeats)
        print(json ? report.json.serialized() : report.table)
    }

    static func unknownScheme(_ text: String) -> UsageError {
        UsageError("unknown matmul scheme '\(text)' (use w8a8, w8a8-asym, w4a16, w4a8, fp8 or a8w8-fp8, q4_0 or q8_0)")
    }

    /// Refuses a product whose activations or output would not fit in
    /// `maxValues` values, before anything is allocated.
    static func checkSize(tokens m: Int, n: Int, k: Int) throws {
        let (input, o1) = m.multipliedReportingOverflow(by: k)
        let (output, o2) = m.multipliedReportingOverflow(by: n)
        guard !o1, !o2, input <= maxValues, output <= maxValues else {
            throw UsageError("--tokens \(m) with a [\(n), \(k)] weight needs more than \(Numbers.grouped(maxValues)) values per operand; use fewer tokens")
        }
    }

    /// The median of `repeats` timed runs after one warm-up.
    private func time(_ body: () -> Void) -> Double {
        body()
        let times = (0..<repeats).map { _ -> Double in
            let start = Clock.now()
            body()
            return Clock.now() - start
        }.sorted()
        return times[times.count / 2]
    }
}

/// Where the activations come from.
enum ActivationSource {
    case gaussian, outliers
    case tensor(file: String, name: String)

    init(parsing text: String) throws {
        switch text.lowercased() {
        case "gaussian": self = .gaussian
        case "outliers": self = .outliers
        default:
            // FILE:TENSOR; a path may itself hold ':', so take the first split whose file exists.
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 2 else {
                throw UsageError("unknown activations '\(text)' (use gaussian, outliers or FILE:TENSOR)")
            }
            var choice = (String(parts[0]), parts[1...].joined(separator: ":"))
            for cut in 1..<parts.count {
                let path = parts[..<cut].joined(separator: ":")
                if FileManager.default.fileExists(atPath: path) {
                    choice = (path, parts[cut...].joined(separator: ":"))
                    break
                }
            }
            guard !choice.0.isEmpty, !choice.1.isEmpty else {
                throw UsageError("activations '\(text)' should be FILE:TENSOR with both parts given")
            }
            self = .tensor(file: choice.0, name: choice.1)
        }
    }

    /// M×K row-major activations, M, and a description for the report.
    func make(k: Int, tokens: Int?, seed: UInt64) throws -> ([Float], Int, String) {
        switch self {
        case .gaussian:
            let a = SyntheticActivations.gaussian(tokens: tokens ?? 16, features: k, seed: seed)
            return (a.values, a.tokens, a.description)
        case .outliers:
            let a = SyntheticActivations.outliers(tokens: tokens ?? 16, features: k, seed: seed)
            return (a.values, a.tokens, a.description)
        case .tensor(let file, let name):
            let t = try Checkpoint.openInput(file).load(named: name)
            guard t.rank >= 1, t.shape.last == k else {
                throw UsageError("activations \(file):\(name) have shape \(t.shape); their last axis must be the weight's input size \(k)")
            }
            let rows = t.count / k
            guard rows > 0 else { throw UsageError("activations \(file):\(name) are empty") }
            let m = min(rows, tokens ?? rows)
            return (Array(t.values[0..<(m * k)]), m, "\(file):\(name) \(t.shape), first \(m) row\(m == 1 ? "" : "s")")
        }
    }
}

/// The two renderings of a matmul comparison.
struct MatmulReport {
    let tensor: String
    let dtype: String
    let kernel: MatmulKernel
    let activations: String
    let m: Int, n: Int, k: Int
    let metrics: ErrorMetrics
    let kernelMilliseconds: Double
    let f32Milliseconds: Double
    let repeats: Int

    /// tensor, scheme, tokens, m, n, k, nonfinite, nonfinite_output, sqnr_db,
    /// max_abs_err, cosine (null figures when the output is not finite), kernel_ms, f32_ms.
    var json: JSONValue {
        func r4(_ v: Double) -> Double { (v * 10_000).rounded() / 10_000 }
        return .object([
            .init("tensor", .string(tensor)),
            .init("scheme", .string(kernel.name)),
            .init("tokens", .integer(Int64(m))),
            .init("m", .integer(Int64(m))),
            .init("n", .integer(Int64(n))),
            .init("k", .integer(Int64(k))),
            .init("nonfinite", .integer(Int64(metrics.nonfinite))),
            .init("nonfinite_output", .integer(Int64(metrics.nonfiniteOutput))),
            .init("sqnr_db", MetricsText.json(metrics.sqnrDecibels, metrics)),
            .init("max_abs_err", MetricsText.json(metrics.maxAbsError, metrics)),
            .init("cosine", .optional(metrics.cosine)),
            .init("kernel_ms", .number(r4(kernelMilliseconds))),
            .init("emulated", .bool(kernel.isEmulated)),
            .init("f32_ms", .number(r4(f32Milliseconds))),
        ])
    }

    var table: String {
        var rows: [(String, String)] = [
            ("weight", "\(DisplayText.brief(tensor))  [\(n), \(k)]  \(DisplayText.brief(dtype))"),
            ("activations", "\(m) token\(m == 1 ? "" : "s") × \(k): \(DisplayText.brief(activations, limit: 2 * DisplayText.defaultLimit))"),
            ("scheme", "\(kernel.name): \(kernel.summary)"),
            ("", kernel.seedNote ?? ""),
            ("product", "Y = X·Wᵀ  [\(m), \(n)]   (\(m == 1 ? "GEMV" : "GEMM") m \(m), n \(n), k \(k))"),
            ("SQNR", MetricsText.sqnr(metrics, what: "output", exact: "identical to float32", against: " against float32")),
            ("max |error|", MetricsText.figure(metrics.maxAbsError, metrics)),
            ("cosine", MetricsText.cosine(metrics)),
            ("time", "\(kernel.name) " + String(format: "%.3f ms   f32 %.3f ms   (× %.2f; median of %d, activation quantization included)",
                                                  kernelMilliseconds, f32Milliseconds, kernelMilliseconds / max(f32Milliseconds, 1e-9), repeats)),
        ]
        rows.removeAll { $0.0.isEmpty && $0.1.isEmpty }
        if kernel.isEmulated { rows.append(("", "\(kernel.name) time: \(MatmulKernel.emulationNote)")) }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n")
    }
}
