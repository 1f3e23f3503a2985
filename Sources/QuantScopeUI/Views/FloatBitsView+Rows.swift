import QuantEngine

/// The Float-bits view's rows: the chosen format's breakdown, its range
/// facts, the big bit diagram, the neighbours line and the scheme's own
/// encoding of x / S.
extension FloatBitsView {
    static let bigBitsRows = 3
    static let numberLineRows = 3

    /// `x = −0.02138507 at (17, 20) as fp8-e4m3 = 1 sign + 4 exponent + 3 mantissa bits   f: next format`.
    static func header(_ b: FloatBitBreakdown, _ c: ViewContext, width: Int) -> [Span] {
        let f = b.format
        var fields = f.hasSign ? "1 sign + " : "no sign, "
        fields += "\(f.exponentBits) exponent + \(f.mantissaBits) mantissa bit" + (f.mantissaBits == 1 ? "" : "s")
        let spans: [Span] = [("x = \(decimal(c.x)) at \(c.elementLabel) as ", c.theme.heading), (f.name, c.theme.accent),
                             (" = \(fields)", c.theme.heading)]
        let hint = "   f: next format"
        let used = spans.reduce(0) { $0 + CellBuffer.width(of: $1.text) }
        return used + CellBuffer.width(of: hint) <= width ? spans + [(hint, c.theme.muted)] : spans
    }

    /// The code's bits as sign, exponent and mantissa, spaced and styled.
    static func bitSpans(_ b: FloatBitBreakdown, _ theme: Theme) -> [Span] {
        var spans: [Span] = []
        if let s = b.signBit { spans += [(String(s), theme.signBits), (" ", theme.text)] }
        spans.append((binary(b.exponentField, b.format.exponentBits), theme.exponentBits))
        if b.format.mantissaBits > 0 { spans += [(" ", theme.text), (binary(b.mantissaField, b.format.mantissaBits), theme.mantissaBits)] }
        return spans
    }

    static func binary(_ value: Int, _ width: Int) -> String {
        let raw = String(value, radix: 2)
        return String(repeating: "0", count: max(0, width - raw.count)) + raw
    }

    static func label(_ text: String, _ theme: Theme) -> Span { (Format.fit(text, 11), theme.muted) }

    /// bits, exponent, value, error and neighbours of x in the chosen format.
    static func detailRows(_ b: FloatBitBreakdown, _ c: ViewContext) -> [[Span]] {
        let theme = c.theme, f = b.format
        var rows: [[Span]] = []

        // bits
        var bits: [Span] = [label("bits", theme)] + bitSpans(b, theme) + [(" = \(b.hex)   ", theme.text)]
        if let s = b.signBit { bits += [("sign \(s == 1 ? "−" : "+")", theme.signBits), (" · ", theme.muted)] }
        bits.append(("exponent field \(b.exponentField)", theme.exponentBits))
        if f.mantissaBits > 0 { bits += [(" · ", theme.muted), ("mantissa field \(b.mantissaField)", theme.mantissaBits)] }
        rows.append(bits)

        // exponent: the bias arithmetic and the class
        let exponentText: String
        switch b.valueClass {
        case .normal where f.specials == .exponentOnly:
            exponentText = "field \(b.exponentField) − bias \(f.bias) = \(Format.integer(b.exponentField - f.bias))   (E8M0: the value is 2^exponent)"
        case .normal:
            let e = b.exponentField - f.bias
            exponentText = "field \(b.exponentField) − bias \(f.bias) = \(Format.integer(e))   normal: (1 + mantissa/\(1 << f.mantissaBits)) × 2^\(Format.integer(e))"
        case .subnormal:
            let e = 1 - f.bias
            exponentText = "field 0: subnormal, exponent fixed at 1 − bias = \(Format.integer(e)), no leading 1"
        case .zero:
            exponentText = "field 0 and mantissa 0: zero (\(b.signBit == 1 ? "−0" : "+0"))"
        case .inf:
            exponentText = "field all ones, mantissa 0: infinity"
        case .nan:
            exponentText = "a NaN code: " + nanRule(f)
        }
        rows.append([label("exponent", theme), (exponentText, b.valueClass == .subnormal ? theme.warning : theme.text)])

        // value
        rows.append([label("value", theme), (b.formula.replacingOccurrences(of: "-", with: "−"), theme.text)])

        // error
        var error: [Span] = [label("error", theme)]
        if !c.x.isFinite {
            error.append(("x is \(Format.number(c.x)): \(c.x.isNaN ? "NaN stays NaN" : "saturating casts give ±max finite")", theme.warning))
        } else if b.error.isNaN {
            error.append(("\(f.name) cannot hold \(decimal(c.x)): it decodes to NaN", theme.warning))
        } else {
            error.append(("decoded − x = \(errorText(b))", theme.text))
            if b.value != 0 { error.append((" = \(relativeText(b)) of |x|", theme.text)) }
            if isSaturated(b) {
                error.append(("   ▲ beyond ±\(plain(f.maxFinite)): saturated", theme.clipped))
            } else {
                error.append(("   (nearest, ties to even)", theme.muted))
            }
        }
        rows.append(error)

        // neighbours
        var next: [Span] = [label("neighbours", theme)]
        let down = b.nextDown.map { decimal($0, digits: 5) } ?? "—", up = b.nextUp.map { decimal($0, digits: 5) } ?? "—"
        next.append(("\(down) < ", theme.muted))
        next.append((decimal(b.decoded, digits: 5), theme.selected))
        next.append((" < \(up)", theme.muted))
        if let d = b.nextDown, let u = b.nextUp, c.x.isFinite, b.decoded.isFinite {
            // The steps differ at a power of two: the spacing doubles above it.
            next.append(("   steps ↓\(decimal(b.decoded - d, digits: 4)) ↑\(decimal(u - b.decoded, digits: 4))", theme.muted))
        }
        rows.append(next)
        return rows
    }

    /// What a format does with its top codes.
    static func nanRule(_ f: FloatFormat) -> String {
        switch f.specials {
        case .ieee: return "±Inf and NaN (exponent all ones)"
        case .finiteWithNaN: return "no Inf · NaN = S " + String(repeating: "1", count: f.exponentBits) + " " + String(repeating: "1", count: f.mantissaBits)
        case .fnuz: return "no Inf, no −0 · NaN = 0x80 only"
        case .allFinite: return "no Inf, no NaN"
        case .exponentOnly: return "no sign, no zero · NaN = 0xFF"
        }
    }

    /// max finite, min normal, min subnormal, bias, Inf/NaN.
    static func rangeRows(_ f: FloatFormat, _ theme: Theme) -> [[Span]] {
        let minNormalExponent = f.specials == .exponentOnly ? -f.bias : f.minNormalExponent
        let minNormal = Float(sign: .plus, exponent: minNormalExponent, significand: 1)
        var first = "max finite \(plain(f.maxFinite)) · min normal 2^\(Format.integer(minNormalExponent)) = \(Format.number(minNormal)) · bias \(f.bias)"
        var second: String
        if f.specials == .exponentOnly {
            first = "max finite 2^127 · min 2^−127 = \(Format.number(minNormal)) · bias \(f.bias)"
            second = "no subnormals · " + nanRule(f)
        } else {
            let sub = f.minNormalExponent - f.mantissaBits
            second = "min subnormal 2^\(Format.integer(sub)) = \(Format.number(f.minPositive)) · " + nanRule(f)
        }
        return [[label("range", theme), (first, theme.text)], [label("", theme), (second, theme.text)]]
    }

    // MARK: The scheme's own encoding

    /// For a float scheme (fp8/fp6/fp4 with a scale, MX): x / S in the
    /// scheme's element format, and x̂ = decoded · S. One row otherwise.
    static func schemeRows(_ c: ViewContext) -> [[Span]] {
        let theme = c.theme, q = c.quantized
        let format: FloatFormat
        let scaleText: String
        let s = q.scales[c.group]
        switch q.scheme {
        case .float(let f):
            format = f
            scaleText = "S = amax / \(plain(f.maxFinite)) = \(Format.number(s))"
        case .microscaling(let f):
            format = f
            let e8m0 = FloatBitBreakdown(value: s, format: .e8m0)
            scaleText = "S = 2^\(Format.integer(Int(s.exponent))) = \(Format.number(s)) (E8M0 \(e8m0.hex))"
        default:
            return [[("the \(q.scheme) scheme stores codes on its own grid, not floats: see 2 Mapping", theme.muted)]]
        }
        let scaled = c.x / s
        let b = FloatBitBreakdown(code: c.rawCode, value: scaled, format: format)
        var rows: [[Span]] = []
        rows.append([("scheme \(q.scheme) stores x / S, not x: \(scaleText) for group \(Format.grouped(c.group))", theme.heading)])
        var encoded: [Span] = [label("x / S", theme), ("\(decimal(scaled, digits: 5)) → ", theme.text)]
        encoded += bitSpans(b, theme)
        encoded.append((" = \(b.hex) = \(decimal(b.decoded, digits: 5))", theme.selected))
        encoded.append(("   \(b.valueClass.rawValue), error \(errorText(b))", theme.muted))
        if isSaturated(b) { encoded.append(("  ▲ saturated", theme.clipped)) }
        rows.append(encoded)
        let xhat = b.decoded * s
        var back: [Span] = [label("x̂", theme), ("decoded · S = \(decimal(b.decoded, digits: 5)) · \(Format.number(s)) = ", theme.text),
                            (decimal(xhat, digits: 5), theme.selected)]
        if c.x.isFinite && c.x != 0 {
            let e = Double(xhat) - Double(c.x)
            back.append(("   error \(Format.number(e, digits: 3)) (\(Format.number(e / Double(abs(c.x)) * 100, digits: 3))%)", theme.muted))
        }
        if xhat != c.dequantized && !(xhat.isNaN && c.dequantized.isNaN) {
            back.append(("   MISMATCH: the engine's x̂ is \(decimal(c.dequantized))", theme.bad))
        }
        rows.append(back)
        return rows
    }

    // MARK: Pictures for tall views

    /// The fields written large: names over their bits, meaning under them.
    static func drawBigBits(_ b: FloatBitBreakdown, _ theme: Theme, _ rect: Rect, _ buffer: inout CellBuffer) {
        let f = b.format
        var x = rect.x + 2
        func field(_ name: String, _ bits: String, _ meaning: String, _ style: Style) {
            let spaced = bits.map(String.init).joined(separator: "  ")
            let width = max(CellBuffer.width(of: name), CellBuffer.width(of: spaced), CellBuffer.width(of: meaning))
            buffer.put(name, x: x, y: rect.y, style: theme.muted, clip: rect)
            buffer.put(spaced, x: x, y: rect.y + 1, style: style, clip: rect)
            buffer.put(meaning, x: x, y: rect.y + 2, style: style, clip: rect)
            x += width + 4
        }
        if let s = b.signBit { field("sign", String(s), s == 1 ? "−" : "+", theme.signBits) }
        let exponentMeaning: String
        switch b.valueClass {
        case .normal: exponentMeaning = "\(b.exponentField) − \(f.bias) = \(Format.integer(b.exponentField - f.bias))"
        case .subnormal: exponentMeaning = "0 → 1 − \(f.bias) = \(Format.integer(1 - f.bias))"
        case .zero: exponentMeaning = "0 (zero)"
        case .inf, .nan: exponentMeaning = "all ones"
        }
        field("exponent (\(f.exponentBits) bits)", binary(b.exponentField, f.exponentBits), exponentMeaning, theme.exponentBits)
        if f.mantissaBits > 0 {
            let lead = b.valueClass == .subnormal || b.valueClass == .zero ? "0" : "1"
            field("mantissa (\(f.mantissaBits) bit\(f.mantissaBits == 1 ? "" : "s"))", binary(b.mantissaField, f.mantissaBits), "\(lead) + \(b.mantissaField)/\(1 << f.mantissaBits)", theme.mantissaBits)
        }
        buffer.put("= \(b.hex) → \(decimal(b.decoded))", x: x, y: rect.y + 1, style: theme.selected, clip: rect)
    }

    /// nextDown, decoded and nextUp spread over the width, with x among
    /// them; an x far beyond them (saturated) gets an arrow at the edge.
    static func drawNumberLine(_ b: FloatBitBreakdown, _ c: ViewContext, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme, x = c.x
        guard rect.height >= numberLineRows, x.isFinite, b.decoded.isFinite else { return }
        let lo = b.nextDown ?? b.decoded, hi = b.nextUp ?? b.decoded
        let span = hi - lo
        let far = span > 0 && (x < lo - span || x > hi + span)
        var low = lo, high = hi
        if !far {
            low = min(low, x)
            high = max(high, x)
        }
        guard high > low, low.isFinite, high.isFinite else { return }
        let pad = (high - low) * 0.06
        low -= pad
        high += pad
        let left = rect.x + 2, right = rect.maxX - 3
        guard right - left >= 20 else { return }
        func column(_ v: Float) -> Int {
            let t = (Double(v) - Double(low)) / (Double(high) - Double(low))
            guard t.isFinite else { return t > 0 ? right : left }
            return left + Int(saturating: (min(max(t, -1), 2) * Double(right - left)).rounded(), within: 0...max(right - left, 0))
        }
        for col in left...right { buffer[col, rect.y + 1] = Cell("─", style: theme.level) }
        // Representable values above the line, what they are below it; x's label first.
        var values = MappingView.LabelRow(left: rect.x, right: rect.maxX), names = MappingView.LabelRow(left: rect.x, right: rect.maxX)
        let style = isSaturated(b) ? theme.clipped : theme.selected
        if far {
            let arrow = x > high ? "x = \(decimal(x)) ▶" : "◀ x = \(decimal(x))"
            names.place(arrow, at: x > high ? rect.maxX : rect.x, y: rect.y + 2, style, &buffer)
            buffer.put(x > high ? "▶" : "◀", x: x > high ? right + 1 : left - 1, y: rect.y + 1, style: style)
        } else {
            names.place("● x = \(decimal(x))", at: column(x), y: rect.y + 2, theme.selected, &buffer)
        }
        let top = b.nextUp == nil ? " (max)" : (b.nextDown == nil ? " (min)" : "")
        let items: [(Float?, String, Style)] = [(b.decoded, "┼ decoded \(b.hex)" + top, theme.selected), (b.nextDown, "next down", theme.muted),
                                                (b.nextUp, "next up", theme.muted)]
        for (value, name, style) in items {
            guard let value else { continue }
            let col = column(value)
            buffer[col, rect.y + 1] = Cell("┼", style: style)
            values.place(decimal(value, digits: 5), at: col, y: rect.y, style, &buffer)
            names.place(name, at: col, y: rect.y + 2, style, &buffer)
        }
        if !far { buffer[column(x), rect.y + 1] = Cell("●", style: theme.selected) }
    }
}
