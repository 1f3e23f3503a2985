import Testing

/// The explorer run from a script (no terminal on stdin or stdout): one
/// line saying the CLI commands work there, exit 1, and nothing on stdout.
@Suite struct ExplorerRefusalTests {
    @Test func noTerminalIsRefusedInOneLine() throws {
        let result = try CLI.run([])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("the explorer needs a terminal and stdin is not one"))
        #expect(result.stderr.contains("CLI commands"))
    }
}
