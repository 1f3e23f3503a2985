import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// The PTQ-vs-QAT panel (docs/contract.md §13, the tour's lesson 8): it
/// starts its training run on the worker, draws the curves as progress
/// events arrive, and ends on the float / PTQ / QAT accuracies.
@Suite(.serialized) struct QATViewTests {
    /// Every progress event of the quick run, and its report, computed once.
    static let run: (points: [TrainingProgress], report: QATReport?) = {
        var points: [TrainingProgress] = []
        let report = try? QATExperiment.run(.quick()) { points.append($0) }
        return (points, report)
    }()

    /// Lesson 8, scene 2, with `feed` deciding which events reach the state
    /// (all of them, and the report, by default).
    static func panel(width: Int, height: Int, events: Int? = nil) throws -> AppState {
        var s = AppState(files: try TourTests.samples(), width: width, height: height)
        s.qatConfiguration = .quick()
        SyncDriver.run(s.startTour(at: 7), &s)
        let commands = s.handle(.input(.key(.pageDown)))
        let training = commands.compactMap { c -> Int? in
            if case .trainQAT(let configuration, let g) = c, configuration == .quick() { return g }
            return nil
        }
        #expect(training.count == 1, "opening the scene starts one training run")
        SyncDriver.run(commands.filter { if case .trainQAT = $0 { return false } else { return true } }, &s)
        let g = try #require(training.first)
        let points = Self.run.points
        for p in points.prefix(events ?? points.count) { _ = s.handle(.qatProgress(p, generation: g)) }
        if events == nil { _ = s.handle(.qatFinished(Self.run.report, generation: g)) }
        return s
    }

    @Test func finishedPanelAt80x24And120x40() throws {
        for (w, h) in [(80, 24), (120, 40)] {
            let s = try Self.panel(width: w, height: h)
            #expect(s.qat?.running == false && s.qat?.report == Self.run.report)
            let buffer = ScreenRenderer.render(s, theme: .monochrome)
            #expect(!buffer.text.contains("nan"))
            Golden.check(buffer, "qat-finished-\(w)x\(h)")
        }
    }

    @Test func midTrainingPanelAt80x24And120x40() throws {
        // The float run and int4's QAT are in, int3's QAT is half way.
        let points = Self.run.points
        let int3 = points.filter { $0.phase == .qat(bits: 3) }.count
        let cut = try #require(points.firstIndex { $0.phase == .qat(bits: 3) }) + int3 / 2
        for (w, h) in [(80, 24), (120, 40)] {
            let s = try Self.panel(width: w, height: h, events: cut)
            #expect(s.qat?.running == true && s.qat?.phase == .qat(bits: 3))
            #expect(s.qat?.runs.first { $0.bits == 2 }?.points.isEmpty == true)
            Golden.check(ScreenRenderer.render(s, theme: .monochrome), "qat-training-\(w)x\(h)")
        }
    }

    @Test func eventsBuildTheSameCurvesAsTheReport() throws {
        let s = try Self.panel(width: 80, height: 24, events: Self.run.points.count)
        let report = try #require(Self.run.report)
        let qat = try #require(s.qat)
        #expect(qat.floatCurve == report.floatCurve)
        #expect(qat.runs.map(\.points) == report.results.map(\.curve))
        #expect(qat.runs.map { $0.ptq?.accuracy } == report.results.map { $0.ptqAccuracy })
        #expect(qat.running && qat.report == nil)
    }

    @Test func staleEventsAreDroppedAndLeavingStopsTheRun() throws {
        var s = try Self.panel(width: 80, height: 24, events: 3)
        let g = s.qatGeneration
        let before = s.qat?.floatCurve.count
        _ = s.handle(.qatProgress(Self.run.points[5], generation: g - 1))
        #expect(s.qat?.floatCurve.count == before)
        // Another scene and back: the run goes on, nothing restarts.
        var commands = s.handle(.input(.key(.pageUp)))
        commands += s.handle(.input(.key(.pageDown)))
        #expect(!commands.contains { if case .trainQAT = $0 { return true } else { return false } })
        // Leaving the tour stops it.
        commands = s.handle(.input(.key(.character("T"))))
        #expect(commands.contains { if case .cancelQAT = $0 { return true } else { return false } })
        #expect(s.qat == nil)
        _ = s.handle(.qatFinished(Self.run.report, generation: g))
        #expect(s.qat == nil)
    }

    @Test func aFinishedRunIsKept() throws {
        var s = try Self.panel(width: 80, height: 24)
        var commands = s.handle(.input(.key(.pageUp)))
        commands += s.handle(.input(.key(.pageDown)))
        #expect(!commands.contains { if case .trainQAT = $0 { return true } else { return false } })
        #expect(s.qat?.report != nil)
        _ = s.handle(.input(.key(.character("T"))))
        #expect(s.qat?.report != nil, "leaving the tour keeps a finished run")
    }

    /// Beside the lesson (from 140 columns), in ASCII, and before any event.
    @Test func otherLayoutsStayDrawable() throws {
        let wide = try Self.panel(width: 160, height: 48)
        let text = ScreenRenderer.render(wide, theme: .monochrome).text
        #expect(text.contains("test accuracy") && text.contains("int2 PTQ") && !text.contains("nan"))
        let ascii = ScreenRenderer.render(try Self.panel(width: 80, height: 24), theme: .monochrome, ascii: true).text
        #expect(ascii.unicodeScalars.allSatisfy { $0.isASCII }, "ASCII mode draws ASCII only")
        let empty = try Self.panel(width: 80, height: 24, events: 0)
        #expect(ScreenRenderer.render(empty, theme: .monochrome).text.contains("starting: 600 spiral points"))
    }

    @Test func horizontalBarsFillInEighths() {
        #expect(QATView.horizontalBar(1, width: 4) == "████")
        #expect(QATView.horizontalBar(0, width: 4) == "░░░░")
        #expect(QATView.horizontalBar(0.5, width: 4) == "██░░")
        #expect(QATView.horizontalBar(0.5625, width: 4) == "██▎░")
        #expect(Format.signedPoints(0.16) == "+16.0 pts" && Format.signedPoints(-0.003) == "−0.3 pts")
    }
}
