import QuantEngine

/// The mouse: a click on a tensor opens it, a click on a tab shows that view,
/// the wheel scrolls the list or moves the cursor.
extension AppState {
    mutating func handleMouse(_ mouse: MouseEvent) -> [AppCommand] {
        if showHelp {
            if mouse.button != .left { _ = handleHelpKey(mouse.button == .scrollUp ? .up : .down) }
            return []
        }
        let layout = Layout(state: self)
        switch mouse.button {
        case .scrollUp, .scrollDown:
            let delta = mouse.button == .scrollUp ? -3 : 3
            if let b = layout.browser, b.contains(x: mouse.x, y: mouse.y) {
                browser.move(by: delta)
            } else if tensor != nil {
                return handleCursorKey(delta < 0 ? .up : .down)
            }
            return []
        case .left:
            if layout.tabs.contains(x: mouse.x, y: mouse.y),
               let hit = layout.tabSpans().first(where: { $0.range.contains(mouse.x) }) {
                view = hit.view
                if view == .model || view == .sweep { enterModelViews() }
                return compareIfNeeded() + matmulIfNeeded()
            }
            if let b = layout.browser, b.inset(1).contains(x: mouse.x, y: mouse.y) {
                let row = browser.top + (mouse.y - b.y - 1)
                guard browser.rows.indices.contains(row), let ref = browser.rows[row].ref else { return [] }
                browser.selected = row
                focus = .browser
                return open(ref)
            }
            if layout.views.contains(where: { $0.contains(x: mouse.x, y: mouse.y) }) { focus = .view }
            return []
        }
    }
}
