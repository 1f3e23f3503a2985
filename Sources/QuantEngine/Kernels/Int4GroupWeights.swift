/// 4-bit weights with a scale and a zero-point per group of G inputs along
/// K, packed two per byte: the weight half of W4A16 and W4A8. Unsigned codes
/// and zero-points, as GPTQ and AWQ checkpoints store them.
///
/// ```
///  per row n, group g = columns [gG, gG + G):
///    S = (max − min)/15 (0 kept in range),  Z = clamp(−round(min/S), 0, 15)
///    q = clamp(round(x/S + Z), 0, 15),      w ≈ S·(q − Z)          (round: ties to even)
///  packed  [N][rowBytes]: byte j of a row = q[2j] | (q[2j+1] << 4)   (docs/contract.md §5 low-first)
///          K is padded with zero codes to whole groups: rowBytes = ⌈K/G⌉·G/2
///  scales [N][⌈K/G⌉] Float32, zeroPoints [N][⌈K/G⌉] 0…15
/// ```
/// The codes are the `uint4` scheme's with `group:G` granularity (bit for
/// bit when K is a multiple of G; otherwise the last group of each row is
/// shorter here, never straddling two rows). `int4-asym` lands on the same
/// grid, its codes and zero-points 8 lower. G is a multiple of 32, so a
/// 16-byte load always holds 32 codes of one group.
public struct Int4GroupWeights: Sendable {
    public let rows: Int
    public let columns: Int
    public let groupSize: Int
    public let groupsPerRow: Int
    public let rowBytes: Int
    public let packed: [UInt8]
    public let scales: [Float]
    public let zeroPoints: [UInt8]

    static let codec = AffineCodec(scheme: IntegerScheme(bits: 4, mode: .unsigned), clip: 1)

    /// Quantizes N×K row-major weights, once, before any multiply.
    /// - Parameter groupSize: G, a positive multiple of 32 (128 is usual).
    public init(quantizing w: UnsafeBufferPointer<Float>, rows: Int, columns: Int, groupSize: Int = 128) {
        precondition(rows >= 0 && columns >= 0 && w.count >= rows * columns)
        precondition(groupSize > 0 && groupSize % 32 == 0, "Int4GroupWeights: the group size must be a multiple of 32")
        let groups = (columns + groupSize - 1) / groupSize
        let bytes = groups * groupSize / 2
        var packed = [UInt8](repeating: 0, count: rows * bytes)
        var scales = [Float](repeating: 1, count: rows * groups)
        var zeros = [UInt8](repeating: 0, count: rows * groups)
        if let wb = w.baseAddress {
            packed.withUnsafeMutableBufferPointer { p in
                scales.withUnsafeMutableBufferPointer { s in
                    zeros.withUnsafeMutableBufferPointer { z in
                        let out = UnsafeSendable((p.baseAddress, s.baseAddress, z.baseAddress))
                        Parallel.forEach(count: rows, minimumChunk: max(1, (1 << 16) / max(1, columns))) { range in
                            guard let p = out.value.0, let s = out.value.1, let z = out.value.2 else { return }
                            let codes = UnsafeMutablePointer<UInt8>.allocate(capacity: groupSize)
                            defer { codes.deallocate() }
                            for r in range {
                                for g in 0..<groups {
                                    let start = g * groupSize, count = min(groupSize, columns - start)
                                    let q = Int4GroupWeights.quantizeGroup(wb + r * columns + start, count: count, into: codes)
                                    s[r * groups + g] = q.scale
                                    z[r * groups + g] = q.zeroPoint
                                    for j in count..<groupSize { codes[j] = 0 }
                                    let dst = p + r * bytes + start / 2
                                    for j in 0..<(groupSize / 2) {
                                        dst[j] = codes[2 * j] & 0x0F | codes[2 * j + 1] << 4
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        self.init(packed: packed, scales: scales, zeroPoints: zeros, rows: rows, columns: columns, groupSize: groupSize)
    }

    /// Quantizes an array of N×K weights.
    public init(quantizing w: [Float], rows: Int, columns: Int, groupSize: Int = 128) {
        self = w.withUnsafeBufferPointer { Int4GroupWeights(quantizing: $0, rows: rows, columns: columns, groupSize: groupSize) }
    }

    /// Wraps codes made elsewhere: `codes` is rows × columns in 0…15,
    /// `scales` and `zeroPoints` (0…15) are rows × ⌈columns/G⌉.
    public init(codes: [UInt8], scales: [Float], zeroPoints: [UInt8], rows: Int, columns: Int, groupSize: Int) {
        precondition(groupSize > 0 && groupSize % 32 == 0)
        let groups = (columns + groupSize - 1) / groupSize
        precondition(codes.count == rows * columns && scales.count == rows * groups && zeroPoints.count == rows * groups)
        let bytes = groups * groupSize / 2
        var packed = [UInt8](repeating: 0, count: rows * bytes)
        for r in 0..<rows {
            for c in 0..<columns {
                let nibble = codes[r * columns + c] & 0x0F
                packed[r * bytes + c / 2] |= c % 2 == 0 ? nibble : nibble << 4
            }
        }
        self.init(packed: packed, scales: scales, zeroPoints: zeroPoints, rows: rows, columns: columns, groupSize: groupSize)
    }

    private init(packed: [UInt8], scales: [Float], zeroPoints: [UInt8], rows: Int, columns: Int, groupSize: Int) {
        self.rows = rows
        self.columns = columns
        self.groupSize = groupSize
        groupsPerRow = (columns + groupSize - 1) / groupSize
        rowBytes = groupsPerRow * groupSize / 2
        self.packed = packed
        self.scales = scales
        self.zeroPoints = zeroPoints
    }

    /// A copy with its own storage (see `Int8ChannelWeights.init(copying:)`).
    init(copying other: Int4GroupWeights) {
        self.init(packed: other.packed.withUnsafeBufferPointer { Array($0) }, scales: other.scales.withUnsafeBufferPointer { Array($0) },
                  zeroPoints: other.zeroPoints.withUnsafeBufferPointer { Array($0) }, rows: other.rows, columns: other.columns,
                  groupSize: other.groupSize)
    }

    /// The code (0…15) of row `row`, column `column`.
    public func code(row: Int, column: Int) -> UInt8 {
        let byte = packed[row * rowBytes + column / 2]
        return column % 2 == 0 ? byte & 0x0F : byte >> 4
    }

    /// The dequantized weight S·(q − Z) (one Float32 multiply).
    public func value(row: Int, column: Int) -> Float {
        let g = row * groupsPerRow + column / groupSize
        return scales[g] * Float(Int(code(row: row, column: column)) - Int(zeroPoints[g]))
    }

    /// Bytes a multiply reads: packed codes, scales and zero-points.
    public var byteCount: Int { packed.count + 4 * scales.count + zeroPoints.count }

    /// One group of `count` values with the `int4-asym` codec.
    static func quantizeGroup(_ x: UnsafePointer<Float>, count: Int, into codes: UnsafeMutablePointer<UInt8>) -> (scale: Float, zeroPoint: UInt8) {
        let r = SegmentQuantizer<AffineCodec>.range(x, count: count)
        let p = codec.parameters(lo: r.lo, hi: r.hi)
        var i = 0
        while i < count {
            var v = FloatVector()
            let lanes = min(16, count - i)
            for lane in 0..<lanes { v[lane] = x[i + lane].isFinite ? x[i + lane] : 0 }
            let c = codec.encode(v, p).codes
            for lane in 0..<lanes {
                let code = x[i + lane].isFinite ? c[lane] : codec.encodeNonFinite(x[i + lane], p).code
                codes[i + lane] = UInt8(truncatingIfNeeded: code)
            }
            i += 16
        }
        return (p.scale, UInt8(p.zeroPoint))
    }
}
