import QuantEngine

/// The Mapping view's arithmetic: for the cursor's element, every formula of
/// its scheme written out with the group's real numbers (docs/contract.md §1, §3, §4).
///
/// The group's range is rebuilt here from the data of its elements exactly as
/// docs/contract.md defines it, and the scale, zero-point, code and x̂ that come out
/// are compared with what the engine stored; a difference is listed in
/// `problems` (it would be an engine bug) and the engine's numbers are the
/// ones used from there on.
extension MappingView {
    /// The explanation for the cursor's element under the current scheme.
    static func explain(_ c: ViewContext) -> Explanation {
        switch c.quantized.scheme {
        case .integer(let s): return integer(c, s)
        case .float(let f): return float(c, format: f, microscaling: false)
        case .microscaling(let f): return float(c, format: f, microscaling: true)
        case .nf4: return levelTable(c, name: "nf4")
        case .bnbFP4: return levelTable(c, name: "fp4")
        case .gguf(let b): return gguf(c, b)
        }
    }

    // MARK: The group and its range

    /// The group's finite range holding 0 (docs/contract.md §1: vmin = min(min x, 0),
    /// vmax = max(max x, 0)), its extent, and the elements that set it —
    /// from the group's summary, so a frame never walks the group.
    struct GroupData {
        var count: Int
        var first: Int
        var last: Int
        var low: Float
        var high: Float
        var amax: Float { max(-low, high) }
        var setters: [Int]
    }

    static func groupData(_ c: ViewContext) -> GroupData {
        let s = c.summary
        return GroupData(count: s.count, first: s.first, last: s.last, low: s.low, high: s.high,
                         setters: s.setters(scheme: c.quantized.scheme))
    }

    /// `group 17 of 48 · row 17 (channel:0) · 96 elements`.
    static func groupHeader(_ c: ViewContext, _ data: GroupData) -> String {
        let q = c.quantized, layout = q.layout
        let count = Format.grouped(data.count)
        let first = data.first, last = data.last
        let columns = c.tensor.columns
        func cell(_ i: Int) -> (Int, Int) { columns > 0 ? (i / columns, i % columns) : (0, i) }
        let what: String
        switch layout.granularity {
        case .tensor:
            return "\(q.scheme) tensor · one group: all \(count) elements share its scale"
        case .channel(let axis):
            if axis == 0 && c.tensor.shape.count >= 2 {
                what = "channel \(c.group) = row \(c.group)"
            } else {
                what = "channel \(c.group) along axis \(axis)"
            }
        case .group(let size):
            if layout.shape.count >= 2 {
                let (r, c0) = cell(first), (_, c1) = cell(last)
                what = "row \(r), columns \(c0)…\(c1)"
            } else if layout.shape.count == 1 && c.tensor.shape.count >= 2 {
                what = "flat elements \(first)…\(last)"
            } else {
                what = "elements \(first)…\(last)"
            }
        case .block:
            let (r0, c0) = cell(first), (r1, c1) = cell(last)
            what = "tile rows \(r0)…\(r1) × columns \(c0)…\(c1)"
        }
        return "\(q.scheme) \(layout.granularity) · group \(Format.grouped(c.group)) of \(Format.grouped(q.scales.count)) = \(what) · \(count) elements"
    }

    /// `◆ (17, 61) = 0.4171 is the cursor ●` or `◆ (17, 61) = 0.4171, not the cursor`.
    static func setterNote(_ c: ViewContext, _ index: Int?) -> [Span] {
        guard let index else { return [("  (every x of the group is 0)", c.theme.muted)] }
        let label = "\(elementLabel(c, index)) = \(n(c.tensor.tensor.values[index]))"
        if index == c.index && c.probe == nil { return [("  ◆ \(label) ", c.theme.rangeSetter), ("is the cursor ●", c.theme.selected)] }
        return [("  ◆ \(label)", c.theme.rangeSetter), (", not the cursor", c.theme.muted)]
    }

    static func elementLabel(_ c: ViewContext, _ index: Int) -> String {
        let columns = c.tensor.columns
        return c.tensor.shape.count >= 2 && columns > 0 ? "(\(index / columns), \(index % columns))" : "[\(index)]"
    }

    static func n(_ v: Float) -> String { Format.number(v) }
    /// An integral Float as Int, with NaN and huge values kept from trapping.
    static func whole(_ v: Float) -> Int { Int(saturating: v, within: -1_000_000_000...1_000_000_000) }
    static func p(_ v: Float) -> String { Format.parenthesized(Format.number(v)) }
    static func i(_ v: Int) -> String { Format.integer(v) }
    static func pi(_ v: Int) -> String { Format.parenthesized(Format.integer(v)) }
    /// A value about to be rounded: two decimals, so the rounding shows.
    static func fraction(_ v: Float) -> String {
        guard v.isFinite else { return n(v) }
        if abs(v) >= 1e5 { return n(v) }
        let text = String(format: "%.2f", Double(v))
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }

    /// `clip 0.5 · ` when a clip is set.
    static func clipPrefix(_ clip: Float) -> String { clip < 1 ? "\(Format.number(clip, digits: 2)) · " : "" }

    /// The error line: x̂ − x, in units of the step where the grid is uniform.
    static func errorRow(_ c: ViewContext, xhat: Float, clipped: Bool, unit: (name: String, value: Float)?, bound: String?) -> [Span] {
        let x = c.x
        guard x.isFinite else {
            return [("error: x is \(n(x)); it is left out of the range and of every metric", c.theme.warning)]
        }
        guard xhat.isFinite else {
            // docs/contract.md §4, §6: a d that overflowed Float16 gives an x̂ with no error size.
            return [("error: x̂ is \(n(xhat)), not finite (the scale overflowed); left out of the metrics", c.theme.warning)]
        }
        let e = Double(xhat) - Double(x)
        var text = "error = x̂ − x = \(Format.number(e))"
        if let unit, unit.value > 0, unit.value.isFinite {
            let inUnits = e / Double(unit.value)
            text += " = " + (inUnits >= 0 ? "+" : "") + Format.number(inUnits, digits: 2) + " \(unit.name)"
        } else if x != 0 {
            let relative = e / Double(abs(x)) * 100
            text += " = " + (relative >= 0 ? "+" : "") + Format.number(relative, digits: 3) + "% of |x|"
        }
        var spans: [Span] = [(text, c.theme.text)]
        if clipped {
            spans.append(("   ▲ clipped (beyond the grid)", c.theme.clipped))
        } else if let bound {
            spans.append(("   (\(bound))", c.theme.muted))
        }
        return spans
    }

}
