import Foundation
import QuantEngine

extension Checkpoint {
    /// Every path that holds the input: what the user named (a file, an
    /// index, a folder, an archive) and each file the tensors live in. An
    /// output must be none of them.
    var inputPaths: [String] { [path] + files.map(\.path) }

    /// Opens `path` as every command does.
    ///
    /// For the test of a file truncated while it is mapped,
    /// `QUANTSCOPE_TEST_STOP_AFTER_OPEN=1` makes the process stop itself
    /// (SIGSTOP) once the file is mapped and its header read, so that the
    /// test can truncate it and send SIGCONT: the same order of events every
    /// run, with no timing. Unset, it does nothing.
    static func openInput(_ path: String) throws -> Checkpoint {
        let checkpoint = try Checkpoint.open(path)
        if ProcessInfo.processInfo.environment["QUANTSCOPE_TEST_STOP_AFTER_OPEN"] == "1" { raise(SIGSTOP) }
        return checkpoint
    }
}
