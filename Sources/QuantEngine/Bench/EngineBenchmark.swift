import Foundation

/// Times the quantizers on a 4096×4096 tensor of seeded normal values, and a
/// plain copy of the same 64 MiB in the same run, so results read as ratios
/// that survive a shared, drifting machine.
public enum EngineBenchmark {
    /// One scheme's timing.
    public struct Result: Sendable {
        public var scheme: String
        public var granularity: String
        public var elements: Int
        /// Median milliseconds for quantize + dequantize + all metrics.
        public var milliseconds: Double
        /// Input bytes per second / 1e9.
        public var gigabytesPerSecond: Double
        /// `milliseconds` over the copy's median.
        public var ratioToCopy: Double
    }

    /// One block type's decode speed.
    public struct DecoderResult: Sendable {
        public var type: String
        public var values: Int
        /// Million values per second on one core, and split over every core.
        public var singleThread: Double
        public var allThreads: Double
    }

    /// Decode speed of every GGML block type with a decoder: 16M values each
    /// (64 MiB of output, larger than the caches).
    public static func decoders(values: Int = 1 << 24, repeats: Int = 5, only: String? = nil) -> [DecoderResult] {
        GGMLType.all.filter { GGMLBlockDecoding.supports($0) && $0.blockSize > 1 && (only == nil || $0.name == only) }.map { type in
            let blocks = values / type.blockSize
            let count = blocks * type.blockSize
            let one = GGMLBlockDecoding.benchmark(type: type, blocks: blocks, repeats: repeats, parallel: false)
            let all = GGMLBlockDecoding.benchmark(type: type, blocks: blocks, repeats: repeats, parallel: true)
            return DecoderResult(type: type.name, values: count, singleThread: Double(count) / one / 1000,
                                 allThreads: Double(count) / all / 1000)
        }
    }

    public struct Report: Sendable {
        public var machine: String
        public var copyMilliseconds: Double
        public var results: [Result]
    }

    /// The schemes the issue asks for, with their granularities.
    public static let cases: [(scheme: String, granularity: String?)] = [
        ("int8", "tensor"), ("int8-asym", "channel:0"), ("int4", "group:128"),
        ("fp8-e4m3", "channel:0"), ("nf4", nil), ("mxfp4", nil),
    ]

    /// Runs every case `repeats` times (after one warm-up) and reports medians.
    public static func run(rows: Int = 4096, columns: Int = 4096, repeats: Int = 11, only: String? = nil,
                           progress: (String) -> Void = { _ in }) -> Report {
        let tensor = gaussian(rows: rows, columns: columns, seed: 42)
        let bytes = tensor.count * MemoryLayout<Float>.size
        let copy = median(repeats) { copyOnce(tensor.values) }
        var results: [Result] = []
        for c in cases where only == nil || c.scheme == only {
            progress(c.scheme)
            let scheme = (try? Scheme(parsing: c.scheme)) ?? .integer(IntegerScheme(bits: 8, mode: .symmetric))
            let granularity = c.granularity.flatMap { try? Granularity(parsing: $0) }
            var previous: QuantizedTensor? = try? Quantizer.quantize(tensor, scheme: scheme, granularity: granularity)
            let ms = median(repeats) {
                let start = now()
                previous = try? Quantizer.quantize(tensor, scheme: scheme, granularity: granularity, recycling: previous.take())
                return now() - start
            }
            let used = previous?.granularity.description ?? c.granularity ?? ""
            results.append(Result(scheme: c.scheme, granularity: used, elements: tensor.count, milliseconds: ms,
                                  gigabytesPerSecond: Double(bytes) / (ms / 1000) / 1e9, ratioToCopy: ms / copy))
        }
        return Report(machine: machineDescription(), copyMilliseconds: copy, results: results)
    }

    /// A row-major tensor of standard normal values from a seeded generator.
    public static func gaussian(rows: Int, columns: Int, seed: UInt64) -> Tensor {
        var rng = SplitMix64(seed: seed)
        var values = [Float](repeating: 0, count: rows * columns)
        var i = 0
        while i < values.count {
            // Box–Muller, two values per pair of uniforms.
            let u1 = max(Double(rng.next() >> 11) * 0x1p-53, 1e-300), u2 = Double(rng.next() >> 11) * 0x1p-53
            let r = (-2 * log(u1)).squareRoot()
            values[i] = Float(r * cos(2 * .pi * u2))
            if i + 1 < values.count { values[i + 1] = Float(r * sin(2 * .pi * u2)) }
            i += 2
        }
        return Tensor(shape: [rows, columns], values: values)
    }

    /// One timed memcpy of `values` into a buffer that is already paged in.
    private static func copyOnce(_ values: [Float]) -> Double {
        CopyTarget.shared.ensure(count: values.count)
        return values.withUnsafeBytes { source in
            let start = now()
            if let destination = CopyTarget.shared.buffer.baseAddress, let from = source.baseAddress {
                memcpy(destination, from, source.count)
            }
            return now() - start
        }
    }

    /// Milliseconds on the monotonic clock.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
    }

    /// The median of `repeats` timings after one warm-up call.
    public static func median(_ repeats: Int, _ body: () -> Double) -> Double {
        _ = body()
        let times = (0..<max(1, repeats)).map { _ in body() }.sorted()
        return times[times.count / 2]
    }

    /// "AMD EPYC …, 2 threads".
    public static func machineDescription() -> String {
        var model = "unknown CPU"
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            model = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return "\(model), \(Parallel.workerCount) threads"
    }
}

/// The destination of the benchmark's copies, touched once so the copy
/// measures memory bandwidth and not page faults.
private final class CopyTarget: @unchecked Sendable {
    static let shared = CopyTarget()
    var buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    func ensure(count: Int) {
        let bytes = count * MemoryLayout<Float>.size
        guard buffer.count != bytes else { return }
        buffer.deallocate()
        buffer = .allocate(byteCount: bytes, alignment: 64)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
    }
}

/// A tiny seeded generator (SplitMix64) so every run sees the same values.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
