import Foundation
import QuantEngine

/// The error-versus-clip curve of a calibration (docs/contract.md §12):
/// MSE against the clip fraction, both on log scales (the search's grid is
/// geometric, and the MSE at the smallest clips dwarfs the interesting dip),
/// every measured clip a `•`, the line between them `·`, and each method's
/// choice marked with its letter — `M` min-max, `P` percentile, `*` MSE-optimal;
/// the one in use is drawn in the selected style.
///
/// ```
/// 9.02e+00 ┤•·
///          │  ··•·
///          │      ··•··                          ·M
///          │           ··•·            ··P··•··
/// 2.40e+00 ┤                ··•··*··•··
///           clip 6.1e-05 …  ▲ 0.1334 (mse)                      1
/// ```
enum ClipCurve {
    static let labelWidth = 9

    static func draw(_ result: CalibrationResult, in rect: Rect, theme: Theme, into buffer: inout CellBuffer) {
        let measured = result.curve.points.compactMap { p in p.mse.map { (clip: Double(p.clip), mse: $0) } }
        guard rect.height >= 3, rect.width >= labelWidth + 10, let first = measured.first else {
            let note = measured.isEmpty ? "no finite value: nothing to calibrate (clip 1)" : "too small for the curve"
            buffer.put(Format.fit(note, rect.width), x: rect.x, y: rect.y, style: theme.muted)
            return
        }
        let plot = Rect(x: rect.x + labelWidth + 1, y: rect.y, width: rect.width - labelWidth - 1, height: rect.height - 1)
        let floor = 1e-30
        func ly(_ mse: Double) -> Double { log10(max(mse, floor)) }
        let lows = measured.map { ly($0.mse) }
        let yLo = lows.min() ?? 0, yHi = lows.max() ?? 0
        let xLo = log2(measured.map(\.clip).min() ?? first.clip), xHi = 0.0
        func column(_ clip: Double) -> Int {
            guard xHi > xLo else { return plot.width - 1 }
            return Int(saturating: ((log2(clip) - xLo) / (xHi - xLo) * Double(plot.width - 1)).rounded(), within: 0...(plot.width - 1))
        }
        func row(_ mse: Double) -> Int {
            guard yHi > yLo else { return plot.height / 2 }
            let f = (ly(mse) - yLo) / (yHi - yLo)
            return plot.height - 1 - Int(saturating: (f * Double(plot.height - 1)).rounded(), within: 0...(plot.height - 1))
        }
        // Axis labels: the largest and smallest MSE.
        buffer.put(Format.fit(sci(yHi > yLo ? pow(10, yHi) : first.mse), labelWidth, alignRight: true), x: rect.x, y: plot.y, style: theme.muted)
        if plot.height > 1 {
            buffer.put(Format.fit(sci(pow(10, yLo)), labelWidth, alignRight: true), x: rect.x, y: plot.maxY - 1, style: theme.muted)
        }
        for y in plot.y..<plot.maxY {
            let tick = y == plot.y || y == plot.maxY - 1
            buffer[plot.x - 1, y] = Cell(tick ? "┤" : "│", style: theme.border)
        }
        // The line: each column between two measured clips, interpolated in log–log.
        let sorted = measured.sorted { $0.clip < $1.clip }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            let ca = column(a.clip), cb = column(b.clip)
            guard cb > ca + 1 else { continue }
            for c in (ca + 1)..<cb {
                let t = Double(c - ca) / Double(cb - ca)
                let m = pow(10, ly(a.mse) + t * (ly(b.mse) - ly(a.mse)))
                buffer[plot.x + c, plot.y + row(m)] = Cell("·", style: theme.muted)
            }
        }
        for p in sorted { buffer[plot.x + column(p.clip), plot.y + row(p.mse)] = Cell("•", style: theme.bar) }
        // The marks, the method in use last so it stays on top.
        let ordered = result.marks.filter { !same($0.method, result.method) } + result.marks.filter { same($0.method, result.method) }
        for m in ordered {
            guard let mse = m.mse else { continue }
            let chosen = same(m.method, result.method)
            buffer[plot.x + column(Double(m.clip)), plot.y + row(mse)] = Cell(Unicode.Scalar(String(m.symbol))!, style: chosen ? theme.selected : theme.accent)
        }
        // The clip axis: its ends and the chosen clip.
        let y = rect.maxY - 1
        let left = "clip " + Format.number(xLo == xHi ? 1 : exp2(xLo), digits: 2)
        buffer.put(Format.fit(left, plot.width), x: plot.x, y: y, style: theme.muted)
        buffer.put("1", x: plot.maxX - 1, y: y, style: theme.muted)
        let chosenColumn = column(Double(result.clip))
        let note = "▲ \(Format.number(Double(result.clip), digits: 4)) (\(result.method.brief))"
        let noteWidth = CellBuffer.width(of: note)
        var noteX = plot.x + chosenColumn
        if noteX + noteWidth > plot.maxX - 2 { noteX = max(plot.x, plot.maxX - 2 - noteWidth) }
        if noteX < plot.x + CellBuffer.width(of: left) + 1 { noteX = min(plot.x + CellBuffer.width(of: left) + 1, plot.maxX - 2 - noteWidth) }
        if noteX >= plot.x { buffer.put(note, x: noteX, y: y, style: theme.selected) }
    }

    static func same(_ a: Calibration, _ b: Calibration) -> Bool {
        switch (a, b) {
        case (.minmax, .minmax), (.mse, .mse), (.percentile, .percentile): return true
        default: return false
        }
    }

    static func sci(_ v: Double) -> String { String(format: "%.2e", v) }
}
