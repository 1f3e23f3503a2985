import Foundation

/// Number spellings for the screen: a fixed number of significant digits so
/// columns do not jump as values change, and the typographic minus.
public enum Format {
    /// `value` with `digits` significant digits, switching to e-notation
    /// outside [1e-4, 1e6): `0.03125`, `-1.234e-05`, `448`.
    public static func number(_ value: Double, digits: Int = 4) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "−inf" }
        if value == 0 { return value.sign == .minus ? "−0" : "0" }
        let magnitude = abs(value)
        var text: String
        if magnitude >= 1e-4 && magnitude < 1e6 {
            text = String(format: "%.\(digits)g", value)
        } else {
            text = String(format: "%.\(max(digits - 1, 0))e", value)
        }
        if text.hasPrefix("-") { text = "−" + text.dropFirst() }
        return text
    }

    public static func number(_ value: Float, digits: Int = 4) -> String { number(Double(value), digits: digits) }

    /// An integer with the typographic minus.
    public static func integer(_ value: Int) -> String { value < 0 ? "−\(-value)" : "\(value)" }

    /// `(−3)` for negatives inside formulas, so `x + (−3)` reads right.
    public static func parenthesized(_ text: String) -> String { text.hasPrefix("−") ? "(\(text))" : text }

    /// 1,234,567.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (value < 0 ? "−" : "") + out
    }

    /// A percentage with one decimal: `12.5%`.
    public static func percent(_ fraction: Double) -> String { String(format: "%.1f%%", fraction * 100) }

    /// `[384, 1536]` as `384×1536`.
    public static func shape(_ shape: [Int]) -> String { shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "×") }

    /// Pads or cuts `text` to exactly `width` cells (cutting with …).
    public static func fit(_ text: String, _ width: Int, alignRight: Bool = false) -> String {
        let count = CellBuffer.width(of: text)
        if count == width { return text }
        if count < width {
            let pad = String(repeating: " ", count: width - count)
            return alignRight ? pad + text : text + pad
        }
        guard width > 0 else { return "" }
        var out = ""
        var used = 0
        for scalar in text.unicodeScalars {
            let w = scalar.properties.generalCategory == .nonspacingMark ? 0 : 1
            if used + w > width - 1 { break }
            out.unicodeScalars.append(scalar)
            used += w
        }
        return out + "…"
    }

    /// Words of `text` in lines of at most `width` cells (a longer word is cut).
    public static func wrap(_ text: String, _ width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ").map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if CellBuffer.width(of: candidate) <= width {
                current = candidate
            } else {
                if !current.isEmpty { lines.append(current) }
                current = CellBuffer.width(of: word) <= width ? word : Format.fit(word, width)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
