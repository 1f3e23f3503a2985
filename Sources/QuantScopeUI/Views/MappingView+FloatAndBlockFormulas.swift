import QuantEngine

/// The Mapping view's arithmetic for float formats with a scale, MX, NF4/FP4
/// and GGUF blocks (docs/contract.md §3, §4); see `MappingView+Formulas.swift`.
extension MappingView {
    // MARK: Float formats with a scale (docs/contract.md §3) and Microscaling (docs/contract.md §4)

    static func float(_ c: ViewContext, format f: FloatFormat, microscaling: Bool) -> Explanation {
        let q = c.quantized, g = c.group, theme = c.theme
        let data = groupData(c)
        let clip = q.clip
        let amax = data.amax * clip
        var problems: [String] = []
        var formulas: [Formula] = []
        var rangeRows: [[Span]] = []

        var row: [Span] = [("amax = \(clipPrefix(clip))max|x| = ", theme.text),
                           (clip < 1 ? "\(n(clip)) · \(n(data.amax)) = \(n(amax))" : n(amax), theme.text)]
        row += setterNote(c, data.setters.first)
        rangeRows.append(row)

        let scale = q.scales[g]
        var mine: Float
        if microscaling {
            let emax = f.maxExponent
            var k = 0
            if amax > 0 && amax.isFinite {
                k = min(max(Int(amax.exponent) - emax, -127), 127)
                mine = Float(sign: .plus, exponent: k, significand: 1)
            } else {
                mine = 1
            }
            let e8m0 = FloatBitBreakdown(value: scale, format: .e8m0)
            let floorLog = amax > 0 && amax.isFinite ? Int(amax.exponent) : 0
            formulas.append(Formula(name: "S", symbolic: "2^(floor(log2 amax) − emax)   (E8M0: a power of two)",
                                    numeric: "2^(floor(log2 \(n(amax))) − \(emax)) = 2^(\(i(floorLog)) − \(emax)) = 2^\(i(k))",
                                    result: n(scale), resultStyle: theme.heading, note: "E8M0 \(e8m0.hex)"))
            let top = amax / scale
            rangeRows.append([("\(f.name) elements (max \(n(f.maxFinite)), emax \(emax)) · amax / S = \(n(top))", theme.muted)]
                             + (top > f.maxFinite ? [(" > \(n(f.maxFinite)): saturates", theme.clipped)] : []))
        } else {
            mine = amax / f.maxFinite
            if !(mine > 0 && mine.isFinite) { mine = 1 }
            formulas.append(Formula(name: "S", symbolic: "amax / maxfinite   (\(f.name) max finite = \(n(f.maxFinite)))",
                                    numeric: "\(n(amax)) / \(n(f.maxFinite))", result: n(scale), resultStyle: theme.heading))
            rangeRows.append([("\(f.name) codes are floats (1 sign, \(f.exponentBits) exponent, \(f.mantissaBits) mantissa bits); Z = 0", theme.muted)])
        }
        if mine != scale {
            problems.append("S from the formula is \(Format.number(mine, digits: 7)) but the engine stored scales[\(g)] = \(Format.number(scale, digits: 7))")
        }

        let x = c.x
        let scaled = x / scale
        let code = c.rawCode
        let broken = FloatBitBreakdown(code: code, value: scaled, format: f)
        let saturated = scaled.isFinite && abs(scaled) > f.maxFinite
        formulas.append(Formula(name: "x / S", symbolic: "what is encoded", numeric: "\(n(x)) / \(n(scale))",
                                result: n(scaled), resultStyle: theme.text))
        var codeFormula = Formula(name: "code", symbolic: "encode_saturate(x / S)   (nearest \(f.name), ties to even)",
                                  numeric: "\(broken.bitString) = \(n(broken.decoded))" + (saturated ? " (|x / S| > \(n(f.maxFinite)))" : ""),
                                  result: broken.hex, resultStyle: saturated ? theme.clipped : theme.selected)
        if saturated { codeFormula.note = scaled > 0 ? "▲ saturated" : "▼ saturated" }
        formulas.append(codeFormula)
        let mineCode = f.encode(scaled, mode: .saturate)
        if x.isFinite && mineCode != code {
            problems.append("encode(x / S) is \(FloatBitBreakdown(code: mineCode, format: f).hex) but the engine's code is \(broken.hex)")
        }
        let xhat = broken.decoded * scale
        formulas.append(Formula(name: "x̂", symbolic: "decode(code) · S", numeric: "\(n(broken.decoded)) · \(n(scale))",
                                result: n(xhat), resultStyle: theme.selected))
        if xhat != c.dequantized && !(xhat.isNaN && c.dequantized.isNaN) {
            problems.append("x̂ from the formula is \(Format.number(xhat, digits: 7)) but the engine's is \(Format.number(c.dequantized, digits: 7))")
        }

        let levels = q.levels(group: g)
        let axis = Axis(levels: levels, low: -data.amax, high: data.amax, setters: data.setters.map { c.tensor.tensor.values[$0] },
                        lowCode: n(-f.maxFinite), highCode: n(f.maxFinite), zeroCode: "0x00",
                        cursorCode: "\(broken.hex) = \(n(broken.decoded))",
                        code: { level in FloatBitBreakdown(value: level / scale, format: f).hex })
        let header = groupHeader(c, data)
        return Explanation(header: header, axis: axis, rangeRows: rangeRows, formulas: formulas,
                           errorRow: errorRow(c, xhat: xhat, clipped: saturated, unit: nil, bound: "≤ half the gap around x"),
                           problems: problems,
                           checked: "checked: the same as the engine's scales[\(g)], code and x̂", unit: nil, clipped: saturated)
    }

    // MARK: bitsandbytes NF4 / FP4 (docs/contract.md §4)

    /// bitsandbytes' FP4 magnitudes by code (bnb's table divided by 12).
    static let bnbFP4Magnitudes: [Float] = [0, 0.0625, 8, 12, 4, 6, 2, 3].map { Float($0) / Float(12) }

    static func levelTable(_ c: ViewContext, name: String) -> Explanation {
        let q = c.quantized, g = c.group, theme = c.theme
        let data = groupData(c)
        let clip = q.clip
        var problems: [String] = []
        var mine = data.amax * clip
        if !(mine > 0 && mine.isFinite) { mine = 1 }
        let absmax = q.scales[g]
        if mine != absmax {
            problems.append("absmax from the data is \(Format.number(mine, digits: 7)) but the engine stored scales[\(g)] = \(Format.number(absmax, digits: 7))")
        }
        var row: [Span] = [("absmax = \(clipPrefix(clip))max|x| = ", theme.text),
                           (clip < 1 ? "\(n(clip)) · \(n(data.amax)) = \(n(absmax))" : n(absmax), theme.text)]
        row += setterNote(c, data.setters.first)
        let isNF4 = name == "nf4"
        let note = isNF4 ? "nf4: 16 fixed levels in [−1, 1] (normal quantiles), code = level index"
                         : "fp4 (bitsandbytes): sign + 8 magnitudes in [0, 1], code = sign·8 + index"
        // The grid of a unit absmax, and the cursor's level on it.
        var unitCopy = q
        unitCopy.scales[g] = 1
        let unitLevels = unitCopy.levels(group: g)
        let code = Int(c.rawCode)
        let level: Float = isNF4 ? (code < unitLevels.count ? unitLevels[code] : 0)
                                 : (code & 8 != 0 ? -1 : 1) * bnbFP4Magnitudes[code & 7]
        let x = c.x
        let normalized = x / absmax
        var formulas: [Formula] = []
        formulas.append(Formula(name: "n", symbolic: "x / absmax", numeric: "\(n(x)) / \(n(absmax))", result: n(normalized), resultStyle: theme.text))
        // The levels either side of n.
        let below = unitLevels.last { $0 <= normalized }, above = unitLevels.first { $0 >= normalized }
        var between = ""
        if let below, let above, below != above {
            between = "between \(n(below)) and \(n(above)): nearer \(n(level))"
        } else {
            between = "on the level \(n(level))"
        }
        func codeText(_ k: Int) -> String {
            let bits = String(k, radix: 2)
            return isNF4 ? "code \(k)" : "code " + String(repeating: "0", count: max(0, 4 - bits.count)) + bits
        }
        formulas.append(Formula(name: "code", symbolic: "index of the \(name) level nearest to n", numeric: between,
                                result: codeText(code), resultStyle: theme.selected))
        let xhat = level * absmax
        formulas.append(Formula(name: "x̂", symbolic: "level · absmax", numeric: "\(n(level)) · \(n(absmax))", result: n(xhat), resultStyle: theme.selected))
        if xhat != c.dequantized {
            problems.append("x̂ from the level is \(Format.number(xhat, digits: 7)) but the engine's is \(Format.number(c.dequantized, digits: 7))")
        }
        let levels = q.levels(group: g)
        let axis = Axis(levels: levels, low: -data.amax, high: data.amax, setters: data.setters.map { c.tensor.tensor.values[$0] },
                        lowCode: "−1", highCode: "1", zeroCode: isNF4 ? "code 7" : "code 0000", cursorCode: codeText(code),
                        code: { lv in
                            let u = lv / absmax
                            if isNF4 { return "code \(unitLevels.firstIndex { abs($0 - u) < 1e-6 } ?? 0)" }
                            let k = bnbFP4Magnitudes.firstIndex { abs($0 - abs(u)) < 1e-6 } ?? 0
                            return codeText((u < 0 ? 8 : 0) | k)
                        })
        return Explanation(header: groupHeader(c, data), axis: axis,
                           rangeRows: [row, [(note, theme.muted)]], formulas: formulas,
                           errorRow: errorRow(c, xhat: xhat, clipped: abs(normalized) > 1 + 1e-6, unit: nil, bound: "≤ half the gap around x"),
                           problems: problems, checked: "checked: the same as the engine's scales[\(g)] (absmax), code and x̂", unit: nil,
                           clipped: abs(normalized) > 1 + 1e-6)
    }

    // MARK: GGUF blocks (docs/contract.md §4, llama.cpp's quantize_row_*_ref)

    static func gguf(_ c: ViewContext, _ b: GGUFBlockScheme) -> Explanation {
        if b.isKQuant { return kQuant(c, b) }
        let q = c.quantized, g = c.group, theme = c.theme
        let data = groupData(c)
        let xs = c.tensor.tensor.values
        // llama.cpp replaces nothing: the block's values as the quantizer saw them (non-finite → 0).
        // A GGUF block holds 32 values, so reading them costs a frame nothing.
        var values: [Float] = []
        if data.count <= GroupSummary.onDemandLimit {
            q.layout.forEachRun(ofGroup: g) { run in values += run.map { xs[$0].isFinite ? xs[$0] : 0 } }
        }
        var problems: [String] = []
        var formulas: [Formula] = []
        var rangeRows: [[Span]] = []
        let x = c.x.isFinite ? c.x : 0
        let code = c.code
        let stored = q.scales[g]
        let half: (Float) -> Float = { Float(Float16($0)) }
        var mineCode = code
        var xhat: Float
        var zeroCode = "—"
        var mine: Float
        var unit: (String, Float)?
        var clipped = false
        switch b {
        case .q4_0, .q5_0:
            let levels: Float = b == .q4_0 ? 8 : 16, top = b == .q4_0 ? 15 : 31
            var amax: Float = 0, signedMax: Float = 0
            for v in values where abs(v) > amax { amax = abs(v); signedMax = v }
            let d = signedMax / -levels
            let id: Float = d == 0 ? 0 : 1 / d
            mine = half(d)
            rangeRows.append([("max = the x of largest |x| = \(n(signedMax))", theme.text)] + setterNote(c, data.setters.first))
            rangeRows.append([("\(b.rawValue): d = max / −\(Int(levels)) (fp16), 0 ≤ q ≤ \(top), x̂ = d·(q − \(Int(levels)))" + (d < 0 ? " · d < 0: q 0 is the top" : ""), theme.muted)])
            formulas.append(Formula(name: "d", symbolic: "max / −\(Int(levels))   (stored as fp16)",
                                    numeric: "\(n(signedMax)) / −\(Int(levels)) = \(Format.number(d, digits: 6)) → fp16", result: n(stored), resultStyle: theme.heading))
            let t = x * id + (levels + 0.5)
            mineCode = whole(min(max(t.rounded(.towardZero), 0), Float(top)))
            clipped = t.rounded(.towardZero) > Float(top)
            formulas.append(Formula(name: "q", symbolic: "trunc(x / d + \(Int(levels)).5), clamped to [0, \(top)]",
                                    numeric: "trunc(\(n(x)) / \(p(d)) + \(Int(levels)).5) = trunc(\(fraction(t)))" + (clipped ? " > \(top)" : ""),
                                    result: i(code), resultStyle: clipped ? theme.clipped : theme.selected, note: clipped ? "clamped to \(top)" : ""))
            xhat = stored * Float(code - Int(levels))
            formulas.append(Formula(name: "x̂", symbolic: "d · (q − \(Int(levels)))", numeric: "\(n(stored)) · (\(i(code)) − \(Int(levels)))",
                                    result: n(xhat), resultStyle: theme.selected))
            zeroCode = "q \(Int(levels))"
            unit = ("|d|", abs(stored))
        case .q4_1, .q5_1:
            let top: Float = b == .q4_1 ? 15 : 31
            var lo = values.first ?? 0, hi = values.first ?? 0
            for v in values { lo = min(lo, v); hi = max(hi, v) }
            let d = (hi - lo) / top
            let id: Float = d == 0 ? 0 : 1 / d
            mine = half(d)
            let m = q.mins?[g] ?? 0
            if half(lo) != m { problems.append("m = fp16(min) is \(Format.number(half(lo), digits: 7)) but the engine stored mins[\(g)] = \(Format.number(m, digits: 7))") }
            let lowSetter = data.setters.first { xs[$0] == lo }, highSetter = data.setters.last { xs[$0] == hi }
            rangeRows.append([("min = \(n(lo))", theme.text)] + setterNote(c, lowSetter))
            rangeRows.append([("max = \(n(hi))", theme.text)] + setterNote(c, highSetter))
            formulas.append(Formula(name: "d", symbolic: "(max − min) / \(Int(top))   (stored as fp16)",
                                    numeric: "(\(n(hi)) − \(p(lo))) / \(Int(top)) = \(Format.number(d, digits: 6)) → fp16", result: n(stored), resultStyle: theme.heading))
            formulas.append(Formula(name: "m", symbolic: "min   (stored as fp16)", numeric: nil, result: n(m), resultStyle: theme.heading))
            let t = (x - lo) * id + 0.5
            mineCode = whole(min(max(t.rounded(.towardZero), 0), top))
            formulas.append(Formula(name: "q", symbolic: "trunc((x − min) / d + 0.5), clamped to [0, \(Int(top))]",
                                    numeric: "trunc((\(n(x)) − \(p(lo))) / \(n(d)) + 0.5) = trunc(\(fraction(t)))", result: i(code), resultStyle: theme.selected))
            xhat = stored * Float(code) + m
            formulas.append(Formula(name: "x̂", symbolic: "d · q + m", numeric: "\(n(stored)) · \(pi(code)) + \(p(m))", result: n(xhat), resultStyle: theme.selected))
            unit = ("d", stored)
        case .q8_0:
            var amax: Float = 0
            for v in values { amax = max(amax, abs(v)) }
            let d = amax / 127
            let id: Float = d == 0 ? 0 : 1 / d
            mine = half(d)
            rangeRows.append([("amax = max|x| = \(n(amax))", theme.text)] + setterNote(c, data.setters.first))
            rangeRows.append([("q8_0: d = amax / 127 as fp16, −127 ≤ q ≤ 127 (int8), x̂ = d·q", theme.muted)])
            formulas.append(Formula(name: "d", symbolic: "amax / 127   (stored as fp16)",
                                    numeric: "\(n(amax)) / 127 = \(Format.number(d, digits: 6)) → fp16", result: n(stored), resultStyle: theme.heading))
            let t = x * id
            mineCode = whole(t.rounded(.toNearestOrAwayFromZero))
            formulas.append(Formula(name: "q", symbolic: "round(x / d)   (halves away from 0)",
                                    numeric: "round(\(n(x)) / \(n(d))) = round(\(fraction(t)))", result: i(code), resultStyle: theme.selected))
            xhat = stored * Float(code)
            formulas.append(Formula(name: "x̂", symbolic: "d · q", numeric: "\(n(stored)) · \(pi(code))", result: n(xhat), resultStyle: theme.selected))
            zeroCode = "q 0"
            unit = ("d", stored)
        case .q2_k, .q3_k, .q4_k, .q5_k, .q6_k:
            preconditionFailure("K-quants are explained by kQuant")
        }
        if mine != stored && !(mine == 0 && stored == 0) {
            problems.append("fp16(d) from the formula is \(Format.number(mine, digits: 7)) but the engine stored scales[\(g)] = \(Format.number(stored, digits: 7))")
        }
        if c.x.isFinite && mineCode != code { problems.append("q from the formula is \(i(mineCode)) but the engine's code is \(i(code))") }
        if xhat != c.dequantized { problems.append("x̂ from the formula is \(Format.number(xhat, digits: 7)) but the engine's is \(Format.number(c.dequantized, digits: 7))") }

        let levels = q.levels(group: g)
        let m = q.mins?[g] ?? 0
        let codeOf: (Float) -> String = { level in
            guard stored != 0 else { return "q 0" }
            switch b {
            case .q4_0: return "q \(whole((level / stored).rounded()) + 8)"
            case .q5_0: return "q \(whole((level / stored).rounded()) + 16)"
            case .q4_1, .q5_1: return "q \(whole(((level - m) / stored).rounded()))"
            case .q8_0: return "q \(i(whole((level / stored).rounded())))"
            case .q2_k, .q3_k, .q4_k, .q5_k, .q6_k: return ""
            }
        }
        let lowCode = levels.first.map(codeOf) ?? "", highCode = levels.last.map(codeOf) ?? ""
        let axis = Axis(levels: levels, low: data.low, high: data.high, setters: data.setters.map { xs[$0] },
                        lowCode: lowCode, highCode: highCode, zeroCode: levels.contains(0) ? (zeroCode == "—" ? codeOf(0) : zeroCode) : "",
                        cursorCode: "q = \(i(code))", code: codeOf)
        return Explanation(header: groupHeader(c, data), axis: axis, rangeRows: rangeRows, formulas: formulas,
                           errorRow: errorRow(c, xhat: xhat, clipped: clipped, unit: unit, bound: "≤ |d|/2 unless clamped"),
                           problems: problems, checked: "checked: the same as the engine's scales[\(g)] (d as fp16), code and x̂", unit: unit, clipped: clipped)
    }
}
