/// One GGUF block taken apart into the fields its C struct declares: the
/// parameters (`d`, `dmin`, the 6-bit sub-block `scales` and `mins`…), the
/// stored integer of each element, and the grid each sub-block's codes map
/// onto (docs/contract.md §4, §8).
///
/// The element layouts are ggml's `dequantize_row_*` (the same ones the
/// SIMD decoders in `Formats/GGUF/Blocks` follow); the values themselves are
/// never computed here, so a mistake in a layout shows up as a value that
/// does not sit on its sub-block's grid (tested against the decoders).
struct GGUFBlockFields: Sendable {
    /// One sub-block's mapping from code to value: `factor·(level[q]) − min`
    /// (or `+ min` for Q4_1/Q5_1), evaluated in Float32 as the decoders do.
    struct Grid: Sendable {
        var factor: Float
        var min: Float
        var addsMin = false
        /// The integer each code stands for before scaling (q − 8, kvalues[q]…), from code `firstCode` up.
        var levels: [Int]
        /// The smallest stored code (−128 for Q8's signed bytes, else 0).
        var firstCode = 0

        func value(ofCode code: Int) -> Float {
            let product = factor * Float(levels[code - firstCode])
            if addsMin { return product + min }
            return min == 0 ? product : product - min
        }

        /// Every value the grid can represent, ascending.
        var representable: [Float] {
            Array(Set(levels.indices.map { value(ofCode: $0 + firstCode) }.filter { !$0.isNaN })).sorted()
        }
    }

    var params: [JSONValue.Member]
    var codes: [Int]
    var grids: [Grid]
    var subBlockElements: Int

    static let iq4Levels = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113]
    static let mxfp4Levels = [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12]

    /// Whether `type`'s blocks can be taken apart (every block type this build decodes).
    static func supports(_ type: GGMLType) -> Bool { formula(type) != nil }

    /// How a stored code becomes the value, in ggml's own symbols.
    static func formula(_ type: GGMLType) -> String? {
        switch type.id {
        case GGMLType.q4_0.id: "w = d·(q − 8)"
        case GGMLType.q5_0.id: "w = d·(q − 16)"
        case GGMLType.q4_1.id, GGMLType.q5_1.id: "w = d·q + m"
        case GGMLType.q8_0.id, GGMLType.q8_K.id: "w = d·q"
        case GGMLType.q2_K.id, GGMLType.q4_K.id, GGMLType.q5_K.id: "w = (d·scale)·q − dmin·min"
        case GGMLType.q3_K.id: "w = (d·(scale − 32))·(q − 4)"
        case GGMLType.q6_K.id: "w = (d·scale)·(q − 32)"
        case GGMLType.iq4_nl.id: "w = d·kvalues[q]"
        case GGMLType.iq4_xs.id: "w = (d·(scale − 32))·kvalues[q]"
        case GGMLType.mxfp4.id: "w = 2^(e − 127)·e2m1[q]"
        default: nil
        }
    }

    /// The block's C struct, field by field (ggml-common.h): the declaration
    /// and its size in bytes, in storage order; the sizes add up to `typeSize`.
    static func layout(_ type: GGMLType) -> [(declaration: String, bytes: Int)] {
        switch type.id {
        case GGMLType.q4_0.id: [("ggml_half d", 2), ("uint8_t qs[16]", 16)]
        case GGMLType.q4_1.id: [("ggml_half d", 2), ("ggml_half m", 2), ("uint8_t qs[16]", 16)]
        case GGMLType.q5_0.id: [("ggml_half d", 2), ("uint8_t qh[4]", 4), ("uint8_t qs[16]", 16)]
        case GGMLType.q5_1.id: [("ggml_half d", 2), ("ggml_half m", 2), ("uint8_t qh[4]", 4), ("uint8_t qs[16]", 16)]
        case GGMLType.q8_0.id: [("ggml_half d", 2), ("int8_t qs[32]", 32)]
        case GGMLType.q2_K.id: [("uint8_t scales[16]", 16), ("uint8_t qs[64]", 64), ("ggml_half d", 2), ("ggml_half dmin", 2)]
        case GGMLType.q3_K.id: [("uint8_t hmask[32]", 32), ("uint8_t qs[64]", 64), ("uint8_t scales[12]", 12), ("ggml_half d", 2)]
        case GGMLType.q4_K.id: [("ggml_half d", 2), ("ggml_half dmin", 2), ("uint8_t scales[12]", 12), ("uint8_t qs[128]", 128)]
        case GGMLType.q5_K.id:
            [("ggml_half d", 2), ("ggml_half dmin", 2), ("uint8_t scales[12]", 12), ("uint8_t qh[32]", 32), ("uint8_t qs[128]", 128)]
        case GGMLType.q6_K.id: [("uint8_t ql[128]", 128), ("uint8_t qh[64]", 64), ("int8_t scales[16]", 16), ("ggml_half d", 2)]
        case GGMLType.q8_K.id: [("float d", 4), ("int8_t qs[256]", 256), ("int16_t bsums[16]", 32)]
        case GGMLType.iq4_nl.id: [("ggml_half d", 2), ("uint8_t qs[16]", 16)]
        case GGMLType.iq4_xs.id: [("ggml_half d", 2), ("uint16_t scales_h", 2), ("uint8_t scales_l[4]", 4), ("uint8_t qs[128]", 128)]
        case GGMLType.mxfp4.id: [("uint8_t e", 1), ("uint8_t qs[16]", 16)]
        default: []
        }
    }

    /// Takes apart the block of `type` at `s` (its `typeSize` bytes are readable).
    static func unpack(_ type: GGMLType, _ s: UnsafeRawBufferPointer) -> GGUFBlockFields {
        switch type.id {
        case GGMLType.q4_0.id: return legacy(s, bits: 4, hasMin: false)
        case GGMLType.q4_1.id: return legacy(s, bits: 4, hasMin: true)
        case GGMLType.q5_0.id: return legacy(s, bits: 5, hasMin: false)
        case GGMLType.q5_1.id: return legacy(s, bits: 5, hasMin: true)
        case GGMLType.q8_0.id:
            let d = half(s, 0)
            let codes = (0..<32).map { Int(Int8(bitPattern: s[2 + $0])) }
            return GGUFBlockFields(params: [.init("d", .float(d))], codes: codes,
                                   grids: [Grid(factor: d, min: 0, levels: Array(-128...127), firstCode: -128)], subBlockElements: 32)
        case GGMLType.q2_K.id: return q2_K(s)
        case GGMLType.q3_K.id: return q3_K(s)
        case GGMLType.q4_K.id: return q45_K(s, bits: 4)
        case GGMLType.q5_K.id: return q45_K(s, bits: 5)
        case GGMLType.q6_K.id: return q6_K(s)
        case GGMLType.q8_K.id:
            let d = Float(bitPattern: word(s, 0))
            let codes = (0..<256).map { Int(Int8(bitPattern: s[4 + $0])) }
            return GGUFBlockFields(params: [.init("d", .float(d))], codes: codes,
                                   grids: [Grid(factor: d, min: 0, levels: Array(-128...127), firstCode: -128)], subBlockElements: 256)
        case GGMLType.iq4_nl.id:
            let d = half(s, 0)
            return GGUFBlockFields(params: [.init("d", .float(d))], codes: nibbles(s, at: 2),
                                   grids: [Grid(factor: d, min: 0, levels: iq4Levels)], subBlockElements: 32)
        case GGMLType.iq4_xs.id: return iq4_xs(s)
        case GGMLType.mxfp4.id:
            let e = Int(s[0])
            let scale = NonLinearBlockDecoder.halfScale(s[0])
            return GGUFBlockFields(params: [.init("e", .integer(Int64(e))), .init("scale", .float(scale * 2))],
                                   codes: nibbles(s, at: 1), grids: [Grid(factor: scale, min: 0, levels: mxfp4Levels)],
                                   subBlockElements: 32)
        default:
            preconditionFailure("no block fields for \(type)")
        }
    }

    // MARK: - Per type

    /// Q4_0, Q4_1, Q5_0, Q5_1: d (and m), then for Q5 a little-endian u32 of
    /// fifth bits, then sixteen bytes of nibbles (value j < 16 low nibble of
    /// qs[j], j ≥ 16 high nibble of qs[j − 16]).
    private static func legacy(_ s: UnsafeRawBufferPointer, bits: Int, hasMin: Bool) -> GGUFBlockFields {
        let d = half(s, 0)
        let m: Float = hasMin ? half(s, 2) : 0
        var at = hasMin ? 4 : 2
        var codes = [Int](repeating: 0, count: 32)
        var high: UInt32 = 0
        if bits == 5 { high = word(s, at); at += 4 }
        let low = nibbles(s, at: at)
        for j in 0..<32 { codes[j] = low[j] | Int((high >> UInt32(j)) & 1) << 4 }
        var params: [JSONValue.Member] = [.init("d", .float(d))]
        if hasMin { params.append(.init("m", .float(m))) }
        let count = 1 << bits
        let levels = hasMin ? Array(0..<count) : (0..<count).map { $0 - count / 2 }
        return GGUFBlockFields(params: params, codes: codes,
                               grids: [Grid(factor: d, min: m, addsMin: hasMin, levels: levels)], subBlockElements: 32)
    }

    /// Q2_K: scales[16] (scale low nibble, min high nibble), qs[64], d, dmin.
    /// Value 128h + 32t + l is bits 2t…2t+1 of qs[32h + l].
    private static func q2_K(_ s: UnsafeRawBufferPointer) -> GGUFBlockFields {
        let d = half(s, 80), dmin = half(s, 82)
        var codes = [Int](repeating: 0, count: 256)
        for h in 0..<2 { for t in 0..<4 { for l in 0..<32 {
            codes[128 * h + 32 * t + l] = Int(s[16 + 32 * h + l] >> UInt8(2 * t)) & 3
        } } }
        let scales = (0..<16).map { Int(s[$0] & 0x0F) }, mins = (0..<16).map { Int(s[$0] >> 4) }
        let grids = (0..<16).map { Grid(factor: d * Float(scales[$0]), min: dmin * Float(mins[$0]), levels: Array(0..<4)) }
        return GGUFBlockFields(params: [.init("d", .float(d)), .init("dmin", .float(dmin)), ints("scales", scales), ints("mins", mins)],
                               codes: codes, grids: grids, subBlockElements: 16)
    }

    /// Q3_K: hmask[32], qs[64], scales[12] (sixteen 6-bit scales), d.
    /// Value 128h + 32t + l: low bits 2t…2t+1 of qs[32h + l], bit 2 = bit
    /// 4h + t of hmask[l].
    private static func q3_K(_ s: UnsafeRawBufferPointer) -> GGUFBlockFields {
        let d = half(s, 108)
        var codes = [Int](repeating: 0, count: 256)
        for h in 0..<2 { for t in 0..<4 { for l in 0..<32 {
            let low = Int(s[32 + 32 * h + l] >> UInt8(2 * t)) & 3
            let high = Int(s[l] >> UInt8(4 * h + t)) & 1
            codes[128 * h + 32 * t + l] = low | high << 2
        } } }
        var scales = [Int]()
        for k in 0..<16 {
            let low = Int(s[96 + k % 8] >> UInt8(4 * (k / 8))) & 0x0F
            let high = Int(s[104 + k % 4] >> UInt8(2 * (k / 4))) & 3
            scales.append(low | high << 4)
        }
        let grids = scales.map { Grid(factor: d * Float($0 - 32), min: 0, levels: Array(-4...3)) }
        return GGUFBlockFields(params: [.init("d", .float(d)), ints("scales", scales), packed("scales_packed", s, 96, 12)],
                               codes: codes, grids: grids, subBlockElements: 16)
    }

    /// Q4_K and Q5_K: d, dmin, scales[12] (eight 6-bit scales and mins,
    /// ggml's `get_scale_min_k4`), [Q5: qh[32]], qs[128]. Sub-block j = 2c + t
    /// is nibble t of qs[32c…32c + 31]; Q5's bit 4 of value 32j + l is bit j of qh[l].
    private static func q45_K(_ s: UnsafeRawBufferPointer, bits: Int) -> GGUFBlockFields {
        let d = half(s, 0), dmin = half(s, 2)
        let qs = bits == 5 ? 48 : 16
        var codes = [Int](repeating: 0, count: 256)
        for c in 0..<4 { for t in 0..<2 { for l in 0..<32 {
            let j = 2 * c + t
            var q = Int(s[qs + 32 * c + l] >> UInt8(4 * t)) & 0x0F
            if bits == 5 { q |= (Int(s[16 + l] >> UInt8(j)) & 1) << 4 }
            codes[32 * j + l] = q
        } } }
        var scales = [Int](), mins = [Int]()
        for j in 0..<8 {
            if j < 4 {
                scales.append(Int(s[4 + j] & 63)); mins.append(Int(s[8 + j] & 63))
            } else {
                scales.append(Int(s[8 + j] & 0x0F) | Int(s[4 + j - 4] >> 6) << 4)
                mins.append(Int(s[8 + j] >> 4) | Int(s[4 + j] >> 6) << 4)
            }
        }
        let grids = (0..<8).map { Grid(factor: d * Float(scales[$0]), min: dmin * Float(mins[$0]), levels: Array(0..<(1 << bits))) }
        return GGUFBlockFields(params: [.init("d", .float(d)), .init("dmin", .float(dmin)), ints("scales", scales), ints("mins", mins),
                                        packed("scales_packed", s, 4, 12)],
                               codes: codes, grids: grids, subBlockElements: 32)
    }

    /// Q6_K: ql[128], qh[64], scales:int8[16], d. Value 128h + 32g + l: low
    /// nibble g / 2 of ql[64h + 32(g % 2) + l], bits 4…5 = bits 2g…2g+1 of qh[32h + l].
    private static func q6_K(_ s: UnsafeRawBufferPointer) -> GGUFBlockFields {
        let d = half(s, 208)
        var codes = [Int](repeating: 0, count: 256)
        for h in 0..<2 { for g in 0..<4 { for l in 0..<32 {
            let low = Int(s[64 * h + 32 * (g % 2) + l] >> UInt8(4 * (g / 2))) & 0x0F
            let high = Int(s[128 + 32 * h + l] >> UInt8(2 * g)) & 3
            codes[128 * h + 32 * g + l] = low | high << 4
        } } }
        let scales = (0..<16).map { Int(Int8(bitPattern: s[192 + $0])) }
        let grids = scales.map { Grid(factor: d * Float($0), min: 0, levels: (0..<64).map { $0 - 32 }) }
        return GGUFBlockFields(params: [.init("d", .float(d)), ints("scales", scales)], codes: codes, grids: grids, subBlockElements: 16)
    }

    /// IQ4_XS: d, scales_h:u16, scales_l[4], qs[128]; sub-block j reads
    /// qs[16j…16j + 15] as a 32-value nibble run.
    private static func iq4_xs(_ s: UnsafeRawBufferPointer) -> GGUFBlockFields {
        let d = half(s, 0)
        let high = Int(s[2]) | Int(s[3]) << 8
        var codes = [Int](), scales = [Int]()
        for j in 0..<8 {
            let low = Int(s[4 + j / 2] >> UInt8(4 * (j % 2))) & 0x0F
            scales.append(low | ((high >> (2 * j)) & 3) << 4)
            codes += nibbles(s, at: 8 + 16 * j)
        }
        let grids = scales.map { Grid(factor: d * Float($0 - 32), min: 0, levels: iq4Levels) }
        return GGUFBlockFields(params: [.init("d", .float(d)), ints("scales", scales)], codes: codes, grids: grids, subBlockElements: 32)
    }

    // MARK: - Bytes

    /// A 32-value nibble run: value j < 16 the low nibble of byte j, j ≥ 16 the high nibble of byte j − 16.
    private static func nibbles(_ s: UnsafeRawBufferPointer, at offset: Int) -> [Int] {
        (0..<32).map { j in j < 16 ? Int(s[offset + j] & 0x0F) : Int(s[offset + j - 16] >> 4) }
    }

    private static func half(_ s: UnsafeRawBufferPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(s[offset]) | UInt16(s[offset + 1]) << 8))
    }

    private static func word(_ s: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(s[offset + $1]) << UInt32(8 * $1) }
    }

    private static func ints(_ key: String, _ values: [Int]) -> JSONValue.Member {
        .init(key, .array(values.map { .integer(Int64($0)) }))
    }

    private static func packed(_ key: String, _ s: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> JSONValue.Member {
        .init(key, .array((0..<count).map { .integer(Int64(s[offset + $0])) }))
    }
}
