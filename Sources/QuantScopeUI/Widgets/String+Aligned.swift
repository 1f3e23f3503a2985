extension String {
    /// Right-aligned in `width` columns (numbers in a list).
    func rightAligned(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }

    /// Padded with spaces to `width` terminal columns (never cut): unlike
    /// Foundation's `padding(toLength:)`, which counts UTF-16 units and
    /// would cut `x̂` (x and a combining mark) short.
    func leftAligned(_ width: Int) -> String {
        let w = CellBuffer.width(of: self)
        return w >= width ? self : self + String(repeating: " ", count: width - w)
    }
}
