import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal
/// (scripts and CI see nothing), redrawn at most a few times a second.
final class ProgressBar {
    private let label: String
    private let enabled = isatty(2) == 1
    private var lastDrawn = -1.0
    private var lastTime = 0.0

    init(label: String) { self.label = label }

    func update(_ fraction: Double) {
        guard enabled else { return }
        let now = Clock.now()
        guard fraction >= 1 || now - lastTime > 100, fraction != lastDrawn else { return }
        lastTime = now
        lastDrawn = fraction
        let cells = 30, filled = Int((min(max(fraction, 0), 1) * Double(cells)).rounded())
        let line = "\r\(label) ▕" + String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled) + "▏ "
            + String(format: "%3.0f%%", fraction * 100)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the line.
    func finish() {
        guard enabled, lastDrawn >= 0 else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: label.count + 40) + "\r").utf8))
    }
}
