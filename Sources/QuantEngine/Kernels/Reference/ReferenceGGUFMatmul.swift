/// The plain twin of `GGUFMatmul`: llama.cpp's generic C, transcribed.
///
/// ```c
/// // ggml_vec_dot_q4_0_q8_0_generic
/// sumi = Σ_{j<16} ((qs[j] & 0x0F) − 8)·y.qs[j] + ((qs[j] >> 4) − 8)·y.qs[j + 16];
/// sumf += sumi*FP16_TO_FP32(x.d)*FP16_TO_FP32(y.d);
/// // ggml_vec_dot_q8_0_q8_0_generic
/// sumi = Σ_{j<32} x.qs[j]·y.qs[j];
/// sumf += sumi*(FP16_TO_FP32(x.d)*FP16_TO_FP32(y.d));
/// ```
/// evaluated left to right in Float32 without fused multiply-adds; the
/// activations are quantized by `GGUFBlockQuantizer` (`quantize_row_q8_0_ref`).
enum ReferenceGGUFMatmul {
    /// Q8_0 blocks of every token (M rows of K/32 blocks).
    static func quantize(_ x: [Float], m: Int, k: Int) -> [UInt8] {
        (0..<m).flatMap { ReferenceActivationQuantizer.q8_0(Array(x[($0 * k)..<(($0 + 1) * k)])) }
    }

    /// The integer sum of one weight block and one activation block.
    static func blockSum(_ w: ArraySlice<UInt8>, _ x: ArraySlice<UInt8>, type: GGUFBlockScheme) -> Int32 {
        let wb = Array(w), xb = Array(x)
        var sumi: Int32 = 0
        if type == .q4_0 {
            var sumi0: Int32 = 0, sumi1: Int32 = 0
            for j in 0..<16 {
                let v0 = Int32(wb[2 + j] & 0x0F) - 8, v1 = Int32(wb[2 + j] >> 4) - 8
                sumi0 += v0 * Int32(Int8(bitPattern: xb[2 + j]))
                sumi1 += v1 * Int32(Int8(bitPattern: xb[2 + j + 16]))
            }
            sumi = sumi0 + sumi1
        } else {
            for j in 0..<32 { sumi += Int32(Int8(bitPattern: wb[2 + j])) * Int32(Int8(bitPattern: xb[2 + j])) }
        }
        return sumi
    }

    /// Σ_j |q_w·q_x| of one pair of blocks (q_w − 8 for Q4_0).
    static func magnitude(_ w: ArraySlice<UInt8>, _ x: ArraySlice<UInt8>, type: GGUFBlockScheme) -> Int {
        let wb = Array(w), xb = Array(x)
        var sum = 0
        for j in 0..<32 {
            let q = type == .q4_0 ? Int(j < 16 ? wb[2 + j] & 0x0F : wb[2 + j - 16] >> 4) - 8 : Int(Int8(bitPattern: wb[2 + j]))
            sum += abs(q * Int(Int8(bitPattern: xb[2 + j])))
        }
        return sum
    }

    static func half(_ b: ArraySlice<UInt8>) -> Float {
        Float(Float16(bitPattern: UInt16(b[b.startIndex]) | UInt16(b[b.startIndex + 1]) << 8))
    }

    /// y[m, n] from weight blocks and activation blocks (`quantize`'s layout),
    /// and Σ_b |d_w·d_x|·Σ_j |q_w·q_x| per output (the float sum's error scale).
    static func multiply(_ xBlocks: [UInt8], m: Int, _ w: GGUFBlockWeights) -> (y: [Float], magnitudes: [Double]) {
        let blocks = w.blocksPerRow
        var y = [Float](repeating: 0, count: m * w.rows), mags = [Double](repeating: 0, count: m * w.rows)
        for i in 0..<m {
            for j in 0..<w.rows {
                var sumf: Float = 0
                var mag = 0.0
                for b in 0..<blocks {
                    let wb = w.blockBytes(row: j, block: b)
                    let start = (i * blocks + b) * 34
                    let xb = xBlocks[start..<(start + 34)]
                    let sumi = blockSum(wb, xb, type: w.type)
                    let dw = half(wb), dx = half(xb)
                    if w.type == .q4_0 {
                        sumf += Float(sumi) * dw * dx
                    } else {
                        sumf += Float(sumi) * (dw * dx)
                    }
                    mag += abs(Double(dw) * Double(dx)) * Double(magnitude(wb, xb, type: w.type))
                }
                y[i * w.rows + j] = sumf
                mags[i * w.rows + j] = mag
            }
        }
        return (y, mags)
    }
}
