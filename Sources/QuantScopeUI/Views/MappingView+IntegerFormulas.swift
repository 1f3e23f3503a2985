import QuantEngine

/// The Mapping view's arithmetic for integer affine schemes (docs/contract.md §1); see
/// `MappingView+Formulas.swift` for how every family is checked against the engine.
extension MappingView {
    // MARK: Integer schemes (docs/contract.md §1)

    static func integer(_ c: ViewContext, _ s: IntegerScheme) -> Explanation {
        let q = c.quantized, g = c.group, theme = c.theme
        let data = groupData(c)
        let clip = q.clip
        let qmin = Float(s.qmin), qmax = Float(s.qmax)
        // Z = 0 schemes: quantscope's symmetric intB and the seed's full-range intB-full.
        let symmetric = s.mode == .symmetric || s.mode == .full
        let full = s.mode == .full, exact = s.mode == .asymmetricExact
        var problems: [String] = []
        var rangeRows: [[Span]] = []
        var formulas: [Formula] = []

        // The range and the scale, from the group's data.
        var mine: Float
        var vmin: Float = 0, vmax: Float = 0, a: Float = 0
        let setterLow = data.setters.first { c.tensor.tensor.values[$0] < 0 }
        let setterHigh = data.setters.first { c.tensor.tensor.values[$0] > 0 }
        if symmetric {
            a = data.amax * clip
            mine = full ? a / ((qmax - qmin) / 2) : a / qmax
            var row: [Span] = [("a = \(clipPrefix(clip))max|x| = ", theme.text)]
            row.append((clip < 1 ? "\(n(clip)) · \(n(data.amax)) = \(n(a))" : n(a), theme.text))
            row += setterNote(c, data.setters.first)
            rangeRows.append(row)
            if full {
                rangeRows.append([("seed's full range: [−a, a] onto [\(i(s.qmin)), \(i(s.qmax))], Z = 0; +a lands on \(i(s.qmax)).5 and clips", theme.muted)])
                formulas.append(Formula(name: "S", symbolic: "(vmax − vmin) / (qmax − qmin) = 2a / (qmax − qmin)",
                                        numeric: "2 · \(n(a)) / (\(i(s.qmax)) − \(pi(s.qmin)))", result: "", resultStyle: theme.heading))
            } else {
                rangeRows.append([("symmetric: Z = 0, the range is [−a, a] = [\(n(0 - a)), \(n(a))], 0.0 ↦ q = 0", theme.muted)])
                formulas.append(Formula(name: "S", symbolic: "a / qmax", numeric: "\(n(a)) / \(i(s.qmax))", result: "", resultStyle: theme.heading))
            }
        } else {
            // intB-asym-exact: the exact [min x, max x] (docs/contract.md §10); else stretched to hold 0.
            let rawLow = exact ? c.summary.minimum : data.low, rawHigh = exact ? c.summary.maximum : data.high
            vmin = rawLow * clip
            vmax = rawHigh * clip
            mine = (vmax - vmin) / (qmax - qmin)
            if exact && !(mine > 0 && mine.isFinite) && vmin == vmax && vmin != 0 { mine = abs(vmin) }
            let rules = exact ? ("min x", "max x") : ("min(min x, 0)", "max(max x, 0)")
            let exactLow = data.setters.first { c.tensor.tensor.values[$0] == c.summary.minimum }
            let exactHigh = data.setters.last { c.tensor.tensor.values[$0] == c.summary.maximum }
            for (name, rule, raw, kept, setter) in [("vmin", rules.0, rawLow, vmin, exact ? exactLow : setterLow),
                                                     ("vmax", rules.1, rawHigh, vmax, exact ? exactHigh : setterHigh)] {
                var row: [Span] = [("\(name) = \(clipPrefix(clip))\(rule) = ", theme.text)]
                row.append((clip < 1 ? "\(n(clip)) · \(p(raw)) = \(n(kept))" : n(kept), theme.text))
                if setter == nil && !exact {
                    row.append(("  (no x on this side of 0: the range is stretched to hold 0)", theme.muted))
                } else {
                    row += setterNote(c, setter)
                }
                rangeRows.append(row)
            }
            formulas.append(Formula(name: "S", symbolic: "(vmax − vmin) / (qmax − qmin)",
                                    numeric: "(\(n(vmax)) − \(p(vmin))) / (\(i(s.qmax)) − \(pi(s.qmin)))",
                                    result: "", resultStyle: theme.heading))
        }
        var degenerate = false
        if !(mine > 0 && mine.isFinite) {
            mine = 1
            degenerate = true
        }
        let scale = q.scales[g]
        if mine != scale {
            problems.append("S from the formula is \(Format.number(mine, digits: 7)) but the engine stored scales[\(g)] = \(Format.number(scale, digits: 7))")
        }
        formulas[0].result = n(scale)
        if degenerate { formulas[0].note = "(was 0: S = 1)" }

        // The zero-point.
        var zero: Float = 0
        if symmetric {
            formulas.append(Formula(name: "Z", symbolic: "0   (symmetric: 0.0 maps to q = 0)", numeric: nil, result: "", resultStyle: theme.heading))
        } else {
            let raw = qmin - (vmin / scale).rounded(.toNearestOrEven)
            zero = exact ? raw : min(max(raw, qmin), qmax)
            var f = Formula(name: "Z", symbolic: "qmin − round(vmin / S)",
                            numeric: "\(i(s.qmin)) − round(\(n(vmin)) / \(n(scale))) = \(i(s.qmin)) − round(\(fraction(vmin / scale)))",
                            result: i(whole(zero)), resultStyle: exact && (raw < qmin || raw > qmax) ? theme.warning : theme.heading)
            if raw != zero { f.note = "clamped to [qmin, qmax]" }
            if exact && (raw < qmin || raw > qmax) {
                f.note = "outside the codes"
                rangeRows.append([("Z is outside [\(i(s.qmin)), \(i(s.qmax))]: x̂ = S·(q − Z) is right in float; no int\(s.bits) holds Z", theme.warning)])
            }
            formulas.append(f)
        }
        let engineZero = Float(q.zeroPoints?[g] ?? 0)
        if engineZero != zero {
            problems.append("Z from the formula is \(i(whole(zero))) but the engine stored zero_points[\(g)] = \(i(whole(engineZero)))")
            zero = engineZero
        }

        // The code.
        let x = c.x
        let code = c.code
        var clipped = false
        var qFormula: Formula
        if x.isFinite {
            let t = symmetric ? x / scale : x / scale + zero
            let r = t.rounded(.toNearestOrEven)
            let mineQ = min(max(r, qmin), qmax)
            clipped = r != mineQ
            let inside = symmetric ? "round(\(n(x)) / \(n(scale)))" : "round(\(n(x)) / \(n(scale)) + \(p(zero)))"
            var numeric = "\(inside) = round(\(fraction(t)))"
            if clipped { numeric += r > qmax ? " > qmax" : " < qmin" }
            qFormula = Formula(name: "q", symbolic: symmetric ? "clamp(round(x / S), qmin, qmax)" : "clamp(round(x / S + Z), qmin, qmax)",
                               numeric: numeric, result: i(code), resultStyle: clipped ? theme.clipped : theme.selected)
            if clipped { qFormula.note = r > qmax ? "▲ clipped" : "▼ clipped" }
            if whole(mineQ) != code { problems.append("q from the formula is \(i(whole(mineQ))) but the engine's code is \(i(code))") }
        } else {
            let rule = x.isNaN ? (exact ? "NaN encodes as Z held in [qmin, qmax]" : "NaN encodes as Z") : (x > 0 ? "+Inf encodes as qmax" : "−Inf encodes as qmin")
            qFormula = Formula(name: "q", symbolic: "clamp(round(x / S + Z), qmin, qmax)", numeric: "x is \(n(x)): \(rule)",
                               result: i(code), resultStyle: theme.warning)
        }
        formulas.append(qFormula)

        // Dequantized.
        let xhat = scale * (Float(code) - zero)
        formulas.append(Formula(name: "x̂", symbolic: symmetric ? "S · q" : "S · (q − Z)",
                                numeric: symmetric ? "\(n(scale)) · \(pi(code))" : "\(n(scale)) · (\(i(code)) − \(pi(whole(zero))))",
                                result: n(xhat), resultStyle: theme.selected))
        if xhat != c.dequantized {
            problems.append("x̂ from the formula is \(Format.number(xhat, digits: 7)) but the engine's is \(Format.number(c.dequantized, digits: 7))")
        }

        let levels = q.levels(group: g)
        let axisLow = exact ? c.summary.minimum : data.low, axisHigh = exact ? c.summary.maximum : data.high
        let axis = Axis(levels: levels, low: symmetric ? -data.amax : axisLow, high: symmetric ? data.amax : axisHigh,
                        setters: data.setters.map { c.tensor.tensor.values[$0] },
                        lowCode: i(s.qmin), highCode: i(s.qmax), zeroCode: symmetric ? "Z = 0" : "Z = \(i(whole(zero)))",
                        cursorCode: "q = \(i(code))",
                        code: { level in "q \(i(whole((level / scale + zero).rounded(.toNearestOrEven))))" })
        let header = groupHeader(c, data)
        return Explanation(header: header, seedNote: seedNote(s), axis: axis, rangeRows: rangeRows, formulas: formulas,
                           errorRow: errorRow(c, xhat: xhat, clipped: clipped, unit: ("S", scale), bound: "≤ S/2 unless clipped"),
                           problems: problems,
                           checked: "checked: the same as the engine's scales[\(g)], zero_points[\(g)], code and x̂",
                           unit: ("S", scale), clipped: clipped)
    }

    /// One line saying how a quantscope scheme differs from the seed's
    /// (docs/contract.md §10), naming the seed's variant; nil where they agree.
    static func seedNote(_ s: IntegerScheme) -> String? {
        switch s.mode {
        case .symmetric:
            return "≠ seed: \(i(s.qmin))…\(i(s.qmax)), \(i(s.qmin - 1)) unused so the grid is symmetric; seed's: int\(s.bits)-full"
        case .asymmetric:
            return "≠ seed: range stretched to hold 0 (as PyTorch does); seed's: int\(s.bits)-asym-exact"
        case .unsigned, .full, .asymmetricExact:
            return nil
        }
    }
}
