/// SIMD decoders for ggml's codebook block types, whose 4-bit codes index a
/// table of sixteen levels instead of counting steps: IQ4_NL, IQ4_XS and
/// MXFP4. Bit-exact with `gguf.quants.dequantize` (gguf-py 0.19) and ggml's
/// `dequantize_row_*`.
///
/// ```
///  iq4_nl  d:f16 | qs[16]                                   18 B   x̂ = d·kvalues[q]
///  iq4_xs  d:f16 scales_h:u16 scales_l[4] | qs[128]        136 B   x̂ = (d·(sc − 32))·kvalues[q], 8 × 32
///  mxfp4   e:e8m0 | qs[16]                                  17 B   x̂ = (2^(e−127) / 2)·2·e2m1[q]
///  in each run of 32 values, value j < 16 is the low nibble of qs[j], value j ≥ 16 the high nibble of qs[j − 16].
/// ```
/// The levels are integers (IQ4 `kvalues`; MXFP4 doubles its E2M1 levels and
/// halves the scale), so each value is one Float32 multiply, as in numpy.
/// The MXFP4 scale follows ggml's `ggml_e8m0_to_fp32_half`: e = 0 and 1
/// give the subnormals 2^−128 and 2^−127, e = 255 gives 2^127 (not NaN).
/// Spec: https://www.opencompute.org/documents/ocp-microscaling-formats-mx-v1-0-spec-final-pdf
enum NonLinearBlockDecoder {
    private typealias L = BlockLanes

    /// IQ4_NL / IQ4_XS levels (ggml's `kvalues_iq4nl`).
    static let iq4Levels = BlockLanes.ByteTable([-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113])

    /// MXFP4 levels: E2M1 values doubled, code 8 is +0 (ggml's `kvalues_mxfp4`).
    static let mxfp4Levels = BlockLanes.ByteTable([0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12])

    /// Decodes `blocks` IQ4_NL blocks from `src` into `dst` (32 values each).
    static func iq4_nl(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        let table = iq4Levels
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.Floats(repeating: L.half(s, 0))
            let q = L.words(s, 2)
            L.store(d * table.floats(q & 0x0F), o, 0)
            L.store(d * table.floats(q &>> 4), o, 16)
            s += 18; o += 32
        }
    }

    /// Decodes `blocks` IQ4_XS blocks from `src` into `dst` (256 values each).
    ///
    /// Sub-block j (values 32j…32j + 31) reads qs[16j…16j + 15]; its 6-bit
    /// scale is nibble j % 2 of scales_l[j / 2] plus bits 2j…2j+1 of scales_h
    /// as bits 4…5.
    static func iq4_xs(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        let table = iq4Levels
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.half(s, 0)
            let high = UInt32(UInt16(littleEndian: s.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
            for j in 0..<8 {
                let low = UInt32(L.byte(s, 4 + j / 2) >> UInt8(4 * (j % 2))) & 0x0F
                let sc = low | ((high >> UInt32(2 * j)) & 3) << 4
                let dl = L.Floats(repeating: d * Float(Int(sc) - 32))
                let q = L.words(s, 8 + 16 * j)
                L.store(dl * table.floats(q & 0x0F), o, 32 * j)
                L.store(dl * table.floats(q &>> 4), o, 32 * j + 16)
            }
            s += 136; o += 256
        }
    }

    /// Decodes `blocks` MXFP4 blocks from `src` into `dst` (32 values each).
    static func mxfp4(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        let table = mxfp4Levels
        var s = src, o = dst
        for _ in 0..<blocks {
            let d = L.Floats(repeating: halfScale(L.byte(s, 0)))
            let q = L.words(s, 1)
            L.store(d * table.floats(q & 0x0F), o, 0)
            L.store(d * table.floats(q &>> 4), o, 16)
            s += 17; o += 32
        }
    }

    /// Half of the E8M0 scale 2^(e − 127), as ggml's `ggml_e8m0_to_fp32_half`.
    @inline(__always)
    static func halfScale(_ e: UInt8) -> Float {
        let bits = e < 2 ? UInt32(0x0020_0000) << UInt32(e) : UInt32(e - 1) << 23
        return Float(bitPattern: bits)
    }
}
