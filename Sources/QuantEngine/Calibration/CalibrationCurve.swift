/// The quantization MSE as a function of the clip fraction, as measured by
/// `Calibrator` (docs/contract.md §12): every clip it evaluated, sorted by clip.
public struct CalibrationCurve: Sendable, Equatable {
    /// One evaluation: the clip fraction, the threshold it means
    /// (clip · max|x|), and the MSE of the real quantizer at that clip
    /// (nil when x̂ was not finite, docs/contract.md §6).
    public struct Point: Sendable, Equatable {
        public var clip: Float
        public var threshold: Double
        public var mse: Double?

        public init(clip: Float, threshold: Double, mse: Double?) {
            self.clip = clip
            self.threshold = threshold
            self.mse = mse
        }
    }

    /// Sorted by clip, ascending, one point per clip.
    public var points: [Point]

    public init(points: [Point]) {
        var seen = Set<Float>()
        self.points = points.sorted { $0.clip < $1.clip }.filter { seen.insert($0.clip).inserted }
    }

    /// The point with the smallest MSE; ties go to the larger clip (less saturation).
    public var best: Point? {
        var best: Point?
        for p in points {
            guard let m = p.mse else { continue }
            if let b = best, let bm = b.mse, m > bm { continue }
            best = p
        }
        return best
    }

    /// The point at `clip`, if it was evaluated.
    public func point(at clip: Float) -> Point? { points.first { $0.clip == clip } }
}
