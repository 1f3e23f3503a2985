import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// The guided tour (docs/contract.md §15) over the bundled samples: every
/// scene's preset is a setting the CLI takes, its text fits 8 lines at 80
/// columns, every scene has a golden at 80×24, and the keys step through it.
@Suite struct TourTests {
    static var samplesFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/quantscope/Samples")
    }

    /// The samples in the explorer's order (the first is MiniLM's safetensors).
    static func samples() throws -> [OpenFile] {
        try ["minilm-l6-layer0.safetensors", "synthetic.safetensors", "minilm-l6-layer0.gguf"].map {
            OpenFile(checkpoint: try Checkpoint.open(samplesFolder.appendingPathComponent($0).path))
        }
    }

    /// The tour started at `lesson`, `keys` typed, all work run.
    static func tour(lesson: Int, keys: [Key] = [], width: Int = 80, height: Int = 24) throws -> AppState {
        var s = AppState(files: try samples(), width: width, height: height)
        // Lesson 8's training run, shortened for a debug build (same code).
        s.qatConfiguration = .quick()
        SyncDriver.run(s.startTour(at: lesson), &s)
        SyncDriver.press(keys, &s)
        return s
    }

    @Test func everySceneParsesAndFitsEightLinesAt80Columns() throws {
        var s = AppState(files: try Self.samples(), width: 80, height: 24)
        for (l, lesson) in TourLessons.all.enumerated() {
            #expect(!lesson.scenes.isEmpty)
            for (i, scene) in lesson.scenes.enumerated() {
                #expect(QuantSettings(scheme: scene.scheme, granularity: scene.granularity) != nil, "lesson \(l + 1).\(i + 1): \(scene.scheme)")
                if let b = scene.compareScheme {
                    #expect(QuantSettings(scheme: b, granularity: scene.compareGranularity) != nil, "lesson \(l + 1).\(i + 1): \(b)")
                }
                var tour = TourState(lesson: l)
                tour.scene = i
                s.tour = tour
                let text = TourPanel.lines(s).filter { !$0.isTry }
                #expect(text.count <= 8, "lesson \(l + 1).\(i + 1) has \(text.count) lines at 80 columns")
                #expect(text.allSatisfy { !$0.text.hasSuffix("…") }, "lesson \(l + 1).\(i + 1): a formula line is cut")
                if case .sample(let file, let name) = scene.tensor {
                    let f = try #require(s.files.first { $0.name == file })
                    #expect(f.checkpoint.tensors.contains { $0.name == name }, "lesson \(l + 1).\(i + 1): \(name)")
                }
            }
        }
        #expect(TourLessons.all.count == 10)
    }

    @Test(arguments: 0..<10) func everySceneAt80x24(lesson: Int) throws {
        var s = try Self.tour(lesson: lesson)
        for scene in 0..<TourLessons.all[lesson].scenes.count {
            if scene > 0 { SyncDriver.press([.pageDown], &s) }
            #expect(s.tour?.lesson == lesson && s.tour?.scene == scene)
            let expected = TourLessons.all[lesson].scenes[scene]
            #expect(s.view == expected.view)
            #expect(s.settings == QuantSettings(scheme: expected.scheme, granularity: expected.granularity).map { var q = $0; q.packing = s.settings.packing; q.calibration = expected.calibration; return q })
            #expect((s.compare != nil) == (expected.compareScheme != nil))
            #expect(s.analysis != nil, "lesson \(lesson + 1).\(scene + 1) has no analysis")
            if expected.compareScheme != nil { #expect(s.compare?.analysis != nil) }
            let buffer = ScreenRenderer.render(s, theme: .monochrome)
            #expect(!buffer.text.contains("nan") && !buffer.text.contains("NaN"))
            Golden.check(buffer, "tour-\(lesson + 1)-\(scene + 1)-80x24")
        }
    }

    @Test func keysStepJumpAndLeave() throws {
        var s = try Self.tour(lesson: 0)
        SyncDriver.press([.character(" ")], &s)
        #expect(s.tour?.lesson == 1)
        SyncDriver.press([.pageDown], &s)
        #expect(s.tour?.lesson == 2 && s.tour?.scene == 0)
        SyncDriver.press([.pageDown], &s)
        #expect(s.tour?.lesson == 2 && s.tour?.scene == 1)
        SyncDriver.press([.backspace, .pageUp], &s)
        #expect(s.tour?.lesson == 1 && s.tour?.scene == 0)
        SyncDriver.press([.pageUp], &s)
        // Back from a lesson lands on the last scene of the one before.
        SyncDriver.press([.character("4"), .pageUp], &s)
        #expect(s.tour?.lesson == 2 && s.tour?.scene == 1)
        SyncDriver.press([.character("0")], &s)
        #expect(s.tour?.lesson == 9)
        SyncDriver.press([.pageDown], &s)
        #expect(s.tour?.lesson == 9 && s.message?.contains("last lesson") == true)
        // Other keys work as in the explorer: a try key changes A.
        SyncDriver.press([.character("X")], &s)
        #expect(s.settings.scheme == .integer(IntegerScheme(bits: 4, mode: .symmetric)))
        SyncDriver.press([.character("T")], &s)
        #expect(s.tour == nil && s.compare == nil)
        #expect(Layout(state: s).tourPanel == nil)
        SyncDriver.press([.character("T")], &s)
        #expect(s.tour?.lesson == 0)
        SyncDriver.press([.escape], &s)
        #expect(s.tour == nil)
    }

    @Test func aLargeScreenPutsTheLessonBesideTheView() throws {
        let s = try Self.tour(lesson: 2, width: 160, height: 48)
        let layout = Layout(state: s)
        let panel = try #require(layout.tourPanel)
        #expect(panel.height == 45 && panel.width == Layout.tourPanelWidth(width: 160))
        #expect(layout.views[0].x == panel.maxX && layout.views[0].height == 44)
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "tour-3-1-160x48")
    }

    @Test func shrinkingTheWindowKeepsTheTourDrawable() throws {
        var s = try Self.tour(lesson: 5)
        for (w, h) in [(60, 10), (80, 12), (100, 30), (79, 23), (200, 60)] {
            _ = s.handle(.input(.resize(width: w, height: h)))
            let buffer = ScreenRenderer.render(s, theme: .monochrome)
            #expect(buffer.width == w && buffer.height == h)
        }
    }

    @Test func footprintCountsEveryWeightByHand() throws {
        let files = try Self.samples()
        let f = ModelFootprint(files[0].checkpoint)
        // MiniLM's sample: Q, K, V [384, 384] and two FFN-down [384, 1536].
        let shapes = [[384, 384], [384, 384], [384, 384], [384, 1536], [384, 1536]]
        let n = shapes.reduce(0) { $0 + $1[0] * $1[1] }
        #expect(f.weights == 5 && f.elements == n)
        let rows = Dictionary(uniqueKeysWithValues: f.rows.map { ($0.format, $0.bytes) })
        #expect(rows["f32"] == 4 * n && rows["bf16"] == 2 * n)
        #expect(rows["int8 channel"] == n + shapes.reduce(0) { $0 + 4 * $1[0] })
        #expect(rows["fp8-e4m3 tensor"] == n + 4 * shapes.count)
        #expect(rows["int4 group:128"] == n / 2 + shapes.reduce(0) { $0 + 4 * $1[0] * $1[1] / 128 })
        #expect(rows["nf4 (blocks of 64)"] == n / 2 + 4 * n / 64)
    }
}
