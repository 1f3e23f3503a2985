import Foundation
import QuantEngine

/// The Sweep view (docs/contract.md §11): the open tensor through every
/// scheme and granularity `quantscope sweep` runs, SQNR against bits per
/// weight (codes packed densely, scales and zero-points counted), the Pareto
/// front starred and the current setting marked ◆; the front listed below.
/// It reads the points the background job streamed into the state.
enum SweepView {
    static func render(_ state: AppState, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        guard let t = state.tensor else {
            buffer.put(Format.fit("open a tensor to sweep it", rect.width), x: rect.x, y: rect.y, style: theme.muted)
            return
        }
        guard t.count > 0 else {
            buffer.put(Format.fit("empty tensor (shape \(Format.shape(t.shape))) — nothing to sweep", rect.width), x: rect.x, y: rect.y, style: theme.muted)
            return
        }
        let table = state.model.sweeps[t.ref]
        let points = (table?.points ?? []).sorted { ($0.cost.bitsPerWeight, $0.metrics.mse) < ($1.cost.bitsPerWeight, $1.metrics.mse) }
        let front = ParetoFront.mark(points)
        let current = currentPoint(state, points)

        var head = "\(DisplayText.brief(t.info.name)) \(Format.shape(t.shape)) · \(points.count)"
        if let table { head += table.complete ? " settings" : " of \(table.total) settings" }
        if let bg = state.background, case .sweep = bg {
            head += " · sweeping " + (state.backgroundProgress.map { Format.percent($0) } ?? "") + ", Esc stops"
        }
        buffer.put(Format.fit(head, rect.width), x: rect.x, y: rect.y, style: theme.heading)
        var keyLine = "★ Pareto front: nothing both cheaper and more accurate  ◆ now"
        if let c = current { keyLine += " \(c.label): \(String(format: "%.3f", c.bits)) bits/w, \(sqnr(c.sqnr)) dB" }
        if rect.height > 1 { buffer.put(Format.fit(keyLine, rect.width), x: rect.x, y: rect.y + 1, style: theme.muted) }

        // Settings that land on the same point (group:64 and group:128 of a 64-wide row) list once.
        var frontRows = [(index: Int, same: Int)]()
        for i in points.indices where front[i] {
            if let last = frontRows.last, points[last.index].cost.bitsPerWeight == points[i].cost.bitsPerWeight,
               points[last.index].metrics.mse == points[i].metrics.mse {
                frontRows[frontRows.count - 1].same += 1
            } else {
                frontRows.append((i, 0))
            }
        }
        let listHeight = min(frontRows.count + 1, max(2, rect.height / 3))
        let plot = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: max(0, rect.height - 2 - listHeight))
        if plot.height >= 4 { drawPlot(points, front, current, plot, theme, &buffer) }
        let listTop = plot.maxY
        guard listTop < rect.maxY else { return }
        if points.isEmpty {
            buffer.put(Format.fit(table == nil ? "waiting to start…" : "measuring the first settings…", rect.width), x: rect.x, y: listTop, style: theme.muted)
            return
        }
        buffer.put(Format.fit("front, cheapest first:   bits/w  SQNR dB  setting", rect.width), x: rect.x, y: listTop, style: theme.muted)
        let columns = max(1, rect.width / 44)
        let perColumn = max(1, rect.maxY - listTop - 1)
        for (i, row) in frontRows.prefix(perColumn * columns).enumerated() {
            let r = points[row.index]
            var text = "★ " + String(format: "%7.3f", r.cost.bitsPerWeight) + sqnr(r.metrics.sqnrDecibels, r.metrics.isFinite).rightAligned(9)
                + "  \(r.scheme) \(r.granularity)"
            if row.same > 0 { text += " +\(row.same) same" }
            let x = rect.x + (i / perColumn) * (rect.width / columns), y = listTop + 1 + i % perColumn
            let isCurrent = current.map { c in points[row.index...].prefix(row.same + 1).contains { "\($0.scheme) \($0.granularity)" == c.label } } ?? false
            buffer.put(Format.fit(text, rect.width / columns - 1), x: x, y: y, style: isCurrent ? theme.selected : theme.accent)
        }
    }

    /// The current setting's point: from the sweep when it ran that setting,
    /// else from the open analysis (another group size, a clip).
    static func currentPoint(_ state: AppState, _ points: [ScanResult]) -> (label: String, bits: Double, sqnr: Double)? {
        guard let t = state.tensor else { return nil }
        let label = state.settings.spelling(rank: t.shape.count)
        if let p = points.first(where: { "\($0.scheme) \($0.granularity)" == label }) {
            return (label, p.cost.bitsPerWeight, p.metrics.isFinite ? p.metrics.sqnrDecibels : .nan)
        }
        guard !state.showsStored, let a = state.analysis, a.spelling == label else { return nil }
        let q = a.quantized
        return (label, StorageCost(scheme: q.scheme, elements: t.count, groups: q.scales.count).bitsPerWeight,
                q.metrics.isFinite ? q.metrics.sqnrDecibels : .nan)
    }

    static func sqnr(_ v: Double, _ finite: Bool = true) -> String {
        guard finite, !v.isNaN else { return "n/f" }
        return v == .infinity ? "inf" : String(format: "%.2f", v)
    }

    /// SQNR (up) against bits per weight (right), with labelled axes.
    static func drawPlot(_ points: [ScanResult], _ front: [Bool], _ current: (label: String, bits: Double, sqnr: Double)?,
                         _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        let ys = points.compactMap { $0.metrics.isFinite && $0.metrics.sqnrDecibels.isFinite ? $0.metrics.sqnrDecibels : nil }
            + [current?.sqnr].compactMap { $0 }.filter(\.isFinite)
        let hasInfinite = points.contains { $0.metrics.isFinite && $0.metrics.sqnrDecibels == .infinity }
        var lo = (ys.min() ?? 0).rounded(.down), hi = (ys.max() ?? 1).rounded(.up)
        if hi - lo < 1 { lo -= 1; hi += 1 }
        let maxBits = max(1, ((points.map(\.cost.bitsPerWeight) + [current?.bits ?? 0]).max() ?? 8).rounded(.up))
        let axisWidth = 7
        let plotWidth = rect.width - axisWidth - 1, plotHeight = rect.height - 2 - (hasInfinite ? 1 : 0)
        guard plotWidth > 8, plotHeight > 1 else { return }
        let top = rect.y + (hasInfinite ? 1 : 0)
        func column(_ bits: Double) -> Int { rect.x + axisWidth + 1 + Int((bits / maxBits * Double(plotWidth - 1)).rounded()) }
        func row(_ db: Double) -> Int {
            if db == .infinity { return rect.y }
            return top + plotHeight - 1 - Int(((db - lo) / (hi - lo) * Double(plotHeight - 1)).rounded())
        }
        // Axes: dB labels on the left, bits along the bottom.
        if hasInfinite { buffer.put(Format.fit("inf", axisWidth - 1, alignRight: true) + " ┤", x: rect.x, y: rect.y, style: theme.muted, clip: rect) }
        for r in 0..<plotHeight {
            let y = top + r
            let label = r == 0 ? String(format: "%6.1f", hi) : (r == plotHeight - 1 ? String(format: "%6.1f", lo) : (r == plotHeight / 2 ? "SQNR" : ""))
            buffer.put(Format.fit(label, axisWidth - 1, alignRight: true) + " │", x: rect.x, y: y, style: theme.muted, clip: rect)
        }
        let axisY = top + plotHeight
        buffer.put(Format.fit("dB", axisWidth - 1, alignRight: true) + " └" + String(repeating: "─", count: plotWidth), x: rect.x, y: axisY, style: theme.muted, clip: rect)
        let step = maxBits <= 10 ? 1.0 : (maxBits <= 20 ? 2.0 : 4.0)
        var ticks = ""
        var b = 0.0
        while b <= maxBits {
            let x = column(b) - rect.x
            let label = String(Int(b))
            if x >= ticks.count + (ticks.isEmpty ? 0 : 1) { ticks += String(repeating: " ", count: x - ticks.count) + label }
            b += step
        }
        ticks += "  bits/weight"
        buffer.put(Format.fit(ticks, rect.width), x: rect.x, y: axisY + 1, style: theme.muted)
        // Ordinary points first, then the front over them, then the current setting over all.
        for (p, onFront) in zip(points, front) where !onFront && p.metrics.isFinite {
            buffer.put("•", x: column(p.cost.bitsPerWeight), y: row(p.metrics.sqnrDecibels), style: theme.muted, clip: rect)
        }
        for (p, onFront) in zip(points, front) where onFront && p.metrics.isFinite {
            buffer.put("★", x: column(p.cost.bitsPerWeight), y: row(p.metrics.sqnrDecibels), style: theme.accent, clip: rect)
        }
        if let c = current, !c.sqnr.isNaN {
            buffer.put("◆", x: column(c.bits), y: row(c.sqnr), style: theme.selected, clip: rect)
        }
    }
}
