extension Format {
    /// `text` in exactly `width` cells, cut in the MIDDLE when too long so
    /// both ends survive: `encoder.layer.0…dense.weight`. Tensor names differ
    /// at the end (`.weight` / `.bias`, `q_proj` / `k_proj`), so the tail
    /// keeps the longest run of whole dot-separated parts that fits in two
    /// thirds of the width — at least the last part when it leaves room for
    /// a few leading characters, else plain characters.
    public static func fitMiddle(_ text: String, _ width: Int) -> String {
        guard CellBuffer.width(of: text) > width, width > 4 else { return fit(text, width) }
        let room = width - 1
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var tail = ""
        for k in 1..<max(parts.count, 1) {
            let candidate = parts.suffix(k).joined(separator: ".")
            let limit = k == 1 ? room - 3 : room * 2 / 3
            guard CellBuffer.width(of: candidate) <= limit else { break }
            tail = candidate
        }
        let characters = Array(text)
        if tail.isEmpty { tail = String(characters.suffix(room / 2)) }
        var head = ""
        var used = 0
        let headRoom = room - CellBuffer.width(of: tail)
        for c in characters {
            let w = CellBuffer.width(of: String(c))
            if used + w > headRoom { break }
            head.append(c)
            used += w
        }
        return fit(head + "…" + tail, width)
    }
}
