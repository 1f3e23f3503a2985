/// Where a float GEMM's weight panels come from: rows of W turned into
/// Float32 a few at a time, in the order the micro-kernel reads them.
///
/// The float32 kernel copies its rows; W4A16 dequantizes int4 codes; FP8
/// decodes E4M3 codes. The panel is small (six rows × one K block), so it
/// stays in L1 while every token's activations stream past it.
protocol FloatWeightPanels {
    /// Rows of W (the output count, N).
    var rows: Int { get }
    /// Columns of W as the activations must be laid out (K, or K padded).
    var columns: Int { get }
    /// Whether each run of 32 columns is stored evens first, then odds (how
    /// low-first int4 bytes unpack without shuffles); activations are packed
    /// in the same order so every product still pairs the right elements.
    var evenOddWithin32: Bool { get }

    /// Writes rows `first..<first + FloatPanelGEMM.panelRows` (rows ≥ N as
    /// zeros), columns `0..<8·chunks` (columns ≥ `columns` as zeros), as
    /// `panel[c][r][0..<8]`: chunk c of 8 columns, then row r. Reading each
    /// row start to end keeps the hardware prefetchers streaming.
    func pack(first: Int, chunks: Int, into panel: UnsafeMutablePointer<Float>)
}

/// The float GEMM driver shared by the float32, W4A16 and FP8 kernels:
/// Y[m, n] = Σ_k X[m, k]·W[n, k], then an optional scale per row and column.
///
/// Blocking: the N panels of six weight rows are split over the cores; a
/// worker packs one whole panel (six rows, all of K: L2-sized), then, one K
/// block of `blockColumns` at a time, runs it against every pair of tokens.
/// The micro-kernel keeps a 2×6 tile of 8-lane accumulators in twelve AVX2
/// registers, reads one token vector per six FMAs from L2 and one weight
/// vector per two FMAs from L1, and sums each accumulator's lanes once per
/// K block. (Measured here it runs level with numpy's OpenBLAS sgemm.)
///
/// Summation order (for error bounds): each output is, per K block, eight
/// lane sums of ⌈block/8⌉ products in column order, added as a tree, then
/// added to the running total block after block.
enum FloatPanelGEMM {
    static let panelRows = 6
    static let blockColumns = 1024

    /// The packed activations: every K block of every pair of tokens, chunk
    /// by chunk (`[block][tile][chunk][2][8]`), zero rows and columns beyond
    /// M and K, columns permuted evens-then-odds when the weights ask.
    struct PackedActivations {
        let base: UnsafeMutablePointer<Float>
        let tiles: Int
        let columns: Int

        init(_ x: UnsafePointer<Float>, m: Int, k: Int, columns: Int, evenOdd: Bool) {
            tiles = (m + 1) / 2
            self.columns = columns
            let width = (columns + 7) / 8 * 8
            base = .allocate(capacity: tiles * 2 * width)
            // Stage each token row zero-padded (and permuted), then deal it into tiles.
            let row = UnsafeMutablePointer<Float>.allocate(capacity: width)
            defer { row.deallocate() }
            for r in 0..<(tiles * 2) {
                row.initialize(repeating: 0, count: width)
                if r < m { row.update(from: x + r * k, count: k) }
                if evenOdd { FloatPanelGEMM.splitEvenOdd(row, count: width) }
                var k0 = 0
                while k0 < width {
                    let chunks = min(FloatPanelGEMM.blockColumns, width - k0) / 8
                    let tile = block(k0) + (r / 2) * chunks * 16 + (r % 2) * 8
                    for c in 0..<chunks {
                        UnsafeMutableRawPointer(tile + c * 16).storeBytes(of: KernelLanes.floats(row + k0 + 8 * c), as: SIMD8<Float>.self)
                    }
                    k0 += FloatPanelGEMM.blockColumns
                }
            }
        }

        /// The start of the K block that begins at column k0.
        func block(_ k0: Int) -> UnsafeMutablePointer<Float> { base + tiles * 16 * (k0 / 8) }

        func deallocate() { base.deallocate() }
    }

    /// Runs the GEMM; `y` is M×N row-major and fully overwritten.
    /// - Parameters:
    ///   - rowScale: one factor per token (nil: 1).
    ///   - columnScale: one factor per output column (nil: 1); the product
    ///     `rowScale[m]·columnScale[n]` multiplies the sum.
    static func run<Panels: FloatWeightPanels>(_ x: UnsafePointer<Float>, m: Int, k: Int, panels: Panels,
                                               rowScale: UnsafePointer<Float>?, columnScale: UnsafePointer<Float>?,
                                               into y: UnsafeMutablePointer<Float>) {
        let n = panels.rows, columns = panels.columns
        precondition(m > 0 && n > 0 && columns >= k)
        let packed = PackedActivations(x, m: m, k: k, columns: columns, evenOdd: panels.evenOddWithin32)
        defer { packed.deallocate() }
        let panelCount = (n + panelRows - 1) / panelRows
        let work = UnsafeSendable((packed, y, rowScale, columnScale))
        // A worker needs enough panels to beat the cost of waking it.
        let minimumPanels = max(1, 4096 / max(1, m * columns / 64))
        Parallel.forEach(count: panelCount, minimumChunk: minimumPanels) { range in
            let (packed, y, rowScale, columnScale) = work.value
            let totalChunks = (columns + 7) / 8
            let panel = UnsafeMutablePointer<Float>.allocate(capacity: panelRows * 8 * totalChunks)
            defer { panel.deallocate() }
            for p in range {
                let n0 = p * panelRows
                let valid = min(panelRows, n - n0)
                // Whole rows at once: six long sequential reads of W.
                panels.pack(first: n0, chunks: totalChunks, into: panel)
                var k0 = 0
                while k0 < columns {
                    let chunks = (min(blockColumns, columns - k0) + 7) / 8
                    let xBlock = packed.block(k0)
                    let wBlock = panel + (k0 / 8) * panelRows * 8
                    for t in 0..<packed.tiles {
                        let sums = tile(xBlock + t * chunks * 16, wBlock, chunks)
                        for r in 0..<min(2, m - 2 * t) {
                            let out = y + (2 * t + r) * n + n0
                            for j in 0..<valid {
                                out[j] = k0 == 0 ? sums[r * 8 + j] : out[j] + sums[r * 8 + j]
                            }
                        }
                    }
                    k0 += blockColumns
                }
            }
            if rowScale != nil || columnScale != nil {
                let lower = range.lowerBound * panelRows, upper = min(n, range.upperBound * panelRows)
                for row in 0..<m {
                    let rs = rowScale?[row] ?? 1
                    let out = y + row * n
                    for col in lower..<upper { out[col] *= rs * (columnScale?[col] ?? 1) }
                }
            }
        }
    }

    /// Reorders each run of 32 values to its 16 evens, then its 16 odds
    /// (`count` is a multiple of 32 whenever a kernel asks for this).
    static func splitEvenOdd(_ row: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 32 <= count {
            let raw = UnsafeMutableRawPointer(row + i)
            let v0 = raw.loadUnaligned(as: SIMD16<Float>.self), v1 = raw.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: SIMD16(lowHalf: v0.evenHalf, highHalf: v1.evenHalf), as: SIMD16<Float>.self)
            raw.storeBytes(of: SIMD16(lowHalf: v0.oddHalf, highHalf: v1.oddHalf), toByteOffset: 64, as: SIMD16<Float>.self)
            i += 32
        }
    }

    /// One 2×6 tile over `chunks` chunks of 8 columns: the twelve dot
    /// products, row-major (token 0's six, then token 1's).
    @inline(__always)
    static func tile(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ chunks: Int) -> SIMD16<Float> {
        typealias V = SIMD8<Float>
        var a00 = V(), a01 = V(), a02 = V(), a03 = V(), a04 = V(), a05 = V()
        var a10 = V(), a11 = V(), a12 = V(), a13 = V(), a14 = V(), a15 = V()
        var xp = x, wp = w
        for _ in 0..<chunks {
            let x0 = KernelLanes.floats(xp), x1 = KernelLanes.floats(xp + 8)
            var v = KernelLanes.floats(wp)
            a00.addProduct(x0, v); a10.addProduct(x1, v)
            v = KernelLanes.floats(wp + 8)
            a01.addProduct(x0, v); a11.addProduct(x1, v)
            v = KernelLanes.floats(wp + 16)
            a02.addProduct(x0, v); a12.addProduct(x1, v)
            v = KernelLanes.floats(wp + 24)
            a03.addProduct(x0, v); a13.addProduct(x1, v)
            v = KernelLanes.floats(wp + 32)
            a04.addProduct(x0, v); a14.addProduct(x1, v)
            v = KernelLanes.floats(wp + 40)
            a05.addProduct(x0, v); a15.addProduct(x1, v)
            xp += 16
            wp += 48
        }
        return SIMD16(a00.treeSum(), a01.treeSum(), a02.treeSum(), a03.treeSum(), a04.treeSum(), a05.treeSum(), 0, 0,
                      a10.treeSum(), a11.treeSum(), a12.treeSum(), a13.treeSum(), a14.treeSum(), a15.treeSum(), 0, 0)
    }
}
