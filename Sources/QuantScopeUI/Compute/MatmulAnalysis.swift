import QuantEngine

/// The Matmul view's numbers for the open weight: every kernel's product
/// against float32, its error, its time, and the int8 operands behind the
/// W8A8 step-by-step.
public struct MatmulAnalysis: Sendable {
    /// One kernel's result on this layer.
    public struct KernelResult: Sendable {
        public var kernel: MatmulKernel
        public var metrics: ErrorMetrics
        /// Output errors y − y_f32 over a range shared by every kernel.
        public var errorHistogram: Histogram
        public var milliseconds: Double
    }

    public var activationsLabel: String
    public var tokens: Int
    public var n: Int
    public var k: Int
    public var weights8: Int8ChannelWeights
    public var activations8: Int8Activations
    /// Y = X·Wᵀ in float32, [tokens, n].
    public var reference: [Float]
    public var f32Milliseconds: Double
    public var results: [KernelResult]
}

/// Where the Matmul view's activations come from; `t` steps through them.
public enum ActivationChoice: String, CaseIterable, Sendable {
    case gaussian, outliers, tensor

    public var next: ActivationChoice {
        let all = ActivationChoice.allCases
        return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
    }
}

/// What to multiply: the open weight and the activations choice.
public struct MatmulRequest: Sendable {
    public var weight: LoadedTensor
    public var choice: ActivationChoice
    /// Another open tensor whose last axis is K, used as activations for `.tensor`.
    public var activationRef: TensorRef?
    /// Rows of that tensor, filled in by the worker that decodes it.
    public var activationTensor: (name: String, values: [Float], rows: Int)?
    public var tokens = 8
}

/// Runs every kernel on the open weight (off the UI thread).
public enum MatmulAnalyzer {
    public static func analyze(_ request: MatmulRequest, token: WorkToken? = nil) throws(QuantizationError) -> MatmulAnalysis {
        let w = request.weight.tensor
        let n = request.weight.rows, k = request.weight.columns
        var x: [Float], m: Int, label: String
        switch request.choice {
        case .gaussian:
            let a = SyntheticActivations.gaussian(tokens: request.tokens, features: k, seed: 42)
            (x, m, label) = (a.values, a.tokens, a.description)
        case .outliers:
            let a = SyntheticActivations.outliers(tokens: request.tokens, features: k, seed: 42)
            (x, m, label) = (a.values, a.tokens, a.description)
        case .tensor:
            if let t = request.activationTensor, t.rows > 0 {
                m = min(request.tokens, t.rows)
                x = Array(t.values[0..<(m * k)])
                label = "\(t.name), first \(m) rows"
            } else {
                let a = SyntheticActivations.gaussian(tokens: request.tokens, features: k, seed: 42)
                (x, m, label) = (a.values, a.tokens, "no open tensor has \(k) features; gaussian instead")
            }
        }
        var reference = [Float](repeating: 0, count: m * n)
        let f32 = time {
            x.withUnsafeBufferPointer { xb in
                w.values.withUnsafeBufferPointer { wb in
                    reference.withUnsafeMutableBufferPointer { Float32Matmul.multiply(xb, wb, m: m, n: n, k: k, into: $0) }
                }
            }
        }
        var outputs: [(MatmulKernel, [Float], Double)] = []
        for kernel in MatmulKernel.allCases {
            if token?.isCancelled == true { throw .cancelled }
            guard let multiply = try? kernel.prepare(w.values, n: n, k: k) else { continue }
            var y = [Float](repeating: 0, count: m * n)
            let ms = time { x.withUnsafeBufferPointer { xb in y.withUnsafeMutableBufferPointer { multiply(xb, m, $0) } } }
            outputs.append((kernel, y, ms))
        }
        // One range for every kernel, from the finite errors only: a q4_0
        // weight whose Float16 d overflowed gives ±Inf/NaN outputs
        // (docs/contract.md §4), which the histograms count apart.
        var largest: Float = 0
        for (_, y, _) in outputs {
            largest = max(largest, reference.withUnsafeBufferPointer { r in y.withUnsafeBufferPointer { Histogram.largestFiniteDifference(r, $0) } })
        }
        let range = Histogram.symmetricRange(Double(largest))
        let results = outputs.map { kernel, y, ms in
            reference.withUnsafeBufferPointer { r in
                y.withUnsafeBufferPointer { q in
                    MatmulAnalysis.KernelResult(kernel: kernel, metrics: ErrorMetrics.compare(r, q),
                                                errorHistogram: Histogram(q, minus: r, bins: 64, range: range), milliseconds: ms)
                }
            }
        }
        return MatmulAnalysis(activationsLabel: label, tokens: m, n: n, k: k,
                              weights8: Int8ChannelWeights(quantizing: w.values, rows: n, columns: k),
                              activations8: Int8Activations(quantizing: x, rows: m, columns: k, mode: .symmetric),
                              reference: reference, f32Milliseconds: f32, results: results)
    }

    /// The median of three timed runs after a warm-up.
    static func time(_ body: () -> Void) -> Double {
        body()
        let times = (0..<3).map { _ -> Double in
            let start = Clock.milliseconds()
            body()
            return Clock.milliseconds() - start
        }.sorted()
        return times[1]
    }
}
