/// A weight [out, in] as unsigned integer codes with one scale and zero per
/// output row and input group: w = scale·(q − zero), the form GPTQ and AWQ
/// checkpoints store (docs/contract.md §7, `quantize --layout`; §8).
public struct GroupedIntCodes: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var bits: Int
    /// Input columns per group (the whole row for per-channel scales).
    public var groupSize: Int
    /// [rows, columns] row-major, each in 0..<2^bits.
    public var codes: [Int32]
    /// [rows, groups] row-major.
    public var scales: [Float]
    /// [rows, groups] row-major, each in 0..<2^bits when storable.
    public var zeros: [Int32]
    /// The group of each input column; nil when it is column / groupSize
    /// (GPTQ's act-order stores a permuted one as `g_idx`).
    public var groupOfColumn: [Int]?

    public init(rows: Int, columns: Int, bits: Int, groupSize: Int, codes: [Int32], scales: [Float], zeros: [Int32], groupOfColumn: [Int]? = nil) {
        self.rows = rows
        self.columns = columns
        self.bits = bits
        self.groupSize = groupSize
        self.codes = codes
        self.scales = scales
        self.zeros = zeros
        self.groupOfColumn = groupOfColumn
    }

    public var groups: Int { scales.count / max(rows, 1) }

    public func group(ofColumn column: Int) -> Int { groupOfColumn?[column] ?? column / max(groupSize, 1) }

    /// x̂ = scale·(q − zero) in Float32, as the stored readers decode it.
    public func dequantized() -> [Float] {
        var out = [Float](repeating: 0, count: rows * columns)
        let g = groups
        for r in 0..<rows {
            for c in 0..<columns {
                let k = r * g + group(ofColumn: c)
                out[r * columns + c] = scales[k] * Float(codes[r * columns + c] - zeros[k])
            }
        }
        return out
    }

    /// The same codes from a signed grid: q + 2^(bits−1), zero + 2^(bits−1)
    /// (int4 [−8, 7] becomes [0, 15]; symmetric int4's zero 0 becomes 8).
    public static func shifting(signed codes: [Int32], zeros: [Int32], rows: Int, columns: Int, bits: Int, groupSize: Int,
                                scales: [Float], groupOfColumn: [Int]? = nil) -> GroupedIntCodes {
        let shift = Int32(1 << (bits - 1))
        return GroupedIntCodes(rows: rows, columns: columns, bits: bits, groupSize: groupSize, codes: codes.map { $0 + shift },
                               scales: scales, zeros: zeros.map { $0 + shift }, groupOfColumn: groupOfColumn)
    }
}
