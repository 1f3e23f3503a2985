/// What `Calibrator.calibrate` found (docs/contract.md §12).
public struct CalibrationResult: Sendable, Equatable {
    /// One method's choice on the curve: `M` min-max, `P` percentile, `*` MSE-optimal.
    public struct Mark: Sendable, Equatable {
        public var method: Calibration
        public var clip: Float
        public var mse: Double?

        /// The letter the Error view's curve draws at this clip.
        public var symbol: Character {
            switch method {
            case .minmax: return "M"
            case .percentile: return "P"
            case .mse: return "*"
            }
        }
    }

    /// The method asked for.
    public var method: Calibration
    /// The chosen fraction of each group's range, in (0, 1].
    public var clip: Float
    /// clip · maxAbs: where |x| starts to saturate under a per-tensor granularity.
    public var threshold: Double
    /// max |x| over the finite elements (0 when there are none).
    public var maxAbs: Double
    /// The MSE at the chosen clip; nil for a tensor with no finite element or a non-finite x̂.
    public var mse: Double?
    public var curve: CalibrationCurve
    /// Min-max, the percentile (the method's P, or 99.99 when the method is
    /// not a percentile) and the MSE-optimal choice, in that order; empty
    /// when the curve is (no finite element).
    public var marks: [Mark]

    public init(method: Calibration, clip: Float, threshold: Double, maxAbs: Double, mse: Double?,
                curve: CalibrationCurve, marks: [Mark]) {
        self.method = method
        self.clip = clip
        self.threshold = threshold
        self.maxAbs = maxAbs
        self.mse = mse
        self.curve = curve
        self.marks = marks
    }

    /// The mark of `method`'s kind, if any.
    public func mark(_ kind: Calibration) -> Mark? {
        marks.first { m in
            switch (m.method, kind) {
            case (.minmax, .minmax), (.mse, .mse), (.percentile, .percentile): return true
            default: return false
            }
        }
    }
}
