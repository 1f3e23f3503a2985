import QuantEngine
import Testing
@testable import QuantScopeUI

/// The state machine, key by key, with no terminal: what each key changes
/// and which work it asks for.
@Suite struct AppStateTests {
    static func ready(_ settings: QuantSettings = QuantSettings()) throws -> AppState {
        try TestStates.state(settings: settings, comparisons: false)
    }

    static func analyzeRequest(_ commands: [AppCommand]) -> AnalysisRequest? {
        for c in commands { if case .analyze(let r, _) = c { return r } }
        return nil
    }

    @Test func schemeKeysCycleAndRecompute() throws {
        var s = try Self.ready()
        let g = s.generation
        let commands = s.handle(.input(.key(.character("s"))))
        #expect(s.settings.stop == .scheme(.float(.e4m3fn)))
        #expect(s.generation == g + 1)
        #expect(s.computing)
        #expect(Self.analyzeRequest(commands)?.scheme == .float(.e4m3fn))
        _ = s.handle(.input(.key(.character("S"))))
        #expect(s.settings.stop == .integer)
    }

    @Test func bitsSymmetryGranularityAndClip() throws {
        var s = try Self.ready()
        _ = s.handle(.input(.key(.character("-"))))
        #expect(s.settings.scheme.description == "int7")
        for _ in 0..<10 { _ = s.handle(.input(.key(.character("-")))) }
        #expect(s.settings.bits == 2)
        #expect(s.message == "already 2 bits")
        _ = s.handle(.input(.key(.character("a"))))
        #expect(s.settings.scheme.description == "int2-asym")
        _ = s.handle(.input(.key(.character("a"))))
        #expect(s.settings.scheme.description == "uint2")
        _ = s.handle(.input(.key(.character("c"))))
        #expect(s.settings.granularity(rank: 2) == .channel(axis: 0))
        _ = s.handle(.input(.key(.character("c"))))
        #expect(s.settings.granularity(rank: 2) == .group(size: 128))
        _ = s.handle(.input(.key(.character("<"))))
        #expect(s.settings.granularity(rank: 2) == .group(size: 64))
        _ = s.handle(.input(.key(.character("c"))))
        #expect(s.settings.granularity(rank: 2) == .block(rows: 128, columns: 128))
        _ = s.handle(.input(.key(.character("["))))
        #expect(s.settings.clip == 0.9)
        _ = s.handle(.input(.key(.character("]"))))
        #expect(s.settings.clip == 1)
        #expect(s.settings.spelling(rank: 2) == "uint2 block:128x128")
    }

    /// At tensor and channel granularity there is no size: `<` / `>` must
    /// neither change a hidden group size nor recompute the same result.
    @Test func sizeKeysDoNothingWithoutAGroupOrBlock() throws {
        var s = try Self.ready()
        for kind in ["tensor", "channel"] {
            #expect(s.settings.granularityKind.rawValue == kind)
            let (g, size) = (s.generation, s.settings.groupSize)
            for key: Character in ["<", ">", ",", "."] {
                let commands = s.handle(.input(.key(.character(key))))
                #expect(commands.isEmpty, "\(key) at \(kind)")
                #expect(s.message?.contains("c cycles the granularity") == true)
            }
            #expect(s.generation == g)
            #expect(s.settings.groupSize == size)
            _ = s.handle(.input(.key(.character("c"))))
        }
        #expect(s.settings.granularityKind == .group)
        #expect(Self.analyzeRequest(s.handle(.input(.key(.character("<"))))) != nil)
    }

    @Test func fixedSchemesRefuseGranularityWithAReason() throws {
        var s = try Self.ready()
        while s.settings.stop != .scheme(.microscaling(.e2m1)) { _ = s.handle(.input(.key(.character("s")))) }
        let g = s.generation
        let commands = s.handle(.input(.key(.character("c"))))
        #expect(commands.isEmpty)
        #expect(s.generation == g)
        #expect(s.message?.contains("group:32") == true)
        _ = s.handle(.input(.key(.character("+"))))
        #expect(s.message?.contains("bits apply to int schemes") == true)
    }

    @Test func staleResultsAreDropped() throws {
        var s = try Self.ready()
        let old = try #require(s.analysis)
        _ = s.handle(.input(.key(.character("s"))))
        let current = s.generation
        _ = s.handle(.analyzed(old, generation: current - 1))
        #expect(s.computing, "an older generation's result must not end the wait")
        _ = s.handle(.analyzed(old, generation: current))
        #expect(!s.computing)
    }

    @Test func cursorMovesWithinTheTensor() throws {
        var s = try Self.ready()
        let t = try #require(s.tensor)
        _ = s.handle(.input(.key(.right)))
        #expect(s.cursor == 1)
        _ = s.handle(.input(.key(.down)))
        #expect(s.cursor == t.columns + 1)
        _ = s.handle(.input(.key(.end)))
        #expect(s.cursor == 2 * t.columns - 1)
        _ = s.handle(.input(.key(.character("G"))))
        #expect(s.cursor == t.count - 1)
        _ = s.handle(.input(.key(.down)))
        #expect(s.cursor == t.count - 1)
        _ = s.handle(.input(.key(.character("m"))))
        #expect(s.cursor == t.summary.argmaxAbs)
        _ = s.handle(.input(.key(.character("w"))))
        let x = t.tensor.values, y = try #require(s.analysis).quantized.dequantized
        let worst = x.indices.max { abs(x[$0] - y[$0]) < abs(x[$1] - y[$1]) }
        #expect(abs(x[s.cursor] - y[s.cursor]) == abs(x[worst ?? 0] - y[worst ?? 0]))
    }

    @Test func viewsHelpFocusAndQuit() throws {
        var s = try Self.ready()
        _ = s.handle(.input(.key(.character("3"))))
        #expect(s.view == .error)
        _ = s.handle(.input(.key(.character("?"))))
        #expect(s.showHelp)
        _ = s.handle(.input(.key(.character("s"))))
        #expect(s.settings.stop == .integer, "keys other than Esc/?/q do nothing under the help")
        _ = s.handle(.input(.key(.escape)))
        #expect(!s.showHelp)
        _ = s.handle(.input(.key(.tab)))
        #expect(s.focus == .browser)
        let commands = s.handle(.input(.key(.character("q"))))
        #expect(s.quit)
        #expect(commands.contains { if case .quit = $0 { return true }; return false })
        var t = try Self.ready()
        _ = t.handle(.input(.key(.control("c"))))
        #expect(t.quit)
    }

    @Test func switchingToErrorAsksForComparisons() throws {
        var s = try Self.ready()
        #expect(s.analysis?.comparisons == nil)
        let commands = s.handle(.input(.key(.character("3"))))
        #expect(commands.contains { if case .details = $0 { return true }; return false })
        #expect(s.comparing)
    }

    @Test func filterNarrowsTheListAndEscClearsIt() throws {
        var s = try Self.ready()
        _ = s.handle(.input(.key(.character("/"))))
        #expect(s.browser.editingFilter)
        for c in "zzz" { _ = s.handle(.input(.key(.character(c)))) }
        #expect(s.browser.rows.isEmpty)
        #expect(s.message?.contains("zzz") == true)
        _ = s.handle(.input(.key(.escape)))
        #expect(s.browser.filter.isEmpty)
        #expect(!s.browser.rows.isEmpty)
    }

    @Test func resizeBelowTheMinimumShowsTheMessage() throws {
        var s = try Self.ready()
        _ = s.handle(.input(.resize(width: 60, height: 15)))
        #expect(s.isTooSmall)
        let text = ScreenRenderer.render(s, theme: .monochrome).text
        #expect(text.contains("enlarge the window"))
        _ = s.handle(.input(.resize(width: 80, height: 24)))
        #expect(!s.isTooSmall)
    }

    @Test func mouseClicksOpenTensorsAndSwitchTabs() throws {
        var s = try Self.ready()
        let layout = Layout(state: s)
        let tab = try #require(layout.tabSpans().first { $0.view == .packing })
        _ = s.handle(.input(.mouse(MouseEvent(x: tab.range.lowerBound + 1, y: layout.tabs.y, button: .left))))
        #expect(s.view == .packing)
    }

    @Test func helpListsEveryKeyTheStateHandles() {
        let keys = KeyMap.sections.flatMap(\.entries).map(\.keys).joined(separator: " ")
        for k in ["q", "?", "Tab", "s", "+", "a", "c", ">", "x", "[", "p", "f", "L", "m", "w", "/", "Enter", "g G"] {
            #expect(keys.contains(k), "help lacks \(k)")
        }
    }
}
