/// Where each part of the screen goes for a terminal size.
///
/// ```
///  ┌ top bar: file · tensor · shape · dtype · scheme ──────────────────┐
///  │ tensor list │ 1 Histogram 2 Mapping 3 Error 4 Packing 5 Bits      │
///  │             │ view (two side by side on a wide terminal)         │
///  │ summary: shape, dtype, parameters, min/max/mean/std, non-finite  │
///  └ status bar: scheme, last recompute, progress, key hints ──────────┘
/// ```
/// Under 100 columns the tensor list shows only while it has focus, so a
/// view keeps the full width at 80×24.
public struct Layout: Equatable, Sendable {
    public var topBar: Rect
    public var browser: Rect?
    public var tabs: Rect
    public var views: [Rect]
    public var summary: Rect
    public var statusBar: Rect
    /// The tour's lesson panel (nil outside the tour).
    public var tourPanel: Rect?

    /// The tensor list's width: 30 columns up to 120, then it takes what the
    /// views do not need (90 columns for one, 75 each for two side by side),
    /// up to 60, so long names stop being cut on a wide terminal.
    public static func browserWidth(width: Int, height: Int) -> Int {
        let viewsNeed = showsTwoViews(width: width, height: height) ? 150 : 90
        return min(max(30, width - viewsNeed), 60, width / 2)
    }

    /// Whether a terminal this size shows two views side by side.
    public static func showsTwoViews(width: Int, height: Int) -> Bool { width >= 180 && height >= 36 }

    public init(width: Int, height: Int, browserVisible: Bool) {
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        let (top, rest) = screen.splitTop(1)
        let (middle, bottom) = rest.splitBottom(2)
        topBar = top
        summary = bottom.row(0)
        statusBar = bottom.row(1)
        var body = middle
        if browserVisible {
            let (left, right) = body.splitLeft(Layout.browserWidth(width: width, height: height))
            browser = left
            body = right
        } else {
            browser = nil
        }
        let (tabsRow, content) = body.splitTop(1)
        tabs = tabsRow
        if Layout.showsTwoViews(width: width, height: height) {
            let (a, b) = content.splitLeft(content.width / 2)
            views = [a, b]
        } else {
            views = [content]
        }
    }

    /// The layout for a state: the list shows when wide, or when it has focus.
    public init(state: AppState) {
        if state.tour != nil {
            self.init(tourWidth: state.width, height: state.height, panelLines: TourPanel.lineCount(state))
            return
        }
        self.init(width: state.width, height: state.height,
                  browserVisible: state.width >= 100 || state.focus == .browser || state.tensor == nil)
    }

    /// The tour's layout (docs/contract.md §15): from 140 columns the lesson
    /// panel stands where the tensor list was, beside a full-height view;
    /// narrower, it sits above the view, which gives up the tabs and the
    /// summary line so that an 80×24 screen keeps room for the view.
    public init(tourWidth width: Int, height: Int, panelLines: Int) {
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        let (top, rest) = screen.splitTop(1)
        topBar = top
        if width >= Layout.tourSideBySideWidth {
            let (middle, bottom) = rest.splitBottom(2)
            summary = bottom.row(0)
            statusBar = bottom.row(1)
            let (left, right) = middle.splitLeft(Layout.tourPanelWidth(width: width))
            tourPanel = left
            let (tabsRow, content) = right.splitTop(1)
            tabs = tabsRow
            views = [content]
        } else {
            let (middle, bottom) = rest.splitBottom(1)
            summary = Rect(x: 0, y: bottom.y, width: width, height: 0)
            statusBar = bottom
            let (panel, content) = middle.splitTop(min(panelLines + 2, max(middle.height - 8, 3)))
            tourPanel = panel
            tabs = Rect(x: 0, y: content.y, width: width, height: 0)
            views = [content]
        }
        browser = nil
    }

    /// From this width the tour's panel goes beside the view.
    public static let tourSideBySideWidth = 140

    /// The lesson panel's width beside the view: a third of the screen, 44…64 columns.
    public static func tourPanelWidth(width: Int) -> Int { min(64, max(44, width / 3)) }

    /// A tab's label: the full title when every tab fits, the short one otherwise.
    public static func tabLabel(_ view: ViewKind, width: Int) -> String {
        let full = ViewKind.allCases.reduce(1) { $0 + CellBuffer.width(of: " \($1.rawValue) \($1.title) ") + 1 }
        return full <= width ? " \(view.rawValue) \(view.title) " : " \(view.rawValue) \(view.shortTitle) "
    }

    /// The visible rows of the tensor list (inside its border).
    public var browserRows: Int { max(0, (browser?.height ?? 0) - 2) }

    /// The tab label spans on the tabs row, for drawing and for mouse clicks.
    public func tabSpans() -> [(view: ViewKind, range: Range<Int>)] {
        var x = tabs.x + 1
        return ViewKind.allCases.map { view in
            let label = Layout.tabLabel(view, width: tabs.width)
            defer { x += label.count + 1 }
            return (view, x..<(x + label.count))
        }
    }
}
