/// How a granularity cuts a tensor of a given shape into groups.
///
/// The flat (row-major) index space is covered by *segments*: contiguous
/// runs that each belong to one group. Kernels work segment by segment, so
/// every granularity runs the same contiguous SIMD loops:
///
/// ```
///  tensor        one segment = the group
///  channel:0     segment = one row block of the leading axis = the group
///  group:G       segment = a run of G along the last axis = the group
///  channel:k     segments of prod(shape[k+1...]) elements, group = segment % shape[k]
///  block:RxC     segments of C along a row, group = tile (row / R, column / C)
/// ```
/// Groups are numbered in row-major order of their first element.
public struct GroupLayout: Sendable, Equatable {
    enum Kind: Equatable, Sendable {
        /// Group g is the run [g·length, min((g+1)·length, count)).
        case contiguous(length: Int)
        /// Rows of `rowLength` cut into runs of `run`; one group per run.
        case rowRuns(rowLength: Int, run: Int)
        /// Segments of `inner` elements; segment s belongs to group s % dim.
        case strided(dim: Int, inner: Int)
        /// Rows of `columns` cut into runs of `tileColumns`; group = tile index.
        case tiles(columns: Int, tileRows: Int, tileColumns: Int)
    }

    public let shape: [Int]
    public let granularity: Granularity
    public let count: Int
    public let groupCount: Int
    public let segmentCount: Int
    let kind: Kind

    /// Lays out `granularity` over `shape`.
    /// - Throws: `QuantizationError.axisOutOfRange` for a channel axis the shape lacks.
    public init(shape: [Int], granularity: Granularity) throws(QuantizationError) {
        self.shape = shape
        self.granularity = granularity
        let count = Tensor.elementCount(shape)
        self.count = count
        let last = shape.last ?? 1
        switch granularity {
        case .tensor:
            kind = .contiguous(length: max(count, 1))
            groupCount = count == 0 ? 0 : 1
            segmentCount = groupCount
        case .channel(let axis):
            let rank = max(shape.count, 1)
            guard axis < rank else { throw .axisOutOfRange(axis: axis, rank: shape.count) }
            if shape.isEmpty {
                kind = .contiguous(length: 1)
                groupCount = count
                segmentCount = count
                break
            }
            let dim = shape[axis]
            let inner = Tensor.elementCount(Array(shape[(axis + 1)...]))
            if axis == 0 {
                kind = .contiguous(length: max(inner, 1))
                groupCount = count == 0 ? 0 : dim
                segmentCount = groupCount
            } else {
                kind = .strided(dim: dim, inner: inner)
                groupCount = count == 0 ? 0 : dim
                segmentCount = count == 0 ? 0 : count / max(inner, 1)
            }
        case .group(let asked):
            // A group longer than a row is the row: clamping keeps every
            // count below `count` (`group:9223372036854775807` is legal).
            let size = min(asked, max(last, 1))
            let runs = (last + size - 1) / size
            kind = .rowRuns(rowLength: last, run: size)
            let rows = last == 0 ? 0 : count / last
            groupCount = rows * runs
            segmentCount = groupCount
        case .block(let askedRows, let askedColumns):
            let rows = shape.isEmpty ? 1 : shape[0]
            let columns = shape.count <= 1 ? max(count, 0) : count / max(rows, 1)
            let viewRows = shape.count <= 1 ? (count == 0 ? 0 : 1) : rows
            // Tiles larger than the tensor are the tensor (no overflow below).
            let tileRows = min(askedRows, max(viewRows, 1)), tileColumns = min(askedColumns, max(columns, 1))
            kind = .tiles(columns: columns, tileRows: tileRows, tileColumns: tileColumns)
            let tilesPerRow = (columns + tileColumns - 1) / tileColumns
            groupCount = count == 0 ? 0 : ((viewRows + tileRows - 1) / tileRows) * tilesPerRow
            segmentCount = count == 0 ? 0 : viewRows * tilesPerRow
        }
    }

    /// True when each segment is exactly one group, so a kernel can find a
    /// group's range and quantize it while its values are still in cache.
    public var segmentsAreGroups: Bool {
        switch kind {
        case .contiguous, .rowRuns: return true
        case .strided, .tiles: return false
        }
    }

    /// The flat start, length and group of segment `s`.
    @inline(__always)
    func segment(_ s: Int) -> (start: Int, length: Int, group: Int) {
        switch kind {
        case .contiguous(let length):
            let start = s * length
            return (start, min(length, count - start), s)
        case .rowRuns(let rowLength, let run):
            let perRow = (rowLength + run - 1) / run
            let row = s / perRow, j = s % perRow
            return (row * rowLength + j * run, min(run, rowLength - j * run), s)
        case .strided(let dim, let inner):
            return (s * inner, inner, s % dim)
        case .tiles(let columns, let tileRows, let tileColumns):
            let perRow = (columns + tileColumns - 1) / tileColumns
            let row = s / perRow, tile = s % perRow
            return (row * columns + tile * tileColumns, min(tileColumns, columns - tile * tileColumns), (row / tileRows) * perRow + tile)
        }
    }

    /// The group that holds flat element `index`.
    public func group(ofElement index: Int) -> Int {
        switch kind {
        case .contiguous(let length): return index / length
        case .rowRuns(let rowLength, let run):
            let perRow = (rowLength + run - 1) / run
            return (index / rowLength) * perRow + (index % rowLength) / run
        case .strided(let dim, let inner): return (index / inner) % dim
        case .tiles(let columns, let tileRows, let tileColumns):
            let perRow = (columns + tileColumns - 1) / tileColumns
            return ((index / columns) / tileRows) * perRow + (index % columns) / tileColumns
        }
    }

    /// The flat indices of every element of `group`, in order (for views that
    /// show one group; not for hot loops).
    public func elements(ofGroup group: Int) -> [Int] {
        var members: [Int] = []
        forEachRun(ofGroup: group) { members.append(contentsOf: $0) }
        return members
    }

    /// The number of elements in `group` (0 for a group that does not exist).
    public func count(ofGroup group: Int) -> Int {
        var n = 0
        forEachRun(ofGroup: group) { n += $0.count }
        return n
    }

    /// Calls `body` with each contiguous run of `group`'s flat indices, in
    /// order, without materialising the indices.
    public func forEachRun(ofGroup group: Int, _ body: (Range<Int>) -> Void) {
        guard group >= 0 && group < groupCount else { return }
        func run(_ s: Int) -> Range<Int> { let seg = segment(s); return seg.start..<(seg.start + seg.length) }
        switch kind {
        case .contiguous, .rowRuns:
            body(run(group))
        case .strided(let dim, _):
            for s in stride(from: group, to: segmentCount, by: dim) { body(run(s)) }
        case .tiles(let columns, let tileRows, let tileColumns):
            let perRow = (columns + tileColumns - 1) / tileColumns
            let viewRows = segmentCount / perRow
            let firstRow = (group / perRow) * tileRows
            for row in firstRow..<min(firstRow + tileRows, viewRows) { body(run(row * perRow + group % perRow)) }
        }
    }

    /// The contiguous run of one group that holds flat element `index`, and
    /// that group: a pass over the flat range steps from run to run.
    public func run(containing index: Int) -> (range: Range<Int>, group: Int) {
        precondition(index >= 0 && index < count)
        switch kind {
        case .contiguous(let length):
            let start = index / length * length
            return (start..<min(start + length, count), index / length)
        case .rowRuns(let rowLength, let run):
            let perRow = (rowLength + run - 1) / run
            let row = index / rowLength, j = (index % rowLength) / run
            let start = row * rowLength + j * run
            return (start..<min(start + run, (row + 1) * rowLength), row * perRow + j)
        case .strided(let dim, let inner):
            let s = index / inner
            return ((s * inner)..<((s + 1) * inner), s % dim)
        case .tiles(let columns, let tileRows, let tileColumns):
            let perRow = (columns + tileColumns - 1) / tileColumns
            let row = index / columns, tile = (index % columns) / tileColumns
            let start = row * columns + tile * tileColumns
            return (start..<min(start + tileColumns, (row + 1) * columns), (row / tileRows) * perRow + tile)
        }
    }
}
