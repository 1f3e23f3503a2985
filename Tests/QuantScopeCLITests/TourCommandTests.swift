import Testing

/// `quantscope tour` (docs/contract.md §15): the explorer on the tour, so
/// from a script it refuses like the explorer; a lesson out of range is a
/// usage error before anything opens.
@Suite struct TourCommandTests {
    @Test func noTerminalIsRefusedInOneLine() throws {
        let result = try CLI.run(["tour"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("the explorer needs a terminal"))
    }

    @Test func aLessonOutOfRangeIsAUsageError() throws {
        for lesson in ["0", "11", "x"] {
            let result = try CLI.run(["tour", "--lesson", lesson])
            #expect(result.status == 2, "--lesson \(lesson)")
            #expect(result.stderr.contains("lesson"))
        }
    }

    @Test func aMissingFileNamesItself() throws {
        let result = try CLI.run(["tour", "/nonexistent/model.safetensors"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/model.safetensors"))
        #expect(result.stderrLines.count == 1)
    }
}
