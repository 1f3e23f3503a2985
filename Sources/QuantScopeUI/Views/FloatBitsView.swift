import QuantEngine

/// View 5: the cursor's value stored in a small float format, bit by bit.
///
/// ```
///  x = 0.001 at (0, 1) as fp8-e4m3 = 1 sign + 4 exponent + 3 mantissa bits
///  bits       0 0000 001 = 0x01   sign + · exponent field 0 · mantissa field 1
///  exponent   field 0: subnormal, exponent fixed at 1 − bias = −6, no leading 1
///  value      (−1)^0 × 2^(1−7) × (0 + 1/8) = 0.001953125
///  error      decoded − x = +0.000953 = +95% of |x|   (nearest, ties to even)
///  neighbours 0 < 0.0019531 < 0.0039062   steps ↓0.001953 ↑0.001953
///  range      max finite 448 · min normal 2^−6 = 0.01562 · bias 7
///             min subnormal 2^−9 = 0.001953 · no Inf · NaN = S 1111 111
///  x stored as    bits          decoded     error     rel.  class   (E4M3, E5M2, BF16, FP16, FP4 …)
///  scheme fp8-e4m3 stores x / S, not x: S = amax / 448 = 0.0037 …   (float and MX schemes)
/// ```
/// A tall view adds the fields written large and a number line of the
/// neighbours, and compares every format `f` cycles through.
/// The three fields are spaced apart and drawn in the sign/exponent/mantissa
/// styles, so the bits read without colour. Rows are given out by priority
/// for the rect's height only, so nothing moves while the cursor does.
enum FloatBitsView {
    /// The formats always compared side by side.
    static let compared: [FloatFormat] = [.e4m3fn, .e5m2, .bf16, .fp16, .e2m1]

    static func render(_ c: ViewContext, _ rect: Rect, _ buffer: inout CellBuffer) {
        guard rect.width >= 20, rect.height >= 1 else { return }
        let theme = c.theme, format = c.state.bitsFormat
        let b = FloatBitBreakdown(value: c.x, format: format, mode: .saturate)
        let roomy = rect.height >= 30

        enum Kind { case header, big, details, range, table, scheme, line, gap }
        let details = detailRows(b, c)
        let range = rangeRows(format, theme)
        let scheme = schemeRows(c)
        // The header, the five (every format `f` cycles through when tall), and a row kept for a sixth.
        let formats = tableFormats(selected: format, all: roomy)
        let tableRows = 1 + (roomy ? formats.count : compared.count + 1)
        let blocks: [(kind: Kind, rows: Int, priority: Int)] = [
            (.header, 1, 0), (.gap, 1, 5), (.big, roomy ? bigBitsRows : 0, 3), (.gap, roomy ? 1 : 0, 6),
            (.details, details.count, 1), (.range, range.count, 2), (.gap, 1, 5), (.line, roomy ? numberLineRows : 0, 3),
            (.gap, roomy ? 1 : 0, 6), (.table, tableRows, 1), (.gap, 1, 6), (.scheme, scheme.count, 2),
        ]
        var shown = [Bool](repeating: false, count: blocks.count)
        var used = 0
        for priority in 0...6 {
            for (k, block) in blocks.enumerated() where block.priority == priority && block.rows > 0 && used + block.rows <= rect.height {
                shown[k] = true
                used += block.rows
            }
        }
        var y = rect.y
        for (k, block) in blocks.enumerated() where shown[k] {
            let area = Rect(x: rect.x, y: y, width: rect.width, height: block.rows)
            switch block.kind {
            case .header:
                putSpans(header(b, c, width: rect.width), x: rect.x, y: y, clip: area, &buffer)
            case .big:
                drawBigBits(b, theme, area, &buffer)
            case .details:
                for (r, row) in details.enumerated() { putSpans(row, x: rect.x, y: y + r, clip: area, &buffer) }
            case .range:
                for (r, row) in range.enumerated() { putSpans(row, x: rect.x, y: y + r, clip: area, &buffer) }
            case .line:
                drawNumberLine(b, c, area, &buffer)
            case .table:
                drawTable(c, formats: formats, selected: format, area, &buffer)
            case .scheme:
                for (r, row) in scheme.enumerated() { putSpans(row, x: rect.x, y: y + r, clip: area, &buffer) }
            case .gap:
                break
            }
            y += block.rows
        }
    }

    typealias Span = (text: String, style: Style)

    /// Writes styled runs one after another, clipped to `clip`, with … when cut.
    static func putSpans(_ spans: [Span], x: Int, y: Int, clip: Rect, _ buffer: inout CellBuffer) {
        var column = x
        for span in spans { column = buffer.put(span.text, x: column, y: y, style: span.style, clip: clip) }
        if column > clip.maxX, clip.width > 0 {
            buffer[clip.maxX - 1, y] = Cell("…", style: spans.last?.style ?? .plain)
        }
    }

    // MARK: The comparison table

    /// Column widths: name, bits, decoded, error, relative error, class, hex.
    struct Columns {
        var name = 15, bits = 19, decoded = 11, error = 10, relative = 9, kind = 11, hex = 7
        var showsClass: Bool
        var showsHex: Bool
        var showsRelative: Bool

        init(width: Int) {
            let base = name + bits + decoded + error
            showsRelative = width >= base + relative
            showsClass = width >= base + relative + kind
            showsHex = width >= base + relative + kind + hex
        }
    }

    /// The five compared formats, then the chosen one when it is not among
    /// them, or (`all`) every format the `f` key cycles through.
    static func tableFormats(selected: FloatFormat, all: Bool) -> [FloatFormat] {
        var formats = compared
        for f in (all ? AppState.bitsFormats : []) + [selected] where !formats.contains(f) { formats.append(f) }
        return formats
    }

    /// x in each format of the table.
    static func drawTable(_ c: ViewContext, formats: [FloatFormat], selected: FloatFormat, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme
        let cols = Columns(width: rect.width)
        var head = Format.fit("x stored as", cols.name) + Format.fit("bits", cols.bits)
        if cols.showsHex { head += Format.fit("hex", cols.hex) }
        head += Format.fit("decoded", cols.decoded, alignRight: true) + Format.fit("error", cols.error, alignRight: true)
        if cols.showsRelative { head += Format.fit("rel.", cols.relative, alignRight: true) }
        if cols.showsClass { head += "  " + "class" }
        buffer.put(Format.fit(head, rect.width), x: rect.x, y: rect.y, style: theme.heading)
        for (r, f) in formats.enumerated() where r + 1 < rect.height {
            let b = FloatBitBreakdown(value: c.x, format: f, mode: .saturate)
            let mine = f == selected
            let y = rect.y + 1 + r
            var spans: [Span] = [(Format.fit((mine ? "▶ " : "  ") + f.name, cols.name), mine ? theme.heading : theme.text)]
            spans += bitSpans(b, theme)
            spans.append((String(repeating: " ", count: max(1, cols.bits - CellBuffer.width(of: b.bitString))), theme.text))
            if cols.showsHex { spans.append((Format.fit(b.hex, cols.hex), theme.muted)) }
            spans.append((Format.fit(decimal(b.decoded, digits: 5), cols.decoded, alignRight: true), theme.text))
            let saturated = isSaturated(b)
            spans.append((Format.fit(errorText(b), cols.error, alignRight: true), saturated ? theme.clipped : theme.text))
            if cols.showsRelative { spans.append((Format.fit(relativeText(b), cols.relative, alignRight: true), saturated ? theme.clipped : theme.muted)) }
            if cols.showsClass {
                spans.append(("  " + (saturated ? "saturated" : b.valueClass.rawValue), saturated ? theme.clipped : (b.valueClass == .subnormal ? theme.warning : theme.muted)))
            }
            putSpans(spans, x: rect.x, y: y, clip: rect, &buffer)
            if mine { buffer.restyle(Rect(x: rect.x, y: y, width: 2, height: 1)) { $0 = theme.selected } }
        }
    }

    // MARK: Numbers

    /// A value with `digits` significant digits (exact small values keep theirs).
    static func decimal(_ v: Float, digits: Int = 7) -> String { Format.number(v, digits: digits) }

    /// An integer-valued float as an integer (`57344`), else with 4 digits.
    static func plain(_ v: Float) -> String {
        if v.isFinite && v == v.rounded() && abs(v) < 1e7 { return Format.integer(Int(saturating: v)) }
        return Format.number(v)
    }

    static func isSaturated(_ b: FloatBitBreakdown) -> Bool {
        b.value.isFinite && b.decoded.isFinite && abs(b.value) > b.format.maxFinite && b.format.specials != .exponentOnly
    }

    static func errorText(_ b: FloatBitBreakdown) -> String {
        let e = b.error
        guard e.isFinite else { return "—" }
        return (e > 0 ? "+" : "") + Format.number(e, digits: 3)
    }

    static func relativeText(_ b: FloatBitBreakdown) -> String {
        let e = b.error
        guard e.isFinite, b.value != 0, b.value.isFinite else { return "—" }
        let r = e / Double(abs(b.value)) * 100
        let sign = r > 0 ? "+" : (r < 0 ? "−" : "")
        let m = abs(r)
        let digits = m >= 10 ? String(format: "%.0f", m) : (m >= 1 ? String(format: "%.1f", m) : Format.number(m, digits: 2))
        return sign + digits + "%"
    }
}
