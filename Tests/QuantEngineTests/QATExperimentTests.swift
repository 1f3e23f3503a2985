import Testing
@testable import QuantEngine

/// The PTQ-vs-QAT demo does what docs/contract.md §13 (and the concepts
/// text) says: with a fixed seed, fine-tuning with fake quantization beats
/// quantizing after training at 2 and 3 bits, and a run is deterministic.
/// The quick configuration runs the same code with fewer steps, so this
/// takes seconds in a debug build.
@Suite(.serialized) struct QATExperimentTests {
    static let report: QATReport? = try? QATExperiment.run(.quick(seed: 7))

    @Test func qatBeatsPTQAtTwoAndThreeBits() throws {
        let report = try #require(Self.report)
        #expect(report.floatAccuracy >= 0.95, "float accuracy \(report.floatAccuracy)")
        #expect(report.results.map(\.bits) == [4, 3, 2])
        for result in report.results where result.bits <= 3 {
            #expect(result.qatAccuracy >= result.ptqAccuracy + 0.03,
                     "int\(result.bits): QAT \(result.qatAccuracy) vs PTQ \(result.ptqAccuracy)")
            #expect(result.qatLoss < result.ptqLoss, "int\(result.bits): QAT loss \(result.qatLoss) vs PTQ \(result.ptqLoss)")
        }
        let int2 = try #require(report.results.first { $0.bits == 2 })
        #expect(int2.ptqAccuracy < 0.7 && int2.qatAccuracy > 0.8, "int2: PTQ \(int2.ptqAccuracy), QAT \(int2.qatAccuracy)")
    }

    @Test func curvesAndProgressAgree() throws {
        let report = try #require(Self.report)
        var seen: [TrainingProgress] = []
        let again = try QATExperiment.run(.quick(seed: 7)) { seen.append($0) }
        #expect(again == report, "two runs with one seed differ")
        let floatPoints = seen.filter { $0.phase == .float }.map(\.point)
        #expect(floatPoints == report.floatCurve)
        #expect(report.floatCurve.map(\.step) == Array(stride(from: 0, through: 800, by: 50)))
        for result in report.results {
            #expect(seen.filter { $0.phase == .qat(bits: result.bits) }.map(\.point) == result.curve)
            // QAT starts where PTQ left the model, and ends at the reported numbers.
            #expect(result.curve.first?.testAccuracy == result.ptqAccuracy)
            #expect(result.curve.last?.testAccuracy == result.qatAccuracy)
        }
        #expect(report.floatCurve.last?.testLoss ?? 9 < report.floatCurve.first?.testLoss ?? 0)
    }

    @Test func cancellingStopsTheRun() {
        let token = WorkToken()
        var calls = 0
        #expect(throws: TrainingError.cancelled) {
            _ = try QATExperiment.run(.quick(seed: 7), token: token) { _ in
                calls += 1
                if calls == 2 { token.cancel() }
            }
        }
        #expect(calls == 2)
    }

    @Test func theTaskIsSeededAndBalanced() {
        let a = SpiralTask(seed: 3), b = SpiralTask(seed: 3), c = SpiralTask(seed: 4)
        #expect(a == b && a != c)
        #expect(a.trainLabels.count == 900 && a.testLabels.count == 300)
        #expect((0..<3).allSatisfy { k in a.trainLabels.filter { $0 == k }.count == 300 })
        #expect(a.trainInputs.allSatisfy { abs($0) < 1.3 })
    }
}
