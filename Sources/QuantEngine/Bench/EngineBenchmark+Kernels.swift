import Foundation

/// The matmul kernels' speed: GEMV (one token) and GEMM (16 and 64 tokens)
/// against a 4096×4096 weight, every kernel next to the float32 kernel
/// timed in the same run (docs/contract.md §7 `kernels`).
///
/// What a time includes: quantizing the activations, per token (int8
/// symmetric for w8a8 and w4a8, Q8_0 for q4_0 and q8_0, E4M3 for fp8; w4a16
/// and f32 take the floats as they are), then the multiply, into an output
/// buffer allocated beforehand. The weights are quantized once, before any
/// timing, and the runs cycle through enough copies of them (more than
/// 64 MiB together, never fewer than two) that every multiply reads its
/// weights from main memory, as a model too big for the caches would.
extension EngineBenchmark {
    /// One kernel on one shape.
    public struct KernelResult: Sendable {
        /// `f32`, `w8a8`, `w4a16`, `w4a8`, `fp8`, `q4_0`, `q8_0`.
        public var kernel: String
        /// `gemv` (M = 1) or `gemm`.
        public var op: String
        public var m: Int
        public var n: Int
        public var k: Int
        /// Median milliseconds of one multiply (activation quantization included).
        public var milliseconds: Double
        /// 2·M·N·K / time / 1e9.
        public var gops: Double
        /// Bytes of one weight copy (codes, scales, zero-points, row sums).
        public var weightBytes: Int
        /// weightBytes / time / 1e9.
        public var weightGigabytesPerSecond: Double
        /// The kernel's time over the float32 kernel's for the same shape, timed
        /// alternately in the same run (median of the per-run ratios).
        public var ratioToF32: Double
        /// Weight copies cycled through.
        public var copies: Int

        /// The docs/contract.md §7 object: kernel, op, m, n, k, ms, gops, weight_gbps, ratio_to_f32.
        public var json: JSONValue {
            func r3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
            return .object([
                .init("kernel", .string(kernel)), .init("op", .string(op)),
                .init("m", .integer(Int64(m))), .init("n", .integer(Int64(n))), .init("k", .integer(Int64(k))),
                .init("ms", .number(r3(milliseconds))), .init("gops", .number(r3(gops))),
                .init("weight_gbps", .number(r3(weightGigabytesPerSecond))), .init("ratio_to_f32", .number(r3(ratioToF32))),
                .init("emulated", .bool(kernel == "fp8")),
            ])
        }
    }

    /// Every kernel, in report order.
    public static let kernelNames = ["f32", "w8a8", "w4a16", "w4a8", "fp8", "q4_0", "q8_0"]

    /// One line saying what the kernel times include, and which int8 inner
    /// loops ran (`int8_path`, see `Int8KernelPath`), for reports.
    public static let kernelNote = "times include quantizing the activations per token (int8 for w8a8/w4a8, Q8_0 for q4_0/q8_0, "
        + "E4M3 for fp8); weights are quantized once beforehand and cycled through copies totalling > 64 MiB, so every "
        + "multiply reads them from main memory; int8_path: \"\(Int8KernelPath.current.name)\" for w8a8 and w4a8 "
        + "(\(Int8KernelPath.disableVariable)=1 forces \(Int8KernelPath.baseline.name)); fp8* is \(MatmulKernel.emulationNote)"

    /// Times every kernel (or only `only`, and always f32) on N×K weights for
    /// each token count in `tokens` (1 = GEMV).
    ///
    /// `ratioToF32` is the median, over the runs, of the kernel's time over
    /// the float32 kernel's time in a run made right before it (the two
    /// alternate), so a machine that speeds up or slows down during the
    /// benchmark moves both sides of each ratio together.
    /// - Parameters:
    ///   - repeats: timed runs per case after one warm-up; medians are reported.
    ///   - progress: called with each kernel's name before it is timed.
    public static func kernels(n: Int = 4096, k: Int = 4096, tokens: [Int] = [1, 16, 64], repeats: Int = 11,
                               only: String? = nil, progress: (String) -> Void = { _ in }) -> [KernelResult] {
        let weights = gaussian(rows: n, columns: k, seed: 7).values
        let inputs = tokens.map { gaussian(rows: $0, columns: k, seed: 8 + UInt64($0)).values }
        var outputs = tokens.map { [Float](repeating: 0, count: $0 * n) }
        guard let f32 = BenchKernel("f32", weights: weights, n: n, k: k) else { return [] }
        var results: [KernelResult] = []
        for name in kernelNames where only == nil || name == only || name == "f32" {
            progress(name)
            guard let kernel = name == "f32" ? f32 : BenchKernel(name, weights: weights, n: n, k: k) else { continue }
            for (t, m) in tokens.enumerated() {
                var next = 0
                /// One timed multiply on the next weight copy.
                func time(_ b: BenchKernel) -> Double {
                    inputs[t].withUnsafeBufferPointer { x in
                        outputs[t].withUnsafeMutableBufferPointer { y in
                            let start = now()
                            b.run(next % b.copies, x, m, y)
                            return now() - start
                        }
                    }
                }
                var times: [Double] = [], ratios: [Double] = []
                for run in 0...max(1, repeats) {
                    let reference = name == "f32" ? nil : time(f32)
                    let ms = time(kernel)
                    next += 1
                    if run == 0 { continue }  // warm-up
                    times.append(ms)
                    ratios.append(reference.map { ms / $0 } ?? 1)
                }
                let ms = times.sorted()[times.count / 2], seconds = ms / 1000
                results.append(KernelResult(kernel: name, op: m == 1 ? "gemv" : "gemm", m: m, n: n, k: k, milliseconds: ms,
                                            gops: 2 * Double(m) * Double(n) * Double(k) / seconds / 1e9, weightBytes: kernel.bytes,
                                            weightGigabytesPerSecond: Double(kernel.bytes) / seconds / 1e9,
                                            ratioToF32: ratios.sorted()[ratios.count / 2], copies: kernel.copies))
            }
        }
        return only == nil || only == "f32" ? results : results.filter { $0.kernel == only }
    }
}

/// One kernel ready to time: its weight copies and how to run a multiply.
private struct BenchKernel {
    let bytes: Int
    let copies: Int
    let run: (Int, UnsafeBufferPointer<Float>, Int, UnsafeMutableBufferPointer<Float>) -> Void

    /// Copies whose total passes 64 MiB (and at least two).
    static func copies(_ bytes: Int) -> Int { max(2, (64 << 20) / max(1, bytes) + 1) }

    init?(_ name: String, weights w: [Float], n: Int, k: Int) {
        switch name {
        case "f32":
            let count = BenchKernel.copies(w.count * 4)
            let copies = (0..<count).map { _ in w.withUnsafeBufferPointer { Array($0) } }
            bytes = w.count * 4
            self.copies = count
            run = { i, x, m, y in copies[i].withUnsafeBufferPointer { Float32Matmul.multiply(x, $0, m: m, n: n, k: k, into: y) } }
        case "w8a8":
            let q = Int8ChannelWeights(quantizing: w, rows: n, columns: k)
            let copies = (0..<BenchKernel.copies(q.byteCount)).map { _ in Int8ChannelWeights(copying: q) }
            (bytes, self.copies) = (q.byteCount, copies.count)
            run = { i, x, m, y in W8A8Matmul.multiply(x, m: m, weights: copies[i], mode: .symmetric, into: y) }
        case "w4a16", "w4a8":
            let q = Int4GroupWeights(quantizing: w, rows: n, columns: k, groupSize: 128)
            let copies = (0..<BenchKernel.copies(q.byteCount)).map { _ in Int4GroupWeights(copying: q) }
            (bytes, self.copies) = (q.byteCount, copies.count)
            if name == "w4a16" {
                run = { i, x, m, y in W4A16Matmul.multiply(x, m: m, weights: copies[i], into: y) }
            } else {
                run = { i, x, m, y in W4A8Matmul.multiply(x, m: m, weights: copies[i], into: y) }
            }
        case "fp8":
            let q = FP8Weights(quantizing: w, rows: n, columns: k, granularity: .channel)
            let copies = (0..<BenchKernel.copies(q.byteCount)).map { _ in FP8Weights(copying: q) }
            (bytes, self.copies) = (q.byteCount, copies.count)
            run = { i, x, m, y in FP8Matmul.multiply(x, m: m, weights: copies[i], into: y) }
        case "q4_0", "q8_0":
            guard let q = try? GGUFBlockWeights(quantizing: w, rows: n, columns: k, type: name == "q4_0" ? .q4_0 : .q8_0) else { return nil }
            let copies = (0..<BenchKernel.copies(q.byteCount)).map { _ in GGUFBlockWeights(copying: q) }
            (bytes, self.copies) = (q.byteCount, copies.count)
            run = { i, x, m, y in GGUFMatmul.multiply(x, m: m, weights: copies[i], into: y) }
        default:
            return nil
        }
    }
}
