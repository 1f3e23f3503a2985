/// The integer codes a weight method chose, with their per-group scales and
/// zero-points: what a checkpoint writer stores (docs/contract.md §16.1).
///
/// The stored weight is Wq [out, in] = S·(q − Z) per element, with the
/// group of element (r, c) = r·groupsPerRow + groupIndex[c]. Without
/// act-order groupIndex[c] = c / G (the `group:G` layout of §2); with
/// act-order and groups it is GPTQ's `g_idx`: the group of c's position in
/// the processing order. `tensor` has one group for every row
/// (groupsPerRow = 1, the scale repeated per row); `channel` one per row.
public struct MethodCodes: Sendable, Equatable {
    public var scheme: IntegerScheme
    public var granularity: Granularity
    /// [out, in].
    public var shape: [Int]
    /// One code per element, row-major, as its low byte (two's complement
    /// for signed schemes), as `QuantizedTensor.codes`.
    public var codes: [UInt8]
    /// [out, groupsPerRow] row-major.
    public var scales: [Float]
    /// [out, groupsPerRow] row-major (0 for symmetric schemes).
    public var zeroPoints: [Int32]
    public var groupsPerRow: Int
    /// Per input column: its group within a row.
    public var groupIndex: [Int32]
    /// s per input column when the codes quantize W·diag(s) (AWQ,
    /// SmoothQuant); nil when they quantize W itself.
    public var columnScales: [Float]?

    public init(scheme: IntegerScheme, granularity: Granularity, shape: [Int], codes: [UInt8], scales: [Float],
                zeroPoints: [Int32], groupsPerRow: Int, groupIndex: [Int32], columnScales: [Float]? = nil) {
        self.scheme = scheme
        self.granularity = granularity
        self.shape = shape
        self.codes = codes
        self.scales = scales
        self.zeroPoints = zeroPoints
        self.groupsPerRow = groupsPerRow
        self.groupIndex = groupIndex
        self.columnScales = columnScales
    }

    public var rows: Int { shape.count == 2 ? shape[0] : 0 }
    public var columns: Int { shape.count == 2 ? shape[1] : 0 }

    /// The signed (or, for `uintB`, unsigned) code of element (row, column).
    public func code(row: Int, column: Int) -> Int {
        let byte = codes[row * columns + column]
        return scheme.signedCodes ? Int(Int8(bitPattern: byte)) : Int(byte)
    }

    /// The group (index into `scales`) of element (row, column).
    public func group(row: Int, column: Int) -> Int { row * groupsPerRow + Int(groupIndex[column]) }

    /// Whether groupIndex is the plain `group:G` layout (no act-order
    /// permutation), so the codes are a `QuantizedTensor` of that granularity.
    public var hasNaturalGroupOrder: Bool {
        guard case .group(let g) = granularity else { return true }
        let size = min(g, max(columns, 1))
        return groupIndex.indices.allSatisfy { Int(groupIndex[$0]) == $0 / size }
    }

    /// S·(q − Z) for every element, row-major, in Float32 (§1); the stored
    /// weight, before any division by `columnScales`.
    public func dequantized() -> [Float] {
        var out = [Float](repeating: 0, count: codes.count)
        let n = columns
        for r in 0..<rows {
            for c in 0..<n {
                let g = group(row: r, column: c)
                out[r * n + c] = scales[g] * (Float(code(row: r, column: c)) - Float(zeroPoints[g]))
            }
        }
        return out
    }
}
