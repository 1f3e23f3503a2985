/// llama.cpp's CPU matmul for Q4_0 and Q8_0 weights: activations quantized
/// to Q8_0 per 32 values, one exact integer dot per block, scaled by both
/// blocks' Float16 scales and summed in Float32.
///
/// ```
///  q4_0 × q8_0:  y = Σ_b d_w·d_x·Σ_j (q_w,j − 8)·q_x,j      (ggml_vec_dot_q4_0_q8_0)
///  q8_0 × q8_0:  y = Σ_b d_w·d_x·Σ_j q_w,j·q_x,j            (ggml_vec_dot_q8_0_q8_0)
/// ```
/// The activations are quantized with llama.cpp's reference rule
/// (`quantize_row_q8_0_ref`: d = amax/127, round half away from zero),
/// which is what `GGUFBlockQuantizer` does — not with the AVX2
/// `quantize_row_q8_0`, which rounds ties to even and scales by 127/amax.
///
/// Each block's integer sum equals llama.cpp's `sumi` exactly (tested
/// against `ReferenceGGUFMatmul`). The float part differs in order only:
/// here each of eight lanes is scaled by d_w·d_x and the lanes are summed
/// at the end, as llama.cpp's AVX2 path does; its generic C adds sumi·d_w·d_x
/// block after block. Either is within (K/32 + 8)·2⁻²³·Σ_b|d_w·d_x·sumi| of
/// the exact sum, the tests' bound.
///
/// Q4_0: `vpmaddubsw` of the raw nibble (0…15, unsigned) and q_x, minus the
/// precomputed 8·q_x pair sums, is Σ(q − 8)·q_x per Int16 pair, exactly.
/// Q8_0: the sign trick with |q_w| unsigned and q_x signed (q_x is never
/// −128, so any weight byte works, −128 included).
public enum GGUFMatmul {
    /// Quantizes `x` (M×K) to Q8_0 and computes Y = X·Wᵀ into `y` (M×N).
    public static func multiply(_ x: UnsafeBufferPointer<Float>, m: Int, weights w: GGUFBlockWeights,
                                into y: UnsafeMutableBufferPointer<Float>) {
        precondition(x.count >= m * w.columns && y.count >= m * w.rows)
        guard m > 0, w.rows > 0, let yb = y.baseAddress else { return }
        guard w.columns > 0, let xb = x.baseAddress else {
            yb.initialize(repeating: 0, count: m * w.rows)
            return
        }
        let a = Q8_0Activations(quantizing: xb, rows: m, columns: w.columns, corrections: w.type == .q4_0)
        multiply(a, w, into: yb)
    }

    /// Y = X·Wᵀ as a new M×N array.
    public static func multiply(_ x: [Float], m: Int, weights: GGUFBlockWeights) -> [Float] {
        var y = [Float](repeating: 0, count: m * weights.rows)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { multiply(xb, m: m, weights: weights, into: $0) }
        }
        return y
    }

    static func multiply(_ a: Q8_0Activations, _ w: GGUFBlockWeights, into y: UnsafeMutablePointer<Float>) {
        let n = w.rows, m = a.rows, blocks = w.blocksPerRow, typeSize = w.type.typeSize, q4 = w.type == .q4_0
        a.withPointers { act in
            w.blocks.withUnsafeBytes { raw in
                guard let wb = raw.baseAddress else { return }
                let io = UnsafeSendable((act, wb, y))
                Parallel.forEach(count: n, minimumChunk: max(4, (1 << 17) / max(1, m * w.columns))) { range in
                    let (act, wb, y) = io.value
                    if m == 1 {
                        // Four rows at a time (`RowQuads`): four sequential weight
                        // streams, four FMA chains, shared activation loads.
                        RowQuads.forEach(range) { rows in
                            let s = q4 ? rowDotsQ4(wb, rows, blocks: blocks, act) : rowDotsQ8(wb, rows, blocks: blocks, act)
                            for r in (0..<4).reversed() { y[rows[r]] = s[r] }
                        }
                        return
                    }
                    // GEMM: unpack four rows once (codes a byte each, scales as Float32), then every token.
                    let panel = Panel(rows: 4, blocks: blocks)
                    defer { panel.deallocate() }
                    var n0 = range.lowerBound
                    while n0 < range.upperBound {
                        let rowsHere = min(4, range.upperBound - n0)
                        panel.fill(wb + n0 * blocks * typeSize, rows: rowsHere, blocks: blocks, q4: q4)
                        for token in 0..<m {
                            let s = q4 ? panel.dotsQ4(act, token: token, blocks: blocks) : panel.dotsQ8(act, token: token, blocks: blocks)
                            for r in 0..<rowsHere { y[token * n + n0 + r] = s[r] }
                        }
                        n0 += rowsHere
                    }
                }
            }
        }
    }

    /// Σ_j (q − 8)·q_x of one Q4_0 block as Int32 lanes, exact.
    @inline(__always)
    static func lanesQ4(_ block: UnsafeRawPointer, _ x: UnsafePointer<Int8>, _ eightX: KernelLanes.Shorts) -> KernelLanes.Words {
        let qs = block.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
        let q = KernelLanes.joined(qs & 0x0F, qs &>> 4)
        return KernelLanes.pairSums(KernelLanes.products(q, KernelLanes.bytes(x)) &- eightX)
    }

    /// Σ_j q_w·q_x of one Q8_0 block as Int32 lanes, exact.
    @inline(__always)
    static func lanesQ8(_ block: UnsafeRawPointer, _ x: UnsafePointer<Int8>) -> KernelLanes.Words {
        let w = KernelLanes.bytes(block + 2)
        return KernelLanes.dot(w, absX: KernelLanes.absolute(w), KernelLanes.bytes(x))
    }

    @inline(__always)
    static func half(_ block: UnsafeRawPointer) -> Float {
        Float(Float16(bitPattern: UInt16(littleEndian: block.loadUnaligned(as: UInt16.self))))
    }

    /// Four rows' dot products with the first token (GEMV).
    private static func rowDotsQ4(_ wb: UnsafeRawPointer, _ rows: SIMD4<Int>, blocks: Int, _ a: Q8_0Activations.Pointers) -> SIMD4<Float> {
        let r0 = wb + rows[0] * blocks * 18, r1 = wb + rows[1] * blocks * 18, r2 = wb + rows[2] * blocks * 18, r3 = wb + rows[3] * blocks * 18
        var acc0 = KernelLanes.Floats(), acc1 = acc0, acc2 = acc0, acc3 = acc0
        for b in 0..<blocks {
            let x = a.codes + 32 * b, c = a.corrections[b], d = a.scales[b]
            @inline(__always) func step(_ row: UnsafeRawPointer, _ acc: inout KernelLanes.Floats) {
                let block = row + 18 * b
                acc.addProduct(KernelLanes.floats(lanesQ4(block, x, c)), KernelLanes.Floats(repeating: half(block) * d))
            }
            step(r0, &acc0); step(r1, &acc1); step(r2, &acc2); step(r3, &acc3)
        }
        return SIMD4(acc0.treeSum(), acc1.treeSum(), acc2.treeSum(), acc3.treeSum())
    }

    private static func rowDotsQ8(_ wb: UnsafeRawPointer, _ rows: SIMD4<Int>, blocks: Int, _ a: Q8_0Activations.Pointers) -> SIMD4<Float> {
        let r0 = wb + rows[0] * blocks * 34, r1 = wb + rows[1] * blocks * 34, r2 = wb + rows[2] * blocks * 34, r3 = wb + rows[3] * blocks * 34
        var acc0 = KernelLanes.Floats(), acc1 = acc0, acc2 = acc0, acc3 = acc0
        for b in 0..<blocks {
            let x = a.codes + 32 * b, d = a.scales[b]
            @inline(__always) func step(_ row: UnsafeRawPointer, _ acc: inout KernelLanes.Floats) {
                let block = row + 34 * b
                acc.addProduct(KernelLanes.floats(lanesQ8(block, x)), KernelLanes.Floats(repeating: half(block) * d))
            }
            step(r0, &acc0); step(r1, &acc1); step(r2, &acc2); step(r3, &acc3)
        }
        return SIMD4(acc0.treeSum(), acc1.treeSum(), acc2.treeSum(), acc3.treeSum())
    }

    /// Four weight rows unpacked for the GEMM: `[block][row][32]` codes (Q4_0:
    /// the raw nibble 0…15; Q8_0: the int8 code, then its magnitude in a second
    /// array) and `[block][row]` scales.
    struct Panel {
        let codes: UnsafeMutableRawPointer
        let magnitudes: UnsafeMutableRawPointer
        let scales: UnsafeMutablePointer<Float>

        init(rows: Int, blocks: Int) {
            codes = .allocate(byteCount: rows * blocks * 32, alignment: 64)
            magnitudes = .allocate(byteCount: rows * blocks * 32, alignment: 64)
            scales = .allocate(capacity: rows * blocks)
        }

        func deallocate() { codes.deallocate(); magnitudes.deallocate(); scales.deallocate() }

        func fill(_ src: UnsafeRawPointer, rows: Int, blocks: Int, q4: Bool) {
            let typeSize = q4 ? 18 : 34
            // Block-major, so the four rows stream in together.
            for b in 0..<blocks {
                for r in 0..<4 {
                    let dst = (b * 4 + r) * 32
                    guard r < rows else {
                        (codes + dst).storeBytes(of: KernelLanes.Bytes(), as: KernelLanes.Bytes.self)
                        (magnitudes + dst).storeBytes(of: KernelLanes.Bytes(), as: KernelLanes.Bytes.self)
                        scales[b * 4 + r] = 0
                        continue
                    }
                    let block = src + (r * blocks + b) * typeSize
                    scales[b * 4 + r] = GGUFMatmul.half(block)
                    if q4 {
                        let qs = block.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
                        (codes + dst).storeBytes(of: KernelLanes.joined(qs & 0x0F, qs &>> 4), as: KernelLanes.UnsignedBytes.self)
                    } else {
                        let w = KernelLanes.bytes(block + 2)
                        (codes + dst).storeBytes(of: w, as: KernelLanes.Bytes.self)
                        (magnitudes + dst).storeBytes(of: KernelLanes.absolute(w), as: KernelLanes.UnsignedBytes.self)
                    }
                }
            }
        }

        @inline(__always)
        func dotsQ4(_ a: Q8_0Activations.Pointers, token: Int, blocks: Int) -> SIMD4<Float> {
            var a0 = KernelLanes.Floats(), a1 = a0, a2 = a0, a3 = a0
            let x = a.codes + token * blocks * 32, d = a.scales + token * blocks, c = a.corrections + token * blocks
            for b in 0..<blocks {
                let xv = KernelLanes.bytes(x + 32 * b), cv = c[b], dx = d[b]
                let w = codes + b * 128, s = scales + 4 * b
                @inline(__always) func lanes(_ r: Int) -> KernelLanes.Floats {
                    KernelLanes.floats(KernelLanes.pairSums(KernelLanes.products(KernelLanes.unsignedBytes(w + 32 * r), xv) &- cv))
                }
                a0.addProduct(lanes(0), KernelLanes.Floats(repeating: s[0] * dx))
                a1.addProduct(lanes(1), KernelLanes.Floats(repeating: s[1] * dx))
                a2.addProduct(lanes(2), KernelLanes.Floats(repeating: s[2] * dx))
                a3.addProduct(lanes(3), KernelLanes.Floats(repeating: s[3] * dx))
            }
            return SIMD4(a0.treeSum(), a1.treeSum(), a2.treeSum(), a3.treeSum())
        }

        @inline(__always)
        func dotsQ8(_ a: Q8_0Activations.Pointers, token: Int, blocks: Int) -> SIMD4<Float> {
            var a0 = KernelLanes.Floats(), a1 = a0, a2 = a0, a3 = a0
            let x = a.codes + token * blocks * 32, d = a.scales + token * blocks
            for b in 0..<blocks {
                let xv = KernelLanes.bytes(x + 32 * b), dx = d[b]
                let w = codes + b * 128, mag = magnitudes + b * 128, s = scales + 4 * b
                @inline(__always) func lanes(_ r: Int) -> KernelLanes.Floats {
                    KernelLanes.floats(KernelLanes.dot(KernelLanes.bytes(w + 32 * r), absX: KernelLanes.unsignedBytes(mag + 32 * r), xv))
                }
                a0.addProduct(lanes(0), KernelLanes.Floats(repeating: s[0] * dx))
                a1.addProduct(lanes(1), KernelLanes.Floats(repeating: s[1] * dx))
                a2.addProduct(lanes(2), KernelLanes.Floats(repeating: s[2] * dx))
                a3.addProduct(lanes(3), KernelLanes.Floats(repeating: s[3] * dx))
            }
            return SIMD4(a0.treeSum(), a1.treeSum(), a2.treeSum(), a3.treeSum())
        }
    }
}
