import Testing
@testable import QuantEngine

/// `RecipePlanner` (docs/contract.md §7, `recipe`) on hand-made candidates
/// whose answers are worked out by hand.
@Suite struct RecipePlannerTests {
    /// A candidate of `tensor` that stores `bytes` for 8 elements with total squared error `sse`.
    static func candidate(_ tensor: String, _ bits: Int, _ bytes: Int, _ sse: Double, finite: Bool = true) -> ScanResult {
        var cost = StorageCost(scheme: .integer(IntegerScheme(bits: bits, mode: .symmetric)), elements: 8, groups: 1)
        cost.bytes = bytes
        var m = ErrorMetrics.empty
        m.elements = 8
        m.mse = sse / 8
        m.nonfiniteOutput = finite ? 0 : 1
        return ScanResult(tensor: tensor, shape: [2, 4], stored: "F32", storedBitsPerWeight: 32,
                          scheme: .integer(IntegerScheme(bits: bits, mode: .symmetric)), granularity: .tensor, cost: cost, metrics: m)
    }

    @Test func theHullDropsDominatedAndNonConvexCandidates() {
        // (15 B, 200) is dominated by (10 B, 100); (20 B, 90) lies above the line from (10, 100) to (30, 20).
        let hull = RecipePlanner.lowerHull([Self.candidate("a", 4, 20, 90), Self.candidate("a", 2, 10, 100),
                                            Self.candidate("a", 3, 15, 200), Self.candidate("a", 8, 30, 20),
                                            Self.candidate("a", 7, 5, 1, finite: false)])
        #expect(hull.map(\.cost.bytes) == [10, 30])
    }

    @Test func greedyTakesTheBestRatioThatFitsAndSkipsOneThatDoesNot() throws {
        // 16 elements. Cheapest: 10 + 10 bytes = 10 bits/weight. a→(30 B) saves 80 over 160 bits (0.5/bit);
        // b→(14 B) saves 10 over 32 bits (0.31/bit). At 12 bits/weight (24 B) a does not fit, b does.
        let results = [Self.candidate("a", 2, 10, 100), Self.candidate("a", 8, 30, 20),
                       Self.candidate("b", 2, 10, 50), Self.candidate("b", 4, 14, 40)]
        let tight = try RecipePlanner.plan(results, budget: 12)
        #expect(tight.choices.map(\.result.cost.bytes) == [10, 14] && tight.totalSSE == 140 && tight.bitsPerWeight == 12)
        let loose = try RecipePlanner.plan(results, budget: 22)
        #expect(loose.choices.map(\.result.cost.bytes) == [30, 14] && loose.totalSSE == 60)
        // At exactly a's upgrade alone (40 B = 20 bits/weight) a is taken first, then b no longer fits.
        let exact = try RecipePlanner.plan(results, budget: 20)
        #expect(exact.choices.map(\.result.cost.bytes) == [30, 10] && exact.totalSSE == 70)
    }

    @Test func tooSmallABudgetNamesTheMinimumAndUnfitTensorsAreLeftOut() {
        let results = [Self.candidate("a", 2, 10, 100), Self.candidate("b", 2, 12, 50), Self.candidate("c", 2, 1, 0, finite: false)]
        #expect(throws: RecipePlanner.PlanError.budgetTooLow(budget: 5, minimum: 11)) { try RecipePlanner.plan(results, budget: 5) }
        #expect((try? RecipePlanner.plan(results, budget: 11))?.unplanned == ["c"])
    }
}
