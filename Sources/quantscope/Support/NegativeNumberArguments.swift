/// Lets negative numbers through swift-argument-parser, which reads any
/// argument that starts with '-' as an option: `--clip -0` would otherwise
/// say "Missing value for '--clip'" and `bits -0.5` would take -0.5 for a flag.
///
/// - The value after a numeric option (`numericOptions`) is joined to it,
///   `--clip -0` → `--clip=-0`, so it reaches the option's own range check
///   (docs/contract.md §7, §9).
/// - `bits`' VALUE moves behind `--`.
///
/// Nothing after a `--` the user typed is touched.
enum NegativeNumberArguments {
    /// Every option, in every command, whose value is a number.
    static let numericOptions: Set<String> = ["--clip", "--tokens", "--group-size", "--seed", "--repeats", "--cursor"]

    static func rewrite(_ arguments: [String]) -> [String] {
        moveBitsValue(joinNumericValues(arguments))
    }

    /// Whether `argument` reads as a negative number (`-0`, `-.5`, `-1e3`, `-inf`, `-nan`)
    /// rather than an option.
    static func looksNegative(_ argument: String) -> Bool {
        guard argument.count > 1, argument.hasPrefix("-"), !argument.hasPrefix("--"), let next = argument.dropFirst().first else {
            return false
        }
        let lower = argument.lowercased()
        return next.isNumber || next == "." || lower.hasPrefix("-inf") || lower.hasPrefix("-nan")
    }

    /// `--clip -0` → `--clip=-0`, up to the first `--`.
    static func joinNumericValues(_ arguments: [String]) -> [String] {
        var kept: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            if argument == "--" {
                kept.append(contentsOf: arguments[i...])
                break
            }
            if numericOptions.contains(argument), i + 1 < arguments.count, looksNegative(arguments[i + 1]) {
                kept.append(argument + "=" + arguments[i + 1])
                i += 2
            } else {
                kept.append(argument)
                i += 1
            }
        }
        return kept
    }

    /// `bits -0.5 --format F` → `bits --format F -- -0.5`.
    static func moveBitsValue(_ arguments: [String]) -> [String] {
        guard arguments.first == "bits", !arguments.contains("--") else { return arguments }
        var kept: [String] = []
        var values: [String] = []
        for argument in arguments {
            if looksNegative(argument) {
                values.append(argument)
            } else {
                kept.append(argument)
            }
        }
        return values.isEmpty ? arguments : kept + ["--"] + values
    }
}
