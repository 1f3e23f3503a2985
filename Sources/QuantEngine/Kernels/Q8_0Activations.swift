/// Activations quantized to Q8_0 for the GGUF kernels, one row per token:
/// the codes, each block's d (the Float16-rounded value, as Float32) and,
/// for Q4_0 weights, each block's 8·q_x pair sums (the "− 8" of q − 8).
struct Q8_0Activations {
    let rows: Int
    let columns: Int
    var codes: [Int8]
    var scales: [Float]
    var corrections: [KernelLanes.Shorts]

    init(quantizing x: UnsafePointer<Float>, rows: Int, columns: Int, corrections: Bool) {
        self.rows = rows
        self.columns = columns
        let blocks = columns / 32
        codes = [Int8](repeating: 0, count: rows * columns)
        scales = [Float](repeating: 0, count: rows * blocks)
        // Q8_0 weights need no corrections; one unused entry keeps the base address non-nil.
        self.corrections = [KernelLanes.Shorts](repeating: KernelLanes.Shorts(), count: corrections ? rows * blocks : 1)
        let eight = KernelLanes.UnsignedBytes(repeating: 8)
        codes.withUnsafeMutableBufferPointer { c in
            scales.withUnsafeMutableBufferPointer { s in
                self.corrections.withUnsafeMutableBufferPointer { e in
                    let io = UnsafeSendable((c.baseAddress, s.baseAddress, e.baseAddress))
                    Parallel.forEach(count: rows, minimumChunk: max(1, (1 << 15) / max(1, columns))) { range in
                        guard let c = io.value.0, let s = io.value.1 else { return }
                        for r in range {
                            ActivationQuantizer.q8_0(x + r * columns, k: columns, codes: c + r * columns, scales: s + r * blocks)
                            if corrections, let e = io.value.2 {
                                for b in 0..<blocks {
                                    e[r * blocks + b] = KernelLanes.products(eight, KernelLanes.bytes(c + r * columns + 32 * b))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    struct Pointers {
        let codes: UnsafePointer<Int8>
        let scales: UnsafePointer<Float>
        let corrections: UnsafePointer<KernelLanes.Shorts>
    }

    /// Calls `body` with the arrays' base addresses (not at all when there
    /// is nothing to multiply).
    func withPointers(_ body: (Pointers) -> Void) {
        codes.withUnsafeBufferPointer { c in
            scales.withUnsafeBufferPointer { s in
                corrections.withUnsafeBufferPointer { e in
                    guard let c = c.baseAddress, let s = s.baseAddress, let e = e.baseAddress else { return }
                    body(Pointers(codes: c, scales: s, corrections: e))
                }
            }
        }
    }
}
