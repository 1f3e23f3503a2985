/// Renders the whole explorer for a state into a cell buffer: pure, so
/// every screen is testable without a terminal.
public enum ScreenRenderer {
    /// - Parameter ascii: draw ASCII only (a terminal whose locale is not UTF-8).
    public static func render(_ state: AppState, theme: Theme, ascii: Bool = false) -> CellBuffer {
        var buffer = CellBuffer(width: state.width, height: state.height, ascii: ascii)
        if state.isTooSmall {
            Chrome.tooSmall(state, theme, &buffer)
            return buffer
        }
        let layout = Layout(state: state)
        Chrome.topBar(state, layout.topBar, theme, &buffer)
        if let rect = layout.browser { BrowserView.render(state, rect, theme, &buffer) }
        if let rect = layout.tourPanel { TourPanel.render(state, rect, theme, &buffer) }
        if layout.tabs.height > 0 { Chrome.tabs(state, layout, theme, &buffer) }
        if state.tour?.current.panel == .footprint, let area = layout.views.first {
            let inner = Box.draw(area, title: "The open model in each format", focused: false, theme: theme, into: &buffer)
            FootprintPanel.render(state, inner, theme, &buffer)
        } else if state.tour?.current.panel == .qat, let first = layout.views.first, let last = layout.views.last {
            let area = Rect(x: first.x, y: first.y, width: last.maxX - first.x, height: first.height)
            let c = state.qat?.configuration ?? state.qatConfiguration
            let title = "PTQ vs QAT · spirals-3 · MLP \(c.sizes.map(String.init).joined(separator: "→")) · weights intB per channel"
            let inner = Box.draw(area, title: title, focused: false, theme: theme, into: &buffer)
            QATView.render(state, inner, theme, &buffer)
        } else if state.showsCompare, let first = layout.views.first, let last = layout.views.last {
            // Compare mode takes the whole view area: one histogram, both grids.
            let area = Rect(x: first.x, y: first.y, width: last.maxX - first.x, height: first.height)
            let inner = Box.draw(area, title: "Compare · A live, B pinned · C closes · X swaps", focused: state.focus == .view, theme: theme, into: &buffer)
            if inner.width > 0, inner.height > 0 { renderCompare(state, inner, theme, &buffer) }
        } else {
            let views = layout.views.count > 1 ? [state.view, state.view.companion] : [state.view]
            for (view, rect) in zip(views, layout.views) {
                renderView(view, state: state, rect: rect, theme: theme, focused: state.focus == .view && view == state.view, into: &buffer)
            }
        }
        if layout.summary.height > 0 { Chrome.summary(state, layout.summary, theme, &buffer) }
        Chrome.statusBar(state, layout.statusBar, theme, &buffer)
        if state.showHelp { HelpOverlay.render(state, theme, &buffer) }
        return buffer
    }

    static func renderView(_ view: ViewKind, state: AppState, rect: Rect, theme: Theme, focused: Bool, into buffer: inout CellBuffer) {
        let inner = Box.draw(rect, title: "\(view.rawValue) \(view.title)", focused: focused, theme: theme, into: &buffer)
        guard inner.width > 0, inner.height > 0 else { return }
        // The whole-model views read their own results, not the open tensor's analysis.
        if view == .model { ModelView.render(state, inner, theme, &buffer); return }
        if view == .sweep { SweepView.render(state, inner, theme, &buffer); return }
        // The Methods view runs on the weight itself, with or without the open analysis.
        if view == .methods { MethodsView.render(state, inner, theme, &buffer); return }
        if state.loading == nil, let t = state.tensor, t.count == 0 {
            buffer.put(Format.fit(emptyMessage(t), inner.width), x: inner.x, y: inner.y, style: theme.muted)
            return
        }
        guard let context = ViewContext(state: state, theme: theme, view: view) else {
            let lines = placeholder(state, width: inner.width)
            for (row, line) in lines.prefix(inner.height).enumerated() {
                buffer.put(Format.fit(line, inner.width), x: inner.x, y: inner.y + row, style: row == 0 ? theme.muted : theme.bad)
            }
            return
        }
        switch view {
        case .histogram: HistogramView.render(context, inner, &buffer)
        case .mapping: MappingView.render(context, inner, &buffer)
        case .error: ErrorView.render(context, inner, &buffer)
        case .packing: PackingView.render(context, inner, &buffer)
        case .bits: FloatBitsView.render(context, inner, &buffer)
        case .matmul: MatmulView.render(context, inner, &buffer)
        case .model, .sweep, .methods: break
        }
    }
}

extension ScreenRenderer {
    /// The Compare screen, or what stands in for it without a tensor.
    static func renderCompare(_ state: AppState, _ inner: Rect, _ theme: Theme, _ buffer: inout CellBuffer) {
        if state.loading != nil || state.tensor == nil {
            let text = placeholder(state, width: inner.width).first ?? ""
            buffer.put(Format.fit(text, inner.width), x: inner.x, y: inner.y, style: theme.muted)
            return
        }
        CompareView.render(state, inner, theme, &buffer)
        if let t = state.tensor, t.count == 0, inner.height > 1 {
            buffer.put(Format.fit(emptyMessage(t), inner.width), x: inner.x, y: inner.y + 1, style: theme.muted)
        }
    }

    /// What a view says while it has no analysis to show: the first line in
    /// muted text, and for settings the engine refused, its reason wrapped
    /// to the view's width (the status bar's copy goes with the next key).
    static func placeholder(_ state: AppState, width: Int) -> [String] {
        if state.loading != nil { return ["decoding the tensor…"] }
        guard state.tensor != nil else { return ["choose a tensor in the list and press Enter"] }
        if state.computing { return ["quantizing…"] }
        let spelling = state.settings.spelling(rank: state.tensor?.shape.count ?? 0)
        guard let reason = state.analysisFailure else { return ["no result for \(spelling)"] }
        return ["no result for \(spelling):"] + Format.wrap(reason, max(1, width))
    }

    /// What every view says for a tensor with no elements (it has nothing to
    /// quantize, so no analysis will ever fill the view).
    static func emptyMessage(_ tensor: LoadedTensor) -> String {
        "empty tensor (shape \(Format.shape(tensor.shape))) — nothing to quantize"
    }
}

/// What a view needs: the state, the open tensor, its analysis, and the
/// element under the cursor with its group. Nil until an analysis exists.
public struct ViewContext {
    public let state: AppState
    public let theme: Theme
    public let tensor: LoadedTensor
    public let analysis: Analysis
    /// The element under the cursor (flat index) and its value.
    public let index: Int
    public let x: Float
    /// The group holding it.
    public let group: Int
    /// That group's range, codes and histogram, without reading the tensor.
    public let summary: GroupSummary

    /// A typed value (`i`) the view follows instead of the element, with
    /// its code and x̂ on the cursor's group's grid (docs/contract.md §15).
    public let probe: (x: Float, code: Int, value: Float)?

    /// - Parameter view: the view drawn; only the Mapping and Float bits views take a typed value.
    public init?(state: AppState, theme: Theme, view: ViewKind? = nil) {
        guard let t = state.tensor, let a = state.analysis, a.quantized.codes.count == t.count, t.count > 0 else { return nil }
        self.state = state
        self.theme = theme
        tensor = t
        analysis = a
        index = min(max(state.cursor, 0), t.count - 1)
        group = a.quantized.group(ofElement: index)
        summary = a.summary(ofGroup: group, original: t.tensor.values)
        if let typed = state.probe, let view, AppState.probeViews.contains(view), !state.showsStored,
           let landed = a.quantized.probe(typed, group: group) {
            probe = (typed, landed.code, landed.value)
            x = typed
        } else {
            probe = nil
            x = t.tensor.values[index]
        }
    }

    public var quantized: QuantizedTensor { analysis.quantized }
    /// x̂ of the cursor's element (or of the typed value).
    public var dequantized: Float { probe?.value ?? quantized.dequantizedValue(at: index) }

    /// The code of the cursor's element (or of the typed value), signed for signed schemes.
    public var code: Int { probe?.code ?? quantized.code(at: index) }

    /// The code's stored byte.
    public var rawCode: UInt32 { probe.map { UInt32(UInt8(truncatingIfNeeded: $0.code)) } ?? UInt32(quantized.codes[index]) }
    /// The cursor as (row, column) of the [shape[0], rest] picture.
    public var rowColumn: (row: Int, column: Int) {
        tensor.columns > 0 ? (index / tensor.columns, index % tensor.columns) : (0, 0)
    }

    /// "(17, 203)" or "[5]".
    public var elementLabel: String {
        if probe != nil { return "typed (group \(Format.grouped(group)))" }
        return tensor.shape.count >= 2 ? "(\(rowColumn.row), \(rowColumn.column))" : "[\(index)]"
    }
}

import QuantEngine
