import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope bench`: engine throughput on this machine.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure engine throughput on this machine.")

    @Flag(name: .long, help: "Print one JSON object (SPEC §7).")
    var json = false

    func run() throws {
        throw UsageError("bench is not built yet")
    }
}
