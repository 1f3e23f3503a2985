import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope qat`: post-training quantization against quantization-aware
/// training on a small MLP trained here, seeded (docs/contract.md §13).
struct QATCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qat",
        abstract: "Train a small MLP, then compare PTQ with QAT (fake quantization, straight-through estimator) per bit width.",
        discussion: """
        The task: three interleaved spirals (900 training and 300 test points, seeded). The MLP
        2→64→64→3 trains in float with Adam, then each bit width quantizes its weights as symmetric
        intB per output channel (biases stay float). PTQ quantizes the trained weights as they are;
        QAT fine-tunes a copy from them with the weights fake-quantized in the forward pass and the
        gradient passed straight through to the float weights, then quantizes. Accuracy and loss
        are on the test split. The same seed gives the same numbers on every machine.
        """
    )

    @Option(name: .long, help: "Bit widths to compare, a comma list of 2…8 (default: 4,3,2).")
    var bits: String = "4,3,2"

    @Option(name: .long, help: "Seed of the task, the initial weights and the batches, 0…2^63−1 (default: 7).")
    var seed: UInt64 = QATConfiguration().seed

    @Option(name: .long, help: "QAT fine-tuning steps per bit width, 1…100000; float training takes 3× as many (default: 1000).")
    var steps: Int = QATConfiguration().qatSteps

    @Flag(name: .long, help: "Print one JSON object: {task, seed, float_accuracy, float_loss, float_steps, qat_steps, results: [{bits, ptq_accuracy, qat_accuracy, ptq_loss, qat_loss}], ms}.")
    var json = false

    static let maxSteps = 100_000

    func run() throws {
        var configuration = QATConfiguration()
        configuration.bits = try Self.parseBits(bits)
        // JSON writes the seed as a signed 64-bit integer.
        guard seed <= UInt64(Int64.max) else { throw UsageError("--seed must be between 0 and \(Int64.max), got \(seed)") }
        configuration.seed = seed
        guard (1...Self.maxSteps).contains(steps) else {
            throw UsageError("--steps must be between 1 and \(Self.maxSteps), got \(steps)")
        }
        configuration.qatSteps = steps
        configuration.floatSteps = 3 * steps
        let (report, ms) = try Clock.measure { try QATExperiment.run(configuration) }
        print(json ? Self.json(report, ms: ms).serialized() : Self.table(report, ms: ms))
    }

    /// "4,3,2" → [4, 3, 2]; each 2…8, no repeats.
    static func parseBits(_ text: String) throws -> [Int] {
        var list: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let word = item.trimmingCharacters(in: .whitespaces)
            guard let b = Int(word), (2...8).contains(b) else {
                throw UsageError("--bits takes a comma list of bit widths 2…8, got '\(word)'")
            }
            guard !list.contains(b) else { throw UsageError("--bits lists \(b) twice") }
            list.append(b)
        }
        return list
    }

    static func json(_ r: QATReport, ms: Double) -> JSONValue {
        .object([
            .init("task", .string(r.task)),
            .init("seed", .integer(Int64(clamping: r.configuration.seed))),
            .init("float_accuracy", .number(r.floatAccuracy)),
            .init("float_loss", .number(r.floatLoss)),
            .init("float_steps", .integer(Int64(r.configuration.floatSteps))),
            .init("qat_steps", .integer(Int64(r.configuration.qatSteps))),
            .init("results", .array(r.results.map { x in
                .object([
                    .init("bits", .integer(Int64(x.bits))),
                    .init("ptq_accuracy", .number(x.ptqAccuracy)),
                    .init("qat_accuracy", .number(x.qatAccuracy)),
                    .init("ptq_loss", .number(x.ptqLoss)),
                    .init("qat_loss", .number(x.qatLoss)),
                ])
            })),
            .init("ms", .number((ms * 10).rounded() / 10)),
        ])
    }

    static func table(_ r: QATReport, ms: Double) -> String {
        let c = r.configuration
        func percent(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
        func loss(_ v: Double) -> String { String(format: "%.3f", v) }
        func row(_ cells: [String]) -> String {
            cells.enumerated().map { i, s in
                i == 0 ? s.padding(toLength: 6, withPad: " ", startingAt: 0) : String(repeating: " ", count: max(0, 10 - s.count)) + s
            }.joined()
        }
        var lines = [
            "PTQ vs QAT on \(r.task) (seed \(c.seed)): MLP \(c.sizes.map(String.init).joined(separator: "→")), \(c.trainCount) train / \(c.testCount) test points",
            "float: \(c.floatSteps) Adam steps; QAT: \(c.qatSteps) steps per bit width from the float weights",
            "weights symmetric intB per output channel (channel:0), biases float; test split",
            "",
            row(["bits", "float", "PTQ", "QAT", "PTQ loss", "QAT loss"]),
        ]
        for x in r.results {
            lines.append(row(["int\(x.bits)", percent(r.floatAccuracy), percent(x.ptqAccuracy), percent(x.qatAccuracy),
                              loss(x.ptqLoss), loss(x.qatLoss)]))
        }
        lines.append("")
        lines.append("float loss \(loss(r.floatLoss)); took \(Int(ms.rounded())) ms")
        return lines.joined(separator: "\n")
    }
}
