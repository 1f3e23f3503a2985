import QuantEngine

/// Computes an `Analysis`: the quantization itself, then the numbers the
/// views need from it. Pure apart from the clock; cancellable through the token.
public enum Analyzer {
    /// The first stage: quantize, and survey the result in one more pass
    /// (codes used, clipping, worst element) — what every frame needs.
    public static func analyze(_ request: AnalysisRequest, token: WorkToken? = nil,
                               recycling previous: consuming QuantizedTensor? = nil) throws(QuantizationError) -> Analysis {
        let start = Clock.milliseconds()
        let x = request.tensor.tensor
        // Calibration first (docs/contract.md §12): it chooses the clip the quantization uses.
        var clip = request.settings.clip
        var calibration: CalibrationResult?, refusal: String?
        if let method = request.settings.calibration {
            do throws(QuantizationError) {
                calibration = try Calibrator.calibrate(x, method: method, scheme: request.scheme, granularity: request.granularity, token: token)
                clip = calibration?.clip ?? 1
            } catch .calibrationNotSupported {
                refusal = "calibration: \(request.scheme) takes no clip (GGUF blocks fit their own scales)"
                clip = 1
            }
        }
        let q = try Quantizer.quantize(x, scheme: request.scheme, granularity: request.granularity,
                                       clip: clip, token: token, recycling: consume previous,
                                       keepingDequantized: x.count <= keepDequantizedLimit)
        if token?.isCancelled == true { throw .cancelled }
        let survey = q.survey(original: x.values)
        let summaries = GroupSummary.precompute(q, original: x.values, token: token)
        if token?.isCancelled == true { throw .cancelled }
        var analysis = Analysis(spelling: request.settings.spelling(rank: x.shape.count), quantized: q,
                                milliseconds: 0, codeUsage: survey.codeUsage,
                                usedCodes: survey.usedCodes, possibleCodes: q.possibleCodes,
                                clippedBelow: survey.clippedBelow, clippedAbove: survey.clippedAbove,
                                worstIndex: survey.worstIndex)
        analysis.groupSummaries = summaries
        analysis.calibration = calibration
        analysis.calibrationRefusal = refusal
        if let stored = request.tensor.stored as? GGUFStoredTensor, case .gguf(let block) = request.scheme,
           block.ggmlType == stored.type, let fresh = q.blockBytes,
           let identical = try? stored.identicalBlocks(fresh) {
            analysis.storedMatch = (identical, stored.blockCount)
        }
        analysis.milliseconds = Clock.milliseconds() - start
        return analysis
    }

    /// The Error view's pass: the error histogram, each row's error, and the
    /// comparisons with other granularities.
    public static func details(_ request: AnalysisRequest, of analysis: Analysis, token: WorkToken? = nil) throws(QuantizationError) -> Analysis.Details {
        let x = request.tensor.tensor, q = analysis.quantized
        // maxAbsError is NaN when some x̂ is not finite: then the range comes
        // from the finite errors, and the others are counted apart.
        var largest = q.metrics.maxAbsError
        if !q.metrics.isFinite {
            var finiteLargest: Float = 0
            x.values.withUnsafeBufferPointer { xs in
                q.forEachDequantizedChunk { start, y in
                    finiteLargest = max(finiteLargest, Histogram.largestFiniteDifference(UnsafeBufferPointer(rebasing: xs[start..<(start + y.count)]), y))
                }
            }
            largest = Double(finiteLargest)
        }
        let histogram = errorHistogram(x.values, q, range: Histogram.symmetricRange(largest))
        let rowError = q.rowMeanSquaredError(original: x.values, rows: request.tensor.rows)
        if token?.isCancelled == true { throw .cancelled }
        return Analysis.Details(errorHistogram: histogram, rowError: rowError, comparisons: try comparisons(request, clip: q.clip, token: token))
    }

    /// The second stage: the same scheme per tensor, per channel and per
    /// group (or, for schemes with fixed blocks, the scheme next to int at
    /// those granularities), for the Error view.
    /// - Parameter clip: the clip the analysis used (calibrated or set); nil: the settings'.
    public static func comparisons(_ request: AnalysisRequest, clip: Float? = nil, token: WorkToken? = nil) throws(QuantizationError) -> [Analysis.Comparison] {
        let x = request.tensor.tensor
        guard x.count <= comparisonElementLimit else { return [] }
        let rank = x.shape.count
        let group = request.settings.groupSize
        var cases: [(String, Scheme, Granularity)] = []
        let rows: [Granularity] = [.tensor, .channel(axis: 0), .group(size: group)]
        if request.settings.granularityIsFixed || request.scheme == .nf4 || request.scheme == .bnbFP4 {
            cases.append(("\(request.scheme) \(request.granularity)", request.scheme, request.granularity))
            let bits = request.scheme.codeBits
            let int = Scheme.integer(IntegerScheme(bits: max(2, min(8, bits)), mode: .symmetric))
            for g in rows { cases.append(("\(int) \(g)", int, g)) }
        } else {
            for g in rows where rank > 0 { cases.append(("\(request.scheme) \(g)", request.scheme, g)) }
        }
        var results: [Analysis.Comparison] = []
        var spare: QuantizedTensor?
        for (label, scheme, granularity) in cases {
            if token?.isCancelled == true { throw .cancelled }
            guard let q = try? Quantizer.quantize(x, scheme: scheme, granularity: granularity, clip: clip ?? request.settings.clip,
                                                  token: token, recycling: spare.take()) else {
                if token?.isCancelled == true { throw .cancelled }
                continue
            }
            results.append(Analysis.Comparison(label: label, metrics: q.metrics, rmseOverScale: q.rmseOverScale,
                                               rowError: q.rowMeanSquaredError(original: x.values, rows: request.tensor.rows)))
            spare = q
        }
        return results
    }

    /// Tensors up to this size (a 4096×4096 layer) keep x̂ next to the codes,
    /// which keeps every recompute's passes at memory speed; larger ones read
    /// it back from the codes when a view asks, so the explorer holds the
    /// tensor and one byte of code per element, not four more bytes of x̂
    /// (a 262144×640 embedding opens in 0.9 GB instead of 1.5 GB).
    public static let keepDequantizedLimit = 1 << 24

    /// Tensors larger than this (a 4096×4096 layer) get no comparisons: each
    /// holds another quantization (x̂ and codes, 1.25× the float32 size) next
    /// to the one shown, past the explorer's memory budget.
    public static let comparisonElementLimit = 1 << 24

    /// x̂ − x (docs/contract.md §6) binned over `range`, x̂ read back a piece at a time when the
    /// result does not keep it.
    static func errorHistogram(_ x: [Float], _ q: QuantizedTensor, range: ClosedRange<Float>) -> Histogram {
        x.withUnsafeBufferPointer { xs in
            if q.keepsDequantized {
                return q.dequantized.withUnsafeBufferPointer { ys in Histogram(errorsOf: ys, from: xs, bins: 256, range: range) }
            }
            var total: Histogram?
            q.forEachDequantizedChunk(of: 1 << 20) { start, y in
                let part = Histogram(errorsOf: y, from: UnsafeBufferPointer(rebasing: xs[start..<(start + y.count)]), bins: 256, range: range)
                if total == nil { total = part } else { total?.merge(part) }
            }
            return total ?? Histogram(errorsOf: xs, from: xs, bins: 256, range: range)
        }
    }
}

/// Milliseconds on the monotonic clock.
public enum Clock {
    public static func milliseconds() -> Double { EngineBenchmark.now() }
}
