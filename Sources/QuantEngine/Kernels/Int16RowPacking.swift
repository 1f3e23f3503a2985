/// Int8 activations widened to Int16, K block by K block:
/// `[block][token][chunk of 16]`, 32 bytes per chunk.
struct Int16RowPacking {
    let base: UnsafeMutableRawPointer
    let rows: Int

    init(_ a: UnsafePointer<Int8>, m: Int, stride: Int, blockColumns: Int) {
        rows = m
        base = .allocate(byteCount: m * 2 * stride, alignment: 64)
        var k0 = 0
        while k0 < stride {
            let chunks = min(blockColumns, stride - k0) / 16
            let blockBase = base + m * 2 * k0
            for r in 0..<m {
                for c in 0..<chunks {
                    (blockBase + (r * chunks + c) * 32).storeBytes(of: KernelLanes.shorts(a + r * stride + k0 + 16 * c), as: KernelLanes.Shorts.self)
                }
            }
            k0 += blockColumns
        }
    }

    /// The start of the K block that begins at column k0.
    func block(_ k0: Int) -> UnsafeMutableRawPointer { base + rows * 2 * k0 }

    func deallocate() { base.deallocate() }
}
