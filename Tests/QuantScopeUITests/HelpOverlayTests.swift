import Testing
@testable import QuantScopeUI

/// The `?` overlay: it scrolls where it does not fit (80×24), uses the width
/// where there is some (no line cut with "…" at 200 columns), and lists
/// every key the state machine answers to.
@Suite struct HelpOverlayTests {
    static func helpState(width: Int, height: Int) throws -> AppState {
        var s = try TestStates.state(width: width, height: height, comparisons: false)
        _ = s.handle(.input(.key(.character("?"))))
        return s
    }

    /// The help box's lines as rendered.
    static func helpLines(_ s: AppState) -> [String] {
        let page = HelpOverlay.page(width: s.width, height: s.height)
        let lines = ScreenRenderer.render(s, theme: .monochrome).lines
        return lines[page.rect.y..<page.rect.maxY].map { line in
            String(String.UnicodeScalarView(line.unicodeScalars.dropFirst(page.rect.x).prefix(page.rect.width)))
        }
    }

    @Test func scrollsAt80x24WithAPositionOnTheBorder() throws {
        var s = try Self.helpState(width: 80, height: 24)
        let page = HelpOverlay.page(width: 80, height: 24)
        #expect(page.maxScroll > 0, "the help does not fit 80×24, so it must scroll")
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "help-80x24-top")
        #expect(Self.helpLines(s).last?.contains("more ↓") == true)

        _ = s.handle(.input(.key(.character("j"))))
        #expect(s.helpScroll == 1)
        _ = s.handle(.input(.key(.up)))
        _ = s.handle(.input(.key(.character("k"))))
        #expect(s.helpScroll == 0, "k at the top stays at the top")
        _ = s.handle(.input(.key(.pageDown)))
        #expect(s.helpScroll == min(page.visibleRows - 1, page.maxScroll))
        _ = s.handle(.input(.key(.character("G"))))
        #expect(s.helpScroll == page.maxScroll)
        _ = s.handle(.input(.key(.down)))
        #expect(s.helpScroll == page.maxScroll, "j at the end stays at the end")
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "help-80x24-end")
        let end = Self.helpLines(s)
        #expect(end.last?.contains("more ↓") == false)
        #expect(end.last?.contains("↑") == true)
        #expect(end.contains { $0.contains("Matmul activations") }, "the last key is reachable")
        _ = s.handle(.input(.key(.home)))
        #expect(s.helpScroll == 0)
        _ = s.handle(.input(.key(.end)))
        _ = s.handle(.input(.key(.pageUp)))
        #expect(s.helpScroll == max(0, page.maxScroll - (page.visibleRows - 1)))
        _ = s.handle(.input(.key(.character("g"))))
        #expect(s.helpScroll == 0)
        _ = s.handle(.input(.mouse(MouseEvent(x: 40, y: 12, button: .scrollDown))))
        #expect(s.helpScroll == 1, "the wheel scrolls the help")
        #expect(s.showHelp)

        _ = s.handle(.input(.key(.character("G"))))
        _ = s.handle(.input(.resize(width: 120, height: 40)))
        #expect(s.helpScroll == 0, "a terminal the help fits in has nothing to scroll")
        _ = s.handle(.input(.key(.escape)))
        #expect(!s.showHelp)
    }

    @Test(arguments: [(80, 24), (100, 30), (120, 30), (120, 40), (200, 50), (200, 24), (300, 60)])
    func noLineIsCutAndEveryEntryShowsSomewhere(width: Int, height: Int) throws {
        var s = try Self.helpState(width: width, height: height)
        var seen: [String] = []
        let page = HelpOverlay.page(width: width, height: height)
        for top in 0...page.maxScroll {
            s.helpScroll = top
            let lines = Self.helpLines(s)
            // "1 … 6" is a key range; any other "…" would be a cut line.
            for line in lines.dropFirst().dropLast() {
                #expect(!line.replacingOccurrences(of: "1 … 6", with: "").contains("…"), "\(width)×\(height): \(line)")
            }
            seen += lines
        }
        let text = seen.joined(separator: "\n")
        for entry in KeyMap.sections.flatMap(\.entries) {
            #expect(text.contains(entry.keys), "\(width)×\(height): '\(entry.keys)' never shows")
            let firstWords = entry.action.split(separator: " ").prefix(2).joined(separator: " ")
            #expect(text.contains(firstWords), "\(width)×\(height): '\(entry.action)' never shows")
        }
    }

    @Test func wideTerminalsShowEverythingAtOnce() throws {
        let s = try Self.helpState(width: 200, height: 50)
        #expect(HelpOverlay.page(width: 200, height: 50).maxScroll == 0)
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "help-200x50")
        let short = try Self.helpState(width: 160, height: 30)
        let page = HelpOverlay.page(width: 160, height: 30)
        #expect(page.rows.first?.count == 2, "a short wide terminal gets two columns")
        #expect(page.maxScroll == 0)
        Golden.check(ScreenRenderer.render(short, theme: .monochrome), "help-160x30-two-columns")
    }

    /// Every key that changes anything, in every mode, is in the help.
    @Test func helpListsEveryKeyTheStateAnswersTo() throws {
        var listed = Set(KeyMap.sections.flatMap(\.entries).flatMap { $0.keys.split(separator: " ").map(String.init) })
        if listed.contains("…") { listed.formUnion(["1", "2", "3", "4", "5", "6"]) }
        let ready = try TestStates.state(comparisons: false)
        var contexts: [(String, AppState)] = [("view focus", ready)]
        var browser = ready
        browser.focus = .browser
        contexts.append(("list focus", browser))
        var help = ready
        help.showHelp = true
        help.height = 24
        help.width = 80
        help.helpScroll = 3
        contexts.append(("help", help))
        var filtered = browser
        filtered.browser.filter = "layer"
        filtered.browser.rebuild(files: filtered.files, keep: nil)
        contexts.append(("list with a filter", filtered))
        var keys: [Key] = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab, .backTab, .backspace, .delete]
        keys += (1...12).map { Key.function($0) }
        keys += "abcdefghijklmnopqrstuvwxyz".map { Key.control($0) }
        keys += (32...126).map { Key.character(Character(Unicode.Scalar(UInt8($0)))) }
        for (name, state) in contexts {
            for key in keys {
                var next = state
                let commands = next.handle(.input(.key(key)))
                if Self.fingerprint(next) != Self.fingerprint(state) || !commands.isEmpty {
                    #expect(listed.contains(Self.token(key)), "\(name): \(Self.token(key)) does something but the help does not list it")
                }
            }
        }
    }

    static func fingerprint(_ s: AppState) -> String {
        "\(s.view) \(s.focus) \(s.showHelp) \(s.helpScroll) \(s.logScale) \(s.bitsFormat) \(s.cursor) \(s.settings) \(s.browser) \(s.quit) \(s.matmulChoice) \(s.message ?? "")"
    }

    static func token(_ key: Key) -> String {
        switch key {
        case .character(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .function(let n): return "F\(n)"
        case .control(let c): return "Ctrl-\(c.uppercased())"
        }
    }
}
