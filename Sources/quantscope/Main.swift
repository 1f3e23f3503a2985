import ArgumentParser
import Foundation
import QuantEngine

/// Runs the command and turns every error into one line on stderr and an
/// exit status (docs/contract.md §7): 1 for a file problem, 2 for a usage error.
@main
enum Main {
    static func main() {
        BusErrorHandler.install()
        let arguments = NegativeNumberArguments.rewrite(Array(CommandLine.arguments.dropFirst()))
        if let first = arguments.first, ExploreCommand.isUnknownCommand(first) {
            fail(ExploreCommand.unknownCommandMessage(first), status: 2)
        }
        do {
            var command = try QuantScope.parseAsRoot(arguments)
            try command.run()
        } catch let error as TensorFileError {
            fail(error.description, status: 1)
        } catch let error as QuantizationError {
            fail(error.description, status: 2)
        } catch let error as UsageError {
            fail(error.message, status: 2)
        } catch let error as CleanExit {
            QuantScope.exit(withError: error)
        } catch let error as ExitCode {
            QuantScope.exit(withError: error)
        } catch {
            let code = QuantScope.exitCode(for: error)
            if code == .success { QuantScope.exit(withError: error) }
            let message = QuantScope.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            fail(message + " (see `quantscope --help`)", status: 2)
        }
    }

    /// Prints `message` as one line: file-provided parts are already
    /// capped by the errors that carry them; this escapes anything left
    /// (text typed on the command line) and caps the whole line.
    static func fail(_ message: String, status: Int32) -> Never {
        let line = DisplayText.brief(message, limit: 8 * DisplayText.defaultLimit)
        FileHandle.standardError.write(Data(("quantscope: " + line + "\n").utf8))
        exit(status)
    }
}

/// A usage error found after parsing (a value ArgumentParser cannot check).
///
/// `description` is the message, so that ArgumentParser, which prints a
/// `validate()` error with `String(describing:)`, shows the message and not
/// the type's debug spelling.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
