import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope bench`: engine throughput on this machine, as ratios to a
/// plain copy measured in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure engine throughput on this machine (use a release build).",
        discussion: "Quantize + dequantize + metrics of a 4096×4096 float32 tensor of seeded normal values, per scheme; medians, GB/s of input, and the ratio to a plain copy of the same 64 MiB timed in the same run."
    )

    @Flag(name: .long, help: "Print one JSON object (docs/contract.md §7).")
    var json = false

    @Option(name: .long, help: "Timed runs per case (the median is reported).")
    var repeats = 11

    @Option(name: .long, help: ArgumentHelp("Time only this scheme or block type (for profiling).", visibility: .hidden))
    var only: String?

    @Flag(name: .long, help: "Time only the GGUF block decoders (million values/s, one core and all cores).")
    var decoders = false

    @Flag(name: .long, help: "Time only the matmul kernels (GEMV and GEMM ×16, ×64 on 4096×4096).")
    var kernelsOnly = false

    @Flag(name: .long, help: "Skip the matmul kernels (the quantizer section only).")
    var noKernels = false

    @Flag(name: .long, help: "Time only GPTQ (int4 group:128, 4096×4096 weight, 2048 tokens) against a float32 matmul of that size.")
    var gptq = false

    /// `--decoders`, `--kernels-only` and `--no-kernels` each choose what
    /// runs; more than one contradict each other (docs/contract.md §7).
    func validate() throws {
        let chosen = [("--decoders", decoders), ("--kernels-only", kernelsOnly), ("--no-kernels", noKernels), ("--gptq", gptq)]
            .filter(\.1).map(\.0)
        guard chosen.count <= 1 else {
            throw UsageError("\(chosen.joined(separator: " and ")) contradict each other; give at most one of --decoders, --kernels-only, --no-kernels, --gptq")
        }
    }

    func run() throws {
        guard repeats >= 1 && repeats <= MatmulCommand.maxRepeats else {
            throw UsageError("--repeats must be between 1 and \(MatmulCommand.maxRepeats), got \(repeats)")
        }
        #if DEBUG
        FileHandle.standardError.write(Data("quantscope: note: this is a debug build; bench figures need `swift build -c release`\n".utf8))
        #endif
        if decoders {
            let results = EngineBenchmark.decoders(repeats: min(repeats, 5), only: only)
            print(json ? BenchCommand.json(results).serialized() : BenchCommand.table(results))
            return
        }
        if gptq {
            let result = try EngineBenchmark.gptq()
            if json {
                print(JSONValue.object([.init("machine", .string(EngineBenchmark.machineDescription())), .init("gptq", result.json)]).serialized())
            } else {
                print(BenchCommand.table(gptq: result))
            }
            return
        }
        if kernelsOnly {
            let kernels = EngineBenchmark.kernels(repeats: repeats, only: only)
            print(json ? BenchCommand.json(kernels: kernels).serialized() : BenchCommand.table(kernels: kernels))
            return
        }
        let report = EngineBenchmark.run(repeats: repeats, only: only) { name in
            if !json { FileHandle.standardError.write(Data("  timing \(name)…\r".utf8)) }
        }
        let kernels = noKernels || only != nil ? [] : EngineBenchmark.kernels(repeats: repeats)
        if json {
            var object = BenchCommand.json(report)
            if case .object(var members) = object, !kernels.isEmpty {
                members.append(.init("kernels", .array(kernels.map(\.json))))
                members.append(.init("kernel_note", .string(EngineBenchmark.kernelNote)))
                object = .object(members)
            }
            print(object.serialized())
        } else {
            print(BenchCommand.table(report))
            if !kernels.isEmpty { print("\n" + BenchCommand.table(kernels: kernels)) }
        }
    }

    static func json(_ r: EngineBenchmark.Report) -> JSONValue {
        .object([
            .init("machine", .string(r.machine)),
            .init("copy_ms", .number(round3(r.copyMilliseconds))),
            .init("results", .array(r.results.map { x in
                .object([
                    .init("scheme", .string(x.scheme)),
                    .init("granularity", .string(x.granularity)),
                    .init("elements", .integer(Int64(x.elements))),
                    .init("ms", .number(round3(x.milliseconds))),
                    .init("gbps", .number(round3(x.gigabytesPerSecond))),
                    .init("ratio_to_copy", .number(round3(x.ratioToCopy))),
                ])
            })),
        ])
    }

    static func table(_ r: EngineBenchmark.Report) -> String {
        var lines = ["machine   \(r.machine)", String(format: "copy      %.3f ms for 64 MiB (%.1f GB/s)", r.copyMilliseconds, 67.108864 / r.copyMilliseconds), ""]
        lines.append("scheme      granularity        ms     GB/s   × copy")
        for x in r.results {
            lines.append(x.scheme.padding(toLength: 12, withPad: " ", startingAt: 0) + x.granularity.padding(toLength: 14, withPad: " ", startingAt: 0)
                         + String(format: "%9.3f %8.2f %8.2f", x.milliseconds, x.gigabytesPerSecond, x.ratioToCopy))
        }
        lines.append("")
        lines.append("each: quantize + dequantize + all metrics, median of runs, 4096×4096 float32 N(0,1)")
        return lines.joined(separator: "\n")
    }

    static func json(_ results: [EngineBenchmark.DecoderResult]) -> JSONValue {
        .object([
            .init("machine", .string(EngineBenchmark.machineDescription())),
            .init("decoders", .array(results.map { r in
                .object([
                    .init("type", .string(r.type)),
                    .init("values", .integer(Int64(r.values))),
                    .init("mvalues_per_s_1_thread", .number(r.singleThread.rounded())),
                    .init("mvalues_per_s_all_threads", .number(r.allThreads.rounded())),
                ])
            })),
        ])
    }

    static func table(_ results: [EngineBenchmark.DecoderResult]) -> String {
        var lines = ["machine   \(EngineBenchmark.machineDescription())", "", "type       M values/s (1 thread)   (all threads)"]
        for r in results {
            lines.append(r.type.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%22.0f %15.0f", r.singleThread, r.allThreads))
        }
        lines.append("")
        lines.append("decode to float32 of 16M values (64 MiB out) of seeded random blocks, median")
        return lines.joined(separator: "\n")
    }

    static func json(kernels: [EngineBenchmark.KernelResult]) -> JSONValue {
        .object([
            .init("machine", .string(EngineBenchmark.machineDescription())),
            .init("kernel_note", .string(EngineBenchmark.kernelNote)),
            .init("kernels", .array(kernels.map(\.json))),
        ])
    }

    static func table(kernels: [EngineBenchmark.KernelResult]) -> String {
        var lines = ["kernel  op      m     n     k        ms     GOPS   weight GB/s   × f32"]
        for r in kernels {
            lines.append((r.kernel == "fp8" ? "fp8*" : r.kernel).padding(toLength: 8, withPad: " ", startingAt: 0) + r.op.padding(toLength: 5, withPad: " ", startingAt: 0)
                         + String(format: "%4d %5d %5d %9.3f %8.1f %13.2f %7.2f", r.m, r.n, r.k, r.milliseconds, r.gops,
                                  r.weightGigabytesPerSecond, r.ratioToF32))
        }
        lines.append("")
        lines.append(EngineBenchmark.kernelNote)
        return lines.joined(separator: "\n")
    }

    static func table(gptq r: EngineBenchmark.GPTQResult) -> String {
        [
            "machine   \(EngineBenchmark.machineDescription())", "",
            String(format: "gptq int4 group:128, %d×%d weight, %d tokens: %.0f ms (Hessian %.0f ms, inverse-Cholesky factor %.0f ms)",
                   r.rows, r.columns, r.tokens, r.milliseconds, r.hessianMilliseconds, r.factorMilliseconds),
            String(format: "float32 matmul %d×%d · (%d×%d)ᵀ: %.0f ms; gptq = %.1f× the matmul", r.tokens, r.columns, r.rows, r.columns,
                   r.matmulMilliseconds, r.ratioToMatmul),
            "", "docs/contract.md §16.3; tools/gptq_numpy.py times numpy on the same sizes",
        ].joined(separator: "\n")
    }

    static func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
}
