import Foundation

/// Vertical bars in Unicode eighth blocks (▁▂▃▄▅▆▇█): one column per value,
/// eight steps per cell of height.
public enum Bars {
    public static let eighths: [Unicode.Scalar] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Draws `values` (one per column of `rect`) scaled so `maximum` fills the
    /// height; `log` scales by log(1 + v). `styleFor` colours each column.
    public static func draw(_ values: [Double], in rect: Rect, maximum: Double? = nil, log: Bool = false,
                            into buffer: inout CellBuffer, style styleFor: (Int) -> Style) {
        guard rect.height > 0, !values.isEmpty else { return }
        func scaled(_ v: Double) -> Double { log ? log1p(max(v, 0)) : max(v, 0) }
        let top = scaled(maximum ?? values.max() ?? 0)
        guard top > 0 else { return }
        let steps = rect.height * 8
        for (i, v) in values.enumerated() where i < rect.width {
            var eighthsHigh = Int(saturating: (scaled(v) / top * Double(steps)).rounded(), within: 0...steps)
            if v > 0 && eighthsHigh == 0 { eighthsHigh = 1 }  // never hide a non-empty bin
            let style = styleFor(i)
            for row in 0..<rect.height {
                let fromBottom = row * 8
                let fill = min(8, max(0, eighthsHigh - fromBottom))
                if fill > 0 { buffer[rect.x + i, rect.maxY - 1 - row] = Cell(eighths[fill], style: style) }
            }
        }
    }

    /// One row of eighth blocks (a sparkline) of `values` squeezed or
    /// stretched to `width` columns by taking each column's maximum.
    public static func sparkline(_ values: [Double], width: Int, maximum: Double? = nil) -> [Double] {
        guard width > 0, !values.isEmpty else { return [] }
        return (0..<width).map { c in
            let lo = c * values.count / width, hi = max(lo + 1, (c + 1) * values.count / width)
            return values[lo..<min(hi, values.count)].max() ?? 0
        }
    }
}

