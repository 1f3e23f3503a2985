import QuantEngine

/// View 6: what quantization costs and buys in a real matrix multiply.
///
/// ```
///  Y = X·Wᵀ · W 384×1536 (this layer) · X 8 tokens × 1536: gaussian…, outlier columns 331×45 … · t: activations
///  W8A8 for y[0, 17], step by step (int8 × int8 → int32):
///    k        … 1021  1022  1023 …
///    q_w        -12    33    -4          weight row 17, per-channel S_w = 0.0012
///    q_x         15    -2     0          token 0, per-token S_x = 0.031
///    q_w·q_x   -180   -66     0
///    acc = Σ q_w·q_x = 123456 (int32; a product fits 14 bits, 1536 of them 25)
///    y = acc · S_w · S_x = 123456 · 0.0012 · 0.031 = 4.59    float32: 4.61   error −0.02
///  kernel  SQNR dB  cosine   max |e|     ms  × f32   error y − y_f32
///  w8a8       23.7  0.9979     1.79   0.12   0.50   ▁▂▅█▅▂▁
/// ```
enum MatmulView {
    static func render(_ c: ViewContext, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme
        guard c.tensor.shape.count == 2 else {
            buffer.put(Format.fit("the Matmul view multiplies by a 2-D weight [out, in]; this tensor is \(Format.shape(c.tensor.shape))", rect.width),
                       x: rect.x, y: rect.y, style: theme.muted)
            return
        }
        guard let m = c.state.matmul else {
            let text = c.state.matmulComputing ? "running every kernel on this layer…" : "press 6 again (or t) to run the kernels"
            buffer.put(Format.fit(text, rect.width), x: rect.x, y: rect.y, style: theme.muted)
            return
        }
        var y = rect.y
        let header = "Y = X·Wᵀ · W \(m.n)×\(m.k) this layer · X \(m.tokens)×\(m.k) \(c.state.matmulChoice.rawValue) (t) · \(m.activationsLabel)"
        buffer.put(Format.fit(header, rect.width), x: rect.x, y: y, style: theme.heading)
        y += 1
        y = stepByStep(c, m, Rect(x: rect.x, y: y, width: rect.width, height: rect.maxY - y), &buffer)
        y += 1
        table(c, m, Rect(x: rect.x, y: y, width: rect.width, height: rect.maxY - y), &buffer)
    }

    /// The W8A8 path for one output: the cursor's row is the output channel,
    /// token 0 the input; a window of k around the cursor's column.
    static func stepByStep(_ c: ViewContext, _ m: MatmulAnalysis, _ rect: Rect, _ buffer: inout CellBuffer) -> Int {
        let theme = c.theme
        let channel = min(c.rowColumn.row, m.n - 1), column = min(c.rowColumn.column, m.k - 1)
        let trace = Int8AccumulatorTrace(activations: m.activations8, weights: m.weights8, token: 0, channel: channel)
        var y = rect.y
        buffer.put(Format.fit("W8A8 for y[0, \(channel)], step by step: int8 weights (row \(channel)) × int8 activations (token 0) → int32", rect.width),
                   x: rect.x, y: y, style: theme.text)
        y += 1
        let cellWidth = 7, labelWidth = 9
        let shown = max(1, min(m.k, (rect.width - labelWidth - 2) / cellWidth))
        let first = min(max(0, column - shown / 2), max(0, m.k - shown))
        let ks = Array(first..<min(m.k, first + shown))
        func row(_ label: String, _ values: [String], style: Style) {
            guard y < rect.maxY else { return }
            var x = buffer.put(Format.fit(label, labelWidth), x: rect.x, y: y, style: theme.muted)
            for (i, v) in values.enumerated() {
                let isCursor = ks[i] == column
                x = buffer.put(Format.fit(v, cellWidth, alignRight: true), x: x, y: y, style: isCursor ? theme.selected : style)
            }
            y += 1
        }
        row("k", ks.map(String.init), style: theme.muted)
        row("q_w", ks.map { Format.integer(Int(trace.weightCodes[$0])) }, style: theme.text)
        row("q_x", ks.map { Format.integer(Int(trace.activationCodes[$0])) }, style: theme.text)
        row("q_w·q_x", ks.map { Format.integer(Int(trace.products[$0])) }, style: theme.accent)
        let bound = m.k * 127 * 127
        let lines: [(String, Style)] = [
            ("acc = Σ over \(Format.grouped(m.k)) k of q_w·q_x = \(Format.grouped(Int(trace.accumulator)))   (int32: |acc| ≤ \(Format.grouped(m.k))·127·127 = \(Format.grouped(bound)), no overflow)", theme.text),
            ("y = acc · S_w · S_x = \(Format.grouped(Int(trace.accumulator))) · \(Format.number(trace.weightScale)) · \(Format.number(trace.activationScale)) = \(Format.number(trace.output, digits: 5))", theme.text),
            ("float32 y = \(Format.number(m.reference[channel], digits: 5)) · error \(Format.number(trace.output - m.reference[channel], digits: 3)) (rounding of both operands)", theme.heading),
        ]
        for (text, style) in lines where y < rect.maxY {
            buffer.put(Format.fit(text, rect.width), x: rect.x, y: y, style: style)
            y += 1
        }
        return y
    }

    /// Every kernel's error against float32, its speed on this layer, and its error histogram.
    static func table(_ c: ViewContext, _ m: MatmulAnalysis, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme
        guard rect.height >= 2 else { return }
        let columns = Format.fit("kernel", 7) + Format.fit("SQNR dB", 10, alignRight: true) + Format.fit("cosine", 9, alignRight: true)
            + Format.fit("max |e|", 11, alignRight: true) + Format.fit("ms", 10, alignRight: true) + Format.fit("× f32", 7, alignRight: true) + "  "
        let sparkWidth = max(0, rect.width - CellBuffer.width(of: columns))
        buffer.put(Format.fit(columns + (sparkWidth > 8 ? "error y − y_f32" : ""), rect.width), x: rect.x, y: rect.y, style: theme.heading)
        var y = rect.y + 1
        for r in m.results where y < rect.maxY {
            let ratio = m.f32Milliseconds > 0 ? r.milliseconds / m.f32Milliseconds : 0
            let finite = r.metrics.isFinite
            let text = Format.fit(r.kernel.name + (r.kernel.isEmulated ? "*" : ""), 7) + Format.fit(finite ? sqnr(r.metrics.sqnrDecibels) : "not finite", 10, alignRight: true)
                + Format.fit(finite ? r.metrics.cosine.map { Format.number($0, digits: 5) } ?? "—" : "—", 9, alignRight: true)
                + Format.fit(finite ? Format.number(r.metrics.maxAbsError, digits: 3) : "—", 11, alignRight: true)
                + Format.fit(Format.number(r.milliseconds, digits: 3), 10, alignRight: true)
                + Format.fit(Format.number(ratio, digits: 2), 7, alignRight: true) + "  "
            let x = buffer.put(Format.fit(text, min(CellBuffer.width(of: columns), rect.width)), x: rect.x, y: y, style: theme.text)
            if sparkWidth > 8, !finite {
                // docs/contract.md §6: say how many outputs have no error to draw.
                let note = "\(Format.grouped(r.metrics.nonfiniteOutput)) of \(Format.grouped(r.metrics.finite)) outputs ±inf/NaN"
                buffer.put(Format.fit(note, sparkWidth - 1), x: x, y: y, style: theme.warning)
            } else if sparkWidth > 8 {
                let values = r.errorHistogram.rebinned(sparkWidth - 1)
                Bars.draw(values, in: Rect(x: x, y: y, width: sparkWidth - 1, height: 1), log: c.state.logScale, into: &buffer) { _ in theme.bar }
            }
            y += 1
        }
        if y < rect.maxY {
            let text = Format.fit("f32", 7) + Format.fit("—", 10, alignRight: true) + Format.fit("—", 9, alignRight: true)
                + Format.fit("—", 11, alignRight: true) + Format.fit(Format.number(m.f32Milliseconds, digits: 3), 10, alignRight: true)
                + Format.fit("1", 7, alignRight: true)
            buffer.put(Format.fit(text, rect.width), x: rect.x, y: y, style: theme.muted)
            y += 1
        }
        if y < rect.maxY {
            // docs/contract.md §7, §10: FP8 times are an emulation; the seed's "A8W8" is FP8, this w8a8 int8.
            buffer.put(Format.fit("* \(MatmulKernel.emulationNote) · ≠ seed: A8W8 = fp8 here; w8a8 is int8", rect.width),
                       x: rect.x, y: y, style: theme.muted)
            y += 1
        }
        if y < rect.maxY {
            buffer.put(Format.fit("times on this layer include quantizing the activations; `quantscope bench` has the 4096² figures", rect.width),
                       x: rect.x, y: y, style: theme.muted)
            y += 1
        }
        // With room to spare: the step-by-step kernel's errors over all outputs, large.
        let area = Rect(x: rect.x, y: y + 1, width: rect.width, height: rect.maxY - y - 1)
        if area.height >= 6, let w8a8 = m.results.first(where: { $0.kernel.name == "w8a8" }) {
            buffer.put(Format.fit("w8a8: y − y_f32 over all \(Format.grouped(m.tokens * m.n)) outputs (\(m.tokens) tokens × \(m.n) channels)", area.width),
                       x: area.x, y: area.y, style: theme.heading)
            let bars = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 2)
            Bars.draw(w8a8.errorHistogram.rebinned(bars.width), in: bars, log: c.state.logScale, into: &buffer) { _ in theme.bar }
            let h = w8a8.errorHistogram
            if h.nonfinite > 0 {
                let note = "\(Format.grouped(h.nonfinite)) not finite, left out"
                buffer.put(Format.fit(note, area.width), x: area.x, y: area.y + 1, style: theme.warning)
            }
            let left = Format.number(h.lower), right = Format.number(h.upper)
            buffer.put(left, x: area.x, y: area.maxY - 1, style: theme.muted)
            buffer.put("0", x: area.x + area.width / 2, y: area.maxY - 1, style: theme.muted)
            buffer.put(right, x: area.maxX - CellBuffer.width(of: right), y: area.maxY - 1, style: theme.muted)
        }
    }

    /// An infinite SQNR is an exact result (docs/contract.md §6); callers
    /// check `isFinite` first, so a NaN never reaches here.
    static func sqnr(_ db: Double) -> String { db.isInfinite ? "inf" : Format.number(db, digits: 3) }
}
