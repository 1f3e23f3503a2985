/// File-provided text made fit for a one-line error message: control and
/// line-separator characters escaped as `\u{…}`, and cut after `limit`
/// characters.
enum MessageText {
    static func brief(_ text: String, limit: Int = 80) -> String {
        var out = ""
        for (count, scalar) in text.unicodeScalars.enumerated() {
            if count == limit {
                out += "…"
                break
            }
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator, .format:
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
