import QuantEngine

/// The Mapping view for GGUF K-quants (q2_k … q6_k, docs/contract.md §4).
///
/// llama.cpp fits each sub-block's scale (and min) by a search over trial
/// scales (`make_qkx2_quants`, `make_q3_quants`, `make_qx_quants`) that the
/// view does not redo; it starts from the stored effective scale d·sc_j
/// (and dmin·m_j), then checks the last step, which is a formula:
/// q = nearest((x + dmin·m_j) / (d·sc_j)) clamped, and x̂ from q.
extension MappingView {
    static func kQuant(_ c: ViewContext, _ b: GGUFBlockScheme) -> Explanation {
        let q = c.quantized, g = c.group, theme = c.theme
        let data = groupData(c)
        let x = c.x.isFinite ? c.x : 0
        let code = c.code
        let scale = q.scales[g], offset = b.codeOffset, top = (1 << b.codeBits) - 1
        let m = q.mins?[g] ?? 0
        let perBlock = b.blockSize / b.subBlockSize
        var problems: [String] = []
        var formulas: [Formula] = []
        let sub = "sub-block \(g % perBlock) of super-block \(Format.grouped(g / perBlock))"
        let rangeRows: [[Span]] = [
            [("\(b.rawValue): \(b.subBlockSize) values per scale, \(perBlock) per super-block of 256 (d\(b.hasMin ? ", dmin" : "") fp16 per super-block)", theme.muted)],
            [("the scale\(b.hasMin ? " and min are" : " is") fitted by llama.cpp's search over trial scales, then rounded to the stored bits", theme.muted)],
        ]
        formulas.append(Formula(name: "d·sc", symbolic: "the \(sub)'s scale, as stored", numeric: nil, result: n(scale), resultStyle: theme.heading))
        if b.hasMin {
            formulas.append(Formula(name: "dmin·m", symbolic: "its offset, subtracted", numeric: nil, result: n(-m), resultStyle: theme.heading))
        }
        var mineCode = code
        var clipped = false
        if scale != 0 {
            let t = b.hasMin ? (x - m) / scale : x / scale
            let r = t.isFinite ? t.rounded(.toNearestOrEven) : 0
            let lo = Float(-offset), hi = Float(top - offset)
            clipped = r < lo || r > hi
            mineCode = whole(min(max(r, lo), hi)) + offset
            let symbolic = b.hasMin ? "nearest((x + dmin·m) / (d·sc)), clamped to [0, \(top)]"
                : "nearest(x / (d·sc)) + \(offset), clamped to [0, \(top)]"
            let numeric = b.hasMin ? "nearest((\(n(x)) + \(p(-m))) / \(n(scale))) = nearest(\(fraction(t)))"
                : "nearest(\(n(x)) / \(p(scale))) + \(offset) = nearest(\(fraction(t))) + \(offset)"
            formulas.append(Formula(name: "q", symbolic: symbolic, numeric: numeric, result: i(code),
                                    resultStyle: clipped ? theme.clipped : theme.selected, note: clipped ? "clamped" : ""))
        } else {
            formulas.append(Formula(name: "q", symbolic: "the fit's code: the scale rounded to 0, so llama.cpp keeps it",
                                    numeric: nil, result: i(code), resultStyle: theme.selected))
        }
        let xhat: Float = b.hasMin ? scale * Float(code) + m : scale * Float(code - offset)
        let symbolic = b.hasMin ? "(d·sc) · q − dmin·m" : "(d·sc) · (q − \(offset))"
        let numeric = b.hasMin ? "\(n(scale)) · \(pi(code)) − \(p(-m))" : "\(n(scale)) · (\(i(code)) − \(offset))"
        formulas.append(Formula(name: "x̂", symbolic: symbolic, numeric: numeric, result: n(xhat), resultStyle: theme.selected))
        if c.x.isFinite && mineCode != code { problems.append("q from the formula is \(i(mineCode)) but the engine's code is \(i(code))") }
        if xhat != c.dequantized && !(xhat == 0 && c.dequantized == 0) {
            problems.append("x̂ from the formula is \(Format.number(xhat, digits: 7)) but the engine's is \(Format.number(c.dequantized, digits: 7))")
        }
        let levels = q.levels(group: g)
        let codeOf: (Float) -> String = { level in
            guard scale != 0 else { return "q \(offset)" }
            return "q \(whole(((level - m) / scale).rounded()) + (b.hasMin ? 0 : offset))"
        }
        let axis = Axis(levels: levels, low: data.low, high: data.high, setters: data.setters.map { c.tensor.tensor.values[$0] },
                        lowCode: levels.first.map(codeOf) ?? "", highCode: levels.last.map(codeOf) ?? "",
                        zeroCode: levels.contains(0) ? codeOf(0) : "", cursorCode: "q = \(i(code))", code: codeOf)
        let unit: (String, Float)? = scale != 0 ? ("|d·sc|", abs(scale)) : nil
        return Explanation(header: groupHeader(c, data), axis: axis, rangeRows: rangeRows, formulas: formulas,
                           errorRow: errorRow(c, xhat: xhat, clipped: clipped, unit: unit, bound: "≤ |d·sc|/2 unless clamped"),
                           problems: problems, checked: "checked: the engine's code and x̂ from its stored scales[\(g)]", unit: unit, clipped: clipped)
    }
}
