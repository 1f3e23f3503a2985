/// Quantizes rows into GGUF blocks exactly as `gguf.quants` (and llama.cpp's
/// `quantize_row_*_ref`) does, and dequantizes them back. The legacy 32-value
/// blocks are done here; K-quant super-blocks by `KQuantBlockQuantizer`.
///
/// Byte-identical with gguf-py 0.19 on every fixture, including its
/// rounding (q4_0/q5_0 `trunc(x/d + 8.5)`, q4_1/q5_1 `trunc((x−m)/d + 0.5)`,
/// q8_0 round-half-away) and its all-zero blocks (d = −0 for q4_0/q5_0).
/// Codes are computed with the Float32 d, but the Float16-rounded d is stored
/// and used to dequantize, as llama.cpp does.
///
/// Where we differ on purpose: NaN and ±Inf (which llama.cpp would turn into
/// a NaN d) are quantized as 0 and counted as non-finite, so no scale is NaN.
enum GGUFBlockQuantizer {
    /// Quantizes `tensor` (rows a multiple of `block.blockSize`, checked by
    /// `Scheme.validate`) block by block over the cores; K-quant super-blocks
    /// go to `KQuantBlockQuantizer`. `scales` and `mins` hold one entry per
    /// sub-block (`subBlockSize` values), so that x̂ = scale·(q − offset) + min.
    /// - Throws: `.cancelled` when `token` is cancelled part-way.
    static func quantize(_ tensor: Tensor, block: GGUFBlockScheme, layout: GroupLayout,
                         token: WorkToken? = nil, keepingDequantized: Bool = true) throws(QuantizationError) -> QuantizedTensor {
        let n = tensor.count, size = block.blockSize, sub = block.subBlockSize
        let blocks = n / size, groups = n / sub
        var bytes = [UInt8](repeating: 0, count: blocks * block.typeSize)
        var codes = [UInt8](repeating: 0, count: n)
        var scales = [Float](repeating: 0, count: groups)
        var mins = [Float](repeating: 0, count: block.hasMin ? groups : 0)
        var values = [Float](repeating: 0, count: keepingDequantized ? n : 0)
        token?.expect(n)
        tensor.values.withUnsafeBufferPointer { x in
            bytes.withUnsafeMutableBytes { out in
                codes.withUnsafeMutableBufferPointer { codeOut in
                    let io = UnsafeSendable((x.baseAddress, out.baseAddress, codeOut.baseAddress))
                    // K-quant blocks cost ~50 µs each: small chunks keep both cores busy and cancellation prompt.
                    Parallel.forEach(count: blocks, minimumChunk: block.isKQuant ? 16 : 256) { range in
                        guard let x = io.value.0, let out = io.value.1, let codes = io.value.2 else { return }
                        var input = [Float](repeating: 0, count: size)
                        var scratch = KQuantBlockQuantizer.Scratch()
                        for b in range {
                            if b % 64 == 0 && token?.isCancelled == true { return }
                            for j in 0..<size {
                                let v = x[b * size + j]
                                input[j] = v.isFinite ? v : 0
                            }
                            let dst = out + b * block.typeSize, blockCodes = codes + b * size
                            if block.isKQuant {
                                input.withUnsafeBufferPointer {
                                    KQuantBlockQuantizer.quantize($0.baseAddress!, block, into: dst, codes: blockCodes, scratch: &scratch)
                                }
                            } else {
                                quantizeBlock(input, block, into: UnsafeMutableRawBufferPointer(start: dst, count: block.typeSize),
                                              codes: UnsafeMutableBufferPointer(start: blockCodes, count: size))
                            }
                            token?.advance(size)
                        }
                    }
                }
            }
        }
        if token?.isCancelled == true { throw .cancelled }
        bytes.withUnsafeBytes { raw in
            if keepingDequantized {
                values.withUnsafeMutableBufferPointer { out in
                    GGMLBlockDecoding.decode(block.ggmlType, raw, count: n, into: out)
                }
            }
            scales.withUnsafeMutableBufferPointer { s in
                mins.withUnsafeMutableBufferPointer { m in
                    for b in 0..<blocks {
                        let src = raw.baseAddress! + b * block.typeSize
                        if block.isKQuant {
                            let perBlock = size / sub
                            KQuantBlockQuantizer.fields(src, block, scales: s.baseAddress! + b * perBlock,
                                                        mins: block.hasMin ? m.baseAddress! + b * perBlock : nil)
                        } else {
                            s[b] = GGUFBlockDecoder.half(raw, at: b * block.typeSize)
                            if block.hasMin { m[b] = GGUFBlockDecoder.half(raw, at: b * block.typeSize + 2) }
                        }
                    }
                }
            }
        }
        var groupSSE = [Double](repeating: 0, count: groups)
        var groupNonfinite = [Int](repeating: 0, count: groups)
        let metrics: ErrorMetrics
        if keepingDequantized {
            metrics = tensor.values.withUnsafeBufferPointer { x in
                values.withUnsafeBufferPointer { y in ErrorMetrics.compare(x, y) }
            }
            accumulateGroups(tensor.values, values, sub: sub, &groupSSE, &groupNonfinite)
        } else {
            // x̂ a chunk of blocks at a time on every core, measured and dropped.
            let chunk = max(1, (1 << 16) / size) * size
            let chunks = (n + chunk - 1) / chunk
            let parts = bytes.withUnsafeBytes { raw in
                tensor.values.withUnsafeBufferPointer { xs in
                    Parallel.map(count: chunks) { range -> [(MetricsAccumulator, [Double], [Int])] in
                        var y = [Float](repeating: 0, count: chunk)
                        return range.map { c in
                            let start = c * chunk, count = min(chunk, n - start)
                            let part = UnsafeRawBufferPointer(rebasing: raw[(start / size * block.typeSize)...])
                            y.withUnsafeMutableBufferPointer { GGMLBlockDecoding.decode(block.ggmlType, part, count: count, into: $0) }
                            var acc = MetricsAccumulator()
                            var sse = [Double](repeating: 0, count: count / sub), bad = [Int](repeating: 0, count: count / sub)
                            for k in 0..<count {
                                let x = xs[start + k]
                                guard x.isFinite else { acc.nonfinite += 1; bad[k / sub] += 1; continue }
                                acc.add(x, y[k])
                                let e = Double(x) - Double(y[k])
                                sse[k / sub] += e * e
                            }
                            return (acc, sse, bad)
                        }
                    }
                }
            }
            var total = MetricsAccumulator()
            var group = 0
            for (acc, sse, bad) in parts.joined() {
                total.merge(acc)
                for j in sse.indices {
                    groupSSE[group + j] = sse[j]
                    groupNonfinite[group + j] = bad[j]
                }
                group += sse.count
            }
            metrics = total.metrics(elements: n)
        }
        return QuantizedTensor(scheme: .gguf(block), granularity: .group(size: sub), shape: tensor.shape, clip: 1,
                               codes: codes, scales: scales, zeroPoints: nil, mins: block.hasMin ? mins : nil,
                               blockBytes: bytes, dequantized: values, metrics: metrics,
                               groupSquaredError: groupSSE, groupNonfinite: groupNonfinite, layout: layout)
    }

    /// Adds each element's (x − x̂)² and non-finite count to its sub-block.
    private static func accumulateGroups(_ x: [Float], _ y: [Float], sub: Int,
                                         _ sse: inout [Double], _ nonfinite: inout [Int]) {
        for i in 0..<x.count {
            let v = x[i]
            if v.isFinite {
                let e = Double(v) - Double(y[i])
                sse[i / sub] += e * e
            } else {
                nonfinite[i / sub] += 1
            }
        }
    }

    /// One block of 32 finite values.
    static func quantizeBlock(_ x: [Float], _ block: GGUFBlockScheme, into out: UnsafeMutableRawBufferPointer,
                              codes: UnsafeMutableBufferPointer<UInt8>) {
        switch block {
        case .q4_0, .q5_0:
            let levels: Float = block == .q4_0 ? 8 : 16
            var amax: Float = 0, signedMax: Float = 0
            for v in x where abs(v) > amax { amax = abs(v); signedMax = v }
            let d = signedMax / -levels
            let id: Float = d == 0 ? 0 : 1 / d
            let top: Float = block == .q4_0 ? 15 : 31
            for j in 0..<32 { codes[j] = truncatedCode(x[j] * id + (levels + 0.5), top: top) }
            storeHalf(d, out, at: 0)
            if block == .q5_0 { storeHighBits(codes, out, at: 2) }
            storeNibbles(codes, out, at: block == .q4_0 ? 2 : 6)
        case .q4_1, .q5_1:
            var lo = x[0], hi = x[0]
            for v in x { lo = min(lo, v); hi = max(hi, v) }
            let top: Float = block == .q4_1 ? 15 : 31
            let d = (hi - lo) / top
            let id: Float = d == 0 ? 0 : 1 / d
            for j in 0..<32 { codes[j] = truncatedCode((x[j] - lo) * id + 0.5, top: top) }
            storeHalf(d, out, at: 0)
            storeHalf(lo, out, at: 2)
            if block == .q5_1 { storeHighBits(codes, out, at: 4) }
            storeNibbles(codes, out, at: block == .q4_1 ? 4 : 8)
        case .q8_0:
            var amax: Float = 0
            for v in x { amax = max(amax, abs(v)) }
            let d = amax / 127
            let id: Float = d == 0 ? 0 : 1 / d
            storeHalf(d, out, at: 0)
            for j in 0..<32 {
                let scaled = (x[j] * id).rounded(.toNearestOrAwayFromZero)
                let q = scaled.isFinite ? Int8(max(-128, min(127, scaled))) : 0
                codes[j] = UInt8(bitPattern: q)
                out[2 + j] = UInt8(bitPattern: q)
            }
        case .q2_k, .q3_k, .q4_k, .q5_k, .q6_k:
            preconditionFailure("\(block) blocks hold 256 values: KQuantBlockQuantizer")
        }
    }

    /// numpy's `trunc(v).astype(uint8).clip(0, top)` for the v that arise.
    /// A block whose d is subnormal makes 1/d infinite and v NaN or ±Inf;
    /// numpy's cast then gives 0 on x86 (as gguf-py's output shows), and so do we.
    @inline(__always)
    private static func truncatedCode(_ v: Float, top: Float) -> UInt8 {
        guard v.isFinite else { return 0 }
        return UInt8(min(max(v.rounded(.towardZero), 0), top))
    }

    private static func storeHalf(_ value: Float, _ out: UnsafeMutableRawBufferPointer, at offset: Int) {
        let bits = Float16(value).bitPattern
        out[offset] = UInt8(truncatingIfNeeded: bits)
        out[offset + 1] = UInt8(truncatingIfNeeded: bits >> 8)
    }

    /// Low nibbles: byte j holds element j (low) and element j + 16 (high).
    private static func storeNibbles(_ codes: UnsafeMutableBufferPointer<UInt8>, _ out: UnsafeMutableRawBufferPointer, at offset: Int) {
        for j in 0..<16 { out[offset + j] = (codes[j] & 0x0F) | ((codes[j + 16] & 0x0F) << 4) }
    }

    /// Bit 4 of each 5-bit code, element j at bit j of a little-endian u32.
    private static func storeHighBits(_ codes: UnsafeMutableBufferPointer<UInt8>, _ out: UnsafeMutableRawBufferPointer, at offset: Int) {
        var qh: UInt32 = 0
        for j in 0..<32 { qh |= UInt32((codes[j] >> 4) & 1) << UInt32(j) }
        for k in 0..<4 { out[offset + k] = UInt8(truncatingIfNeeded: qh >> UInt32(8 * k)) }
    }
}
