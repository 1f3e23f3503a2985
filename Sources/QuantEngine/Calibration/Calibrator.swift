import Foundation

/// Chooses the clip fraction by min-max, a percentile of |x|, or the
/// smallest quantization MSE (docs/contract.md §12).
///
/// Every point of the curve is the real quantizer's MSE
/// (`Quantizer.quantize` at the scheme and granularity in use, all cores),
/// over the whole tensor — no subsampling — so the chosen clip's MSE is the
/// one `stats --clip` prints. The search evaluates at most
/// `coarseGrid.count + 3 + 12` clips.
public enum Calibrator {
    /// The percentile marked on the curve when the method is not a percentile.
    public static let markedPercentile = 99.99

    /// The smallest clip used: a percentile of 0 (more than P % zeros) would
    /// otherwise ask for no range at all.
    public static let minimumClip: Float = 1.0 / 1_048_576

    /// Level 1: 2^(−k/2) for k = 0…28, from 1 down to 2^−14 ≈ 6.1e−5
    /// (heavy tails can want a clip of 1/1000: a Student-t's max grows as √n).
    public static let coarseGrid: [Float] = (0...28).map { Float(exp2(-Double($0) / 2)) }

    /// Calibrates `tensor` for `scheme` at `granularity` (nil: the scheme's default).
    /// - Throws: `.calibrationNotSupported` for GGUF schemes; the quantizer's
    ///   usage errors for a granularity the scheme cannot use; `.cancelled`.
    public static func calibrate(_ tensor: Tensor, method: Calibration, scheme: Scheme, granularity: Granularity? = nil,
                                 token: WorkToken? = nil) throws(QuantizationError) -> CalibrationResult {
        guard Calibration.applies(to: scheme) else { throw .calibrationNotSupported(scheme: scheme.description) }
        let granularity = granularity ?? scheme.defaultGranularity
        try scheme.validate(granularity, shape: tensor.shape)
        var percent = markedPercentile
        if case .percentile(let p) = method { percent = p }
        let stats = tensor.values.withUnsafeBufferPointer { AbsolutePercentile($0, percentiles: [percent]) }
        let maxAbs = stats.maxAbs
        guard stats.finite > 0 else {
            return CalibrationResult(method: method, clip: 1, threshold: 0, maxAbs: 0, mse: nil, curve: CalibrationCurve(points: []), marks: [])
        }
        let percentileValue = stats.values[0] ?? 0
        let percentileClip = maxAbs > 0 ? min(1, max(minimumClip, Float(percentileValue / maxAbs))) : 1

        var evaluator = Evaluator(tensor: tensor, scheme: scheme, granularity: granularity, maxAbs: maxAbs, token: token)
        token?.expect(coarseGrid.count + 15)
        if maxAbs > 0 {
            try evaluator.evaluate(coarseGrid + [percentileClip])
            // Levels 2 and 3: ±3 steps of 2^(1/8), then of 2^(1/32), around the best so far.
            for step in [0.125, 0.03125] {
                guard let best = evaluator.curve.best?.clip else { break }
                let around = (-3...3).filter { $0 != 0 }.map { Float(Double(best) * exp2(Double($0) * step)) }
                try evaluator.evaluate(around.filter { $0 <= 1 && $0 >= minimumClip })
            }
        } else {
            try evaluator.evaluate([1])
        }
        let curve = evaluator.curve
        let best = curve.best ?? CalibrationCurve.Point(clip: 1, threshold: maxAbs, mse: nil)
        let marks = [
            CalibrationResult.Mark(method: .minmax, clip: 1, mse: curve.point(at: 1)?.mse),
            CalibrationResult.Mark(method: .percentile(percent), clip: percentileClip, mse: curve.point(at: percentileClip)?.mse),
            CalibrationResult.Mark(method: .mse, clip: best.clip, mse: best.mse),
        ]
        let chosen: CalibrationResult.Mark
        let threshold: Double
        switch method {
        case .minmax: chosen = marks[0]; threshold = maxAbs
        case .percentile: chosen = marks[1]; threshold = percentileValue
        case .mse: chosen = marks[2]; threshold = Double(best.clip) * maxAbs
        }
        return CalibrationResult(method: method, clip: chosen.clip, threshold: threshold, maxAbs: maxAbs, mse: chosen.mse,
                                 curve: curve, marks: marks)
    }

    /// The MSE at each of `clips` (each in (0, 1]), as a curve.
    public static func curve(_ tensor: Tensor, scheme: Scheme, granularity: Granularity? = nil, clips: [Float],
                             token: WorkToken? = nil) throws(QuantizationError) -> CalibrationCurve {
        let maxAbs = tensor.values.withUnsafeBufferPointer { AbsolutePercentile($0, percentiles: []) }.maxAbs
        var evaluator = Evaluator(tensor: tensor, scheme: scheme, granularity: granularity ?? scheme.defaultGranularity,
                                  maxAbs: maxAbs, token: token)
        try evaluator.evaluate(clips)
        return evaluator.curve
    }

    /// Runs the quantizer at each new clip, reusing one set of code buffers.
    struct Evaluator {
        let tensor: Tensor
        let scheme: Scheme
        let granularity: Granularity
        let maxAbs: Double
        let token: WorkToken?
        private(set) var points: [Float: CalibrationCurve.Point] = [:]
        private var spare: QuantizedTensor?

        init(tensor: Tensor, scheme: Scheme, granularity: Granularity, maxAbs: Double, token: WorkToken?) {
            self.tensor = tensor
            self.scheme = scheme
            self.granularity = granularity
            self.maxAbs = maxAbs
            self.token = token
        }

        var curve: CalibrationCurve { CalibrationCurve(points: Array(points.values)) }

        mutating func evaluate(_ clips: [Float]) throws(QuantizationError) {
            for clip in clips where points[clip] == nil {
                if token?.isCancelled == true { throw .cancelled }
                // No token inside: the quantizer would reset the progress this loop reports.
                let q = try Quantizer.quantize(tensor, scheme: scheme, granularity: granularity, clip: clip,
                                               recycling: spare.take(), keepingDequantized: false)
                points[clip] = .init(clip: clip, threshold: Double(clip) * maxAbs, mse: q.metrics.isFinite ? q.metrics.mse : nil)
                spare = q
                token?.advance(1)
            }
        }
    }
}
