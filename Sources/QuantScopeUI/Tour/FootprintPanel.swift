import QuantEngine

/// The first lesson's table (docs/contract.md §15): the open model's
/// weights in each storage format, counted by `ModelFootprint`, and what
/// the same bits per weight make of a 7B-parameter model and of the tokens
/// per second 100 GB/s of memory bandwidth can feed it (each token reads
/// every weight once; an upper bound, compute aside).
enum FootprintPanel {
    /// The reference model and bandwidth the last columns use.
    static let referenceParameters = 7e9
    static let bandwidthBytesPerSecond = 100e9

    static func render(_ state: AppState, _ rect: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        guard let footprint = state.tour?.footprint, let file = state.files.first else { return }
        var y = rect.y
        func put(_ text: String, _ style: Style) {
            guard y < rect.maxY else { return }
            buffer.put(Format.fit(text, rect.width), x: rect.x, y: y, style: style)
            y += 1
        }
        put("\(DisplayText.sanitized(file.name)): \(Format.grouped(footprint.elements)) weights in \(footprint.weights) tensors", theme.heading)
        guard footprint.elements > 0 else {
            put("no weights of rank ≥ 2 to count in this file", theme.muted)
            return
        }
        let header = ["format", "bits/w", "size", "smaller", "7B model", "tok/s"]
        let base = footprint.rows.first?.bytes ?? 1
        let body = footprint.rows.map { row -> [String] in
            let sevenB = referenceParameters * row.bitsPerWeight / 8
            return [row.format, String(format: "%.2f", row.bitsPerWeight), bytes(Double(row.bytes)),
                    String(format: "%.1f×", Double(base) / Double(max(row.bytes, 1))), bytes(sevenB),
                    String(format: "%.1f", bandwidthBytesPerSecond / sevenB)]
        }
        let widths = (0..<header.count).map { c in ([header] + body).map { CellBuffer.width(of: $0[c]) }.max() ?? 0 }
        func row(_ cells: [String]) -> String {
            cells.enumerated().map { c, text in c == 0 ? text.leftAligned(widths[c]) : text.rightAligned(widths[c]) }.joined(separator: "   ")
        }
        put(row(header), theme.muted)
        for (i, cells) in body.enumerated() { put(row(cells), i == 0 ? theme.text : theme.good) }
        y += 1
        put("scales and zero-points included; norms and biases stay float", theme.muted)
        put("tok/s: 100 GB/s ÷ the 7B model's bytes — each token reads every weight once", theme.muted)
    }

    /// 6.50 MB, 3.83 GB (decimal units, as disks and bandwidth are quoted).
    static func bytes(_ n: Double) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var v = n, u = 0
        while v >= 1000 && u < units.count - 1 { v /= 1000; u += 1 }
        return u == 0 ? "\(Int(v)) B" : String(format: "%.2f %@", v, units[u])
    }
}
