import QuantEngine

/// The `stored:` pages of the Histogram, Mapping, Packing and Error views:
/// the open tensor as its file stores it — the block under the cursor with
/// its own parameters, its grid, its bytes — next to a fresh re-quantization
/// of the decoded values (docs/contract.md §8).
///
/// Everything drawn here comes from `AppState.storedBlock` (one block, read
/// when the cursor moves) and the analysis: nothing proportional to the tensor.
enum StoredPages {
    /// The stored tensor, the cursor's block and the cursor's position in it,
    /// when the `stored:` scheme shows.
    struct Page {
        var stored: any StoredQuantization
        var block: StoredBlock
        var position: Int
        var subBlock: Int { position / max(1, block.subBlockElements) }
        var levels: [Float] { block.levels.indices.contains(subBlock) ? block.levels[subBlock] : (block.levels.first ?? []) }
    }

    static func page(_ c: ViewContext) -> Page? {
        guard c.state.showsStored, let stored = c.tensor.stored, let block = c.state.storedBlock,
              let position = block.elements.firstIndex(of: c.index) else { return nil }
        return Page(stored: stored, block: block, position: position)
    }

    /// "block 17 of 2,304 · sub-block 3 (32 values)" or "group 5 of 96 (row 2, group 1)".
    static func where_(_ p: Page) -> String {
        var text = "block \(Format.grouped(p.block.index)) of \(Format.grouped(p.stored.blockCount))"
        if p.block.levels.count > 1 { text += " · sub-block \(p.subBlock) of \(p.block.levels.count)" }
        return text
    }

    // MARK: Histogram

    static func histogram(_ c: ViewContext, _ p: Page, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme
        let header = "stored \(p.stored.formatName) · \(where_(p)) · \(p.levels.count) levels the stored grid can represent"
        buffer.put(Format.fit(header, rect.width), x: rect.x, y: rect.y, style: theme.text)
        var body = rect.inset(top: 1)
        var blockArea: Rect?
        if body.height >= 12 {
            let (top, bottom) = body.splitBottom(max(5, body.height / 3))
            body = top
            blockArea = bottom
        }
        let lo = c.tensor.summary.min, hi = c.tensor.summary.max
        HistogramView.plot(values: c.tensor.fineHistogram.rebinned(max(body.width, 1)), lo: lo, hi: hi, levels: p.levels, cursor: c.x,
                           label: "all \(Format.grouped(c.tensor.count)) decoded values", c, body, &buffer)
        guard let area = blockArea else { return }
        let values = p.block.values.filter(\.isFinite) + p.levels
        let blo = values.min() ?? lo, bhi = values.max() ?? hi
        let bins = max(area.width, 1)
        var counts = [Double](repeating: 0, count: bins)
        let span = bhi > blo ? Double(bhi) - Double(blo) : 1
        for v in p.block.values where v.isFinite {
            counts[min(bins - 1, max(0, Int((Double(v) - Double(blo)) / span * Double(bins))))] += 1
        }
        let title = "this block: \(p.block.values.count) values on its own grid"
        buffer.put(Format.fit(title, area.width), x: area.x, y: area.y, style: theme.groupBar.with(bold: true))
        HistogramView.plot(values: counts, lo: blo, hi: bhi > blo ? bhi : blo + 1, levels: p.levels, cursor: c.x, label: nil, c,
                           area.inset(top: 1), &buffer, barStyle: theme.groupBar)
    }

    // MARK: Mapping

    static func mapping(_ c: ViewContext, _ p: Page, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme, s = p.stored, b = p.block
        var lines: [(String, Style)] = []
        func add(_ text: String, _ style: Style) {
            for line in Format.wrap(text, max(1, rect.width)) { lines.append((line, style)) }
        }
        add("stored as \(s.formatName) · \(String(format: "%.3f", s.bitsPerWeight)) bits/weight with its parameters · \(where_(p))", theme.heading)
        add("how a stored code becomes the value:  \(s.formula)", theme.text)
        let params = b.params.map { "\($0.key) = \(paramText($0.value))" }.joined(separator: " · ")
        add("this block's parameters: " + params, theme.text)
        let q = b.codes.indices.contains(p.position) ? b.codes[p.position] : 0
        add("element \(c.elementLabel), position \(p.position) of the block: stored code q = \(q)", theme.accent)
        add(s.worked(b, at: p.position), theme.accent.with(bold: true))
        if let lo = p.levels.first, let hi = p.levels.last {
            add("the grid of this \(b.levels.count > 1 ? "sub-block" : "block"): \(p.levels.count) levels from \(Format.number(lo)) to \(Format.number(hi))", theme.text)
            if p.levels.count <= 64 {
                let value = b.values.indices.contains(p.position) ? b.values[p.position] : .nan
                add("  " + p.levels.map { $0 == value ? "[\(Format.number($0))]" : Format.number($0) }.joined(separator: " "), theme.muted)
            }
        }
        if !s.sideTensors.isEmpty {
            add("assembled from " + s.sideTensors.map { $0.split(separator: ".").last.map(String.init) ?? $0 }.joined(separator: ", "), theme.muted)
        }
        if let fresh = s.freshEquivalent {
            add("s: re-quantize the decoded values fresh (\(fresh.scheme)\(fresh.granularity.map { " " + $0 } ?? "")) and compare · o: back here", theme.muted)
        }
        for (row, line) in lines.prefix(rect.height).enumerated() {
            buffer.put(Format.fit(line.0, rect.width), x: rect.x, y: rect.y + row, style: line.1)
        }
    }

    static func paramText(_ value: JSONValue) -> String {
        switch value {
        case .number(let d): return Format.number(d, digits: 5)
        case .array(let items) where items.count > 8:
            return "[" + items.prefix(8).map { $0.serialized(pretty: false) }.joined(separator: " ") + " …]"
        case .array(let items): return "[" + items.map { $0.serialized(pretty: false) }.joined(separator: " ") + "]"
        default: return value.serialized(pretty: false)
        }
    }

    // MARK: Packing

    static func packing(_ c: ViewContext, _ p: Page, _ box: Rect, _ buffer: inout CellBuffer) {
        let rect = box.inset(left: 1, right: 1)
        let theme = c.theme, b = p.block
        var y = rect.y
        func put(_ text: String, _ style: Style) {
            guard y < rect.maxY else { return }
            buffer.put(Format.fit(text, rect.width), x: rect.x, y: y, style: style)
            y += 1
        }
        let offset = b.offset.map { String(format: " at file offset 0x%llx", $0) } ?? ""
        put("the file's bytes of \(where_(p))\(offset)" + (p.stored.blockBytes.map { ", \($0) bytes" } ?? ""), theme.heading)
        let q = b.codes.indices.contains(p.position) ? b.codes[p.position] : 0
        let bits = p.stored.codeBits ?? 8
        put("cursor \(c.elementLabel): code q = \(q) = 0b\(binary(q, bits))  →  \(Format.number(b.values.indices.contains(p.position) ? b.values[p.position] : 0))", theme.accent)
        let location = p.stored.codeLocation(b, at: p.position)
        if !location.isEmpty { put("  stored in " + location, theme.accent) }
        let labelWidth = min(max(b.raw.map { CellBuffer.width(of: $0.label) }.max() ?? 0, 8), max(8, rect.width / 3))
        let bytesPerRow = max(4, (rect.width - labelWidth - 12) / 3)
        for raw in b.raw {
            guard y < rect.maxY else { break }
            let at = raw.offset.map { String(format: "%08llx", $0) } ?? "        "
            var chunks = stride(from: 0, to: raw.bytes.count, by: bytesPerRow).map { Array(raw.bytes[$0..<min(raw.bytes.count, $0 + bytesPerRow)]) }
            if chunks.isEmpty { chunks = [[]] }
            let maxRows = raw.bytes.count > bytesPerRow * 3 ? 2 : 3
            for (row, chunk) in chunks.prefix(maxRows).enumerated() {
                let label = row == 0 ? Format.fit(raw.label, labelWidth) : String(repeating: " ", count: labelWidth)
                let hex = chunk.map { String(format: "%02x", $0) }.joined(separator: " ")
                put(label + " " + (row == 0 ? at : "        ") + "  " + hex, row == 0 ? theme.text : theme.muted)
            }
            if chunks.count > maxRows { put(String(repeating: " ", count: labelWidth + 11) + "… \(raw.bytes.count) bytes in all", theme.muted) }
        }
        if y < rect.maxY, !p.stored.sideTensors.isEmpty {
            put("codes, scales and zeros live in separate tensors; each row above is a piece of one of them", theme.muted)
        }
    }

    static func binary(_ value: Int, _ bits: Int) -> String {
        let width = max(1, min(bits, 16))
        let masked = value & ((1 << width) - 1)
        let text = String(masked, radix: 2)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    // MARK: Error

    static func error(_ c: ViewContext, _ p: Page, _ box: Rect, _ buffer: inout CellBuffer) {
        let rect = box.inset(left: 1, right: 1)
        let theme = c.theme, s = p.stored, m = c.quantized.metrics
        var lines: [(String, Style)] = []
        func add(_ text: String, _ style: Style) {
            for line in Format.wrap(text, max(1, rect.width)) { lines.append((line, style)) }
        }
        add("stored \(s.formatName): \(String(format: "%.3f", s.bitsPerWeight)) bits/weight — its decoded values are x, the reference every error here is measured against", theme.heading)
        let fresh = c.state.settings.spelling(rank: c.tensor.shape.count)
        let freshBits = PackingView.Storage(c, PackingView.kind(c.quantized.scheme, layout: c.state.settings.packing)).bitsPerWeight
        add("fresh \(fresh) of x: \(String(format: "%.3f", freshBits)) bits/weight", theme.text)
        if m.isFinite {
            add("  SQNR \(m.sqnrDecibels.isFinite ? String(format: "%.2f dB", m.sqnrDecibels) : "∞ (identical)") · MSE \(Format.number(m.mse)) · max |x̂ − x| \(Format.number(m.maxAbsError))", theme.text)
        } else {
            add("  the fresh quantization has non-finite values", theme.bad)
        }
        if let match = c.analysis.storedMatch {
            let share = Double(match.identical) / Double(max(match.blocks, 1))
            add("  \(Format.grouped(match.identical)) of \(Format.grouped(match.blocks)) blocks (\(Format.percent(share))) are byte-for-byte the file's: "
                + (match.identical == match.blocks ? "re-quantizing reproduces the file" : "the rest found a different d, dmin or scales for the same values"), theme.accent)
        }
        let dx = c.dequantized - c.x
        add("cursor \(c.elementLabel): stored x = \(Format.number(c.x)), fresh x̂ = \(Format.number(c.dequantized)), x̂ − x = \(Format.number(dx))", theme.accent)
        add("s (or o) leaves the stored page: every view then shows the fresh quantization; o comes back", theme.muted)
        for (row, line) in lines.prefix(rect.height).enumerated() {
            buffer.put(Format.fit(line.0, rect.width), x: rect.x, y: rect.y + row, style: line.1)
        }
    }
}
