extension String {
    /// Right-aligned in `width` columns (numbers in a list).
    func rightAligned(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
