/// Screen arithmetic turns ratios into columns and bar heights; a ratio of
/// two zeros (an exact quantization's error range) is NaN, and `Int(NaN)`
/// traps. Every Float/Double → Int conversion in the views goes through
/// here instead: NaN becomes 0, ±Inf and huge values the nearest bound.
extension Int {
    /// The largest magnitude a screen coordinate or label ever needs; far
    /// inside Int's range, so adding a column offset cannot overflow.
    static let screenLimit = 1 << 40

    /// `value` truncated toward zero like `Int(_:)`, with NaN → 0 and the
    /// result clamped to `bounds` (±2^40 when nil).
    init(saturating value: Double, within bounds: ClosedRange<Int>? = nil) {
        let bounds = bounds ?? -Int.screenLimit...Int.screenLimit
        guard value.isFinite else {
            self = value.isNaN ? Swift.min(Swift.max(0, bounds.lowerBound), bounds.upperBound)
                               : (value > 0 ? bounds.upperBound : bounds.lowerBound)
            return
        }
        let clamped = Swift.min(Swift.max(value, Double(bounds.lowerBound)), Double(bounds.upperBound))
        self = Int(clamped)
    }

    init(saturating value: Float, within bounds: ClosedRange<Int>? = nil) {
        self.init(saturating: Double(value), within: bounds)
    }
}
