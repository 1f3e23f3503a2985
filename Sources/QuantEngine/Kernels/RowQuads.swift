/// Four weight rows at a time for a GEMV, taken from the four quarters of a
/// worker's range: each quarter is walked start to end, so the rows' bytes
/// arrive as four long sequential streams that the hardware prefetchers
/// follow across row and page boundaries. (Four adjacent rows instead make
/// four short streams that restart on every page, and the loads wait on
/// memory; measured here, that cost int4 GEMV about a third of its speed.)
enum RowQuads {
    /// Calls `body` with four row indices per step; when the range does not
    /// divide by four, the last row repeats (computed again, stored again,
    /// the same value).
    @inline(__always)
    static func forEach(_ range: Range<Int>, _ body: (SIMD4<Int>) -> Void) {
        let count = range.count
        guard count > 0 else { return }
        let quarter = (count + 3) / 4
        for i in 0..<quarter {
            body(SIMD4(range.lowerBound + i, range.lowerBound + min(quarter + i, count - 1),
                       range.lowerBound + min(2 * quarter + i, count - 1), range.lowerBound + min(3 * quarter + i, count - 1)))
        }
    }
}
