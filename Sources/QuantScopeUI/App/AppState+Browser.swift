import QuantEngine

/// The tensor list's keys: moving, opening, and typing a name filter.
extension AppState {
    mutating func handleFilterKey(_ key: Key) -> [AppCommand] {
        switch key {
        case .enter:
            browser.editingFilter = false
        case .escape:
            browser.editingFilter = false
            browser.filter = ""
        case .backspace:
            if !browser.filter.isEmpty { browser.filter.removeLast() }
        case .character(let c):
            browser.filter.append(c)
        default:
            return []
        }
        browser.rebuild(files: files, keep: browser.selectedRef)
        if browser.rows.isEmpty { message = "no matches for '\(browser.filter)'" }
        return []
    }

    mutating func handleBrowserKey(_ key: Key) -> [AppCommand] {
        let page = max(1, Layout(state: self).browserRows - 1)
        switch key {
        case .up, .character("k"): browser.move(by: -1)
        case .down, .character("j"): browser.move(by: 1)
        case .pageUp: browser.move(by: -page)
        case .pageDown: browser.move(by: page)
        case .home, .character("g"): browser.moveToEnd(false)
        case .end, .character("G"): browser.moveToEnd(true)
        case .character("n"): browser.move(by: 1)
        case .character("N"): browser.move(by: -1)
        case .escape:
            if !browser.filter.isEmpty {
                browser.filter = ""
                browser.rebuild(files: files, keep: browser.selectedRef)
            } else if tensor != nil {
                focus = .view
            }
        case .enter, .right, .character("l"):
            if let ref = browser.selectedRef { return open(ref) }
        default:
            break
        }
        return []
    }
}
