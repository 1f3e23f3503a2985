import ArgumentParser

/// How the explorer draws: the flags `quantscope` and `quantscope tour` share.
struct TerminalOptions: ParsableArguments {
    @Flag(name: .long, help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .long, help: "Draw ASCII only (automatic when the locale is not UTF-8).")
    var ascii = false
}
