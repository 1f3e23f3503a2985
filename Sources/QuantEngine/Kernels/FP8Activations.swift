/// Activations quantized to E4M3 per token (S = amax/448, `FloatCodec`),
/// kept as codes and as their values from `FP8Matmul.decodeTable`
/// (rows × stride, zero-padded).
struct FP8Activations {
    let rows: Int
    let stride: Int
    var codes: [UInt8]
    var values: [Float]
    var scales: [Float]

    init(quantizing x: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int) {
        self.rows = rows
        self.stride = stride
        codes = [UInt8](repeating: 0, count: rows * stride)
        values = [Float](repeating: 0, count: rows * stride)
        scales = [Float](repeating: 1, count: rows)
        codes.withUnsafeMutableBufferPointer { c in
            values.withUnsafeMutableBufferPointer { v in
                scales.withUnsafeMutableBufferPointer { s in
                    FP8Matmul.decodeTable.withUnsafeBufferPointer { table in
                        let io = UnsafeSendable((c.baseAddress, v.baseAddress, s.baseAddress, table.baseAddress))
                        Parallel.forEach(count: rows, minimumChunk: max(1, (1 << 15) / max(1, columns))) { range in
                            guard let c = io.value.0, let v = io.value.1, let s = io.value.2, let table = io.value.3 else { return }
                            for r in range {
                                s[r] = ActivationQuantizer.e4m3(x + r * columns, k: columns, into: c + r * stride, stride: stride)
                                for i in 0..<stride { v[r * stride + i] = table[Int(c[r * stride + i])] }
                            }
                        }
                    }
                }
            }
        }
    }
}
