/// Places values on the columns of a plot over [lo, hi]; values outside get
/// no column. A constant tensor (lo == hi) puts everything in column 0.
struct ColumnScale {
    var lo: Float
    var hi: Float
    var width: Int

    func column(_ v: Float) -> Int? {
        guard v.isFinite else { return nil }
        let span = Double(hi) - Double(lo)
        guard span > 0 else { return v == lo ? 0 : nil }
        let t = (Double(v) - Double(lo)) / span
        guard t >= -1e-9 && t <= 1 + 1e-9 else { return nil }
        return Int(saturating: t * Double(width - 1) + 0.5, within: 0...max(width - 1, 0))
    }
}
