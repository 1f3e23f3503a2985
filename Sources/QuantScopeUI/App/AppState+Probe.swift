import QuantEngine

/// Typing a value (`i`, docs/contract.md §15): "what is 0.1 in E4M3?",
/// "where does 3.7 land on this grid?". The Mapping and Float bits views
/// then follow the typed value instead of the cursor's element, through the
/// cursor's group (its S and Z), until Esc or a new cursor position.
extension AppState {
    /// The views that take a typed value.
    static let probeViews: [ViewKind] = [.mapping, .bits]

    /// `i`: opens the value prompt in the status bar.
    mutating func startProbePrompt() -> [AppCommand] {
        guard AppState.probeViews.contains(view) || (showsTwoViews && AppState.probeViews.contains(view.companion)) else {
            message = "i types a value into the Mapping (2) or Float bits (5) view"
            return []
        }
        valuePrompt = ""
        return []
    }

    /// Keys while the prompt is open: characters of a number, Backspace, Enter, Esc.
    mutating func handleProbeKey(_ key: Key) -> [AppCommand] {
        guard var text = valuePrompt else { return [] }
        switch key {
        case .escape:
            valuePrompt = nil
        case .backspace:
            if !text.isEmpty { text.removeLast() }
            valuePrompt = text
        case .enter:
            valuePrompt = nil
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                probe = nil
            } else if let value = AppState.parseProbe(trimmed) {
                probe = value
                focus = .view
            } else {
                message = "'\(trimmed)' is not a number (try 0.1, -3.7, 1e-3, inf, nan)"
            }
        case .character(let c) where c.isNumber || "+-.eEinfatyINFATY".contains(c):
            if text.count < 24 { valuePrompt = text + String(c) }
        default:
            break
        }
        return []
    }

    /// A typed number as Float32 (decimal text rounds to nearest, as numpy's `float32("0.1")` does).
    static func parseProbe(_ text: String) -> Float? {
        switch text.lowercased() {
        case "inf", "+inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        guard let d = Double(text) else { return nil }
        return Float(d)
    }
}
