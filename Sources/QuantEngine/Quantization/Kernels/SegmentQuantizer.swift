/// Runs an `ElementCodec` over a tensor laid out by a `GroupLayout`, on
/// every core: the range pass, the parameters, the encode pass, and the
/// error sums, all in one place for every scheme.
///
/// Two strategies:
/// - *fused* (each segment is one group, groups of modest size — per-channel
///   rows, group:G runs): a worker finds a group's range and encodes it while
///   the values are still in cache, so the tensor is read from memory once;
/// - *two-phase* (per-tensor, strided channels, tiles): workers take flat
///   ranges, reduce each group's range, then encode.
///
/// Non-finite values: the range pass notices them for free (x − x is not 0),
/// and only groups that hold one take the careful path, which zeroes them
/// for the SIMD encode and patches their codes afterwards.
struct SegmentQuantizer<Codec: ElementCodec> {
    let codec: Codec
    let layout: GroupLayout
    /// Cancels between groups or pieces (the output is then incomplete and
    /// the caller throws) and counts finished elements for progress.
    var token: WorkToken? = nil

    /// Per group, only what the result keeps (scale and zero-point written
    /// as each group is done: a per-element granularity has as many groups
    /// as elements, so no wider per-group table is ever built).
    struct Output {
        var scales: [Float]
        var zeroPoints: [Int32]
        var metrics: MetricsAccumulator
        var groupSquaredError: [Double]
        var groupNonfinite: [Int]
    }

    /// Groups up to this many elements are quantized fused (range + encode).
    static var fusedGroupLimit: Int { 1 << 18 }

    /// Quantizes `x` into `codes` (low byte of each code) and, when given,
    /// `values` (x̂); without them x̂ is computed, measured and dropped (the
    /// explorer's large tensors, which read x̂ back from the codes).
    func run(_ x: UnsafeBufferPointer<Float>, codes: UnsafeMutableBufferPointer<UInt8>,
             values: UnsafeMutableBufferPointer<Float>?) -> Output {
        precondition(x.count == layout.count && codes.count == x.count && (values == nil || values?.count == x.count))
        guard let base = x.baseAddress, let codeBase = codes.baseAddress, layout.groupCount > 0 else {
            return Output(scales: [], zeroPoints: [], metrics: MetricsAccumulator(), groupSquaredError: [], groupNonfinite: [])
        }
        let io = IO(x: base, codes: codeBase, values: values?.baseAddress)
        token?.expect(layout.count * (layout.segmentsAreGroups && layout.groupCount > 1 ? 1 : 2))
        if layout.segmentsAreGroups && layout.groupCount > 1 && layout.count / layout.groupCount <= Self.fusedGroupLimit {
            return runFused(io)
        }
        return runTwoPhase(io)
    }

    struct IO: @unchecked Sendable {
        let x: UnsafePointer<Float>
        let codes: UnsafeMutablePointer<UInt8>
        /// Nil: x̂ is not kept.
        let values: UnsafeMutablePointer<Float>?
    }

    // MARK: Fused

    private func runFused(_ io: IO) -> Output {
        let groups = layout.groupCount
        var scales = [Float](repeating: 0, count: groups)
        var zeroPoints = [Int32](repeating: 0, count: groups)
        var squaredError = [Double](repeating: 0, count: groups)
        var nonfinite = [Int](repeating: 0, count: groups)
        let averageGroup = max(1, layout.count / groups)
        let parts = scales.withUnsafeMutableBufferPointer { scaleSlots in
          zeroPoints.withUnsafeMutableBufferPointer { zeroSlots in
            squaredError.withUnsafeMutableBufferPointer { sse in
                nonfinite.withUnsafeMutableBufferPointer { nf in
                    let slots = UnsafeSendable((scaleSlots, zeroSlots, sse, nf))
                    return Parallel.map(count: groups, minimumChunk: max(1, (1 << 15) / averageGroup)) { range -> MetricsAccumulator in
                        var sums = MetricsAccumulator()
                        var sinceReport = 0
                        for g in range {
                            if token?.isCancelled == true { break }
                            let seg = layout.segment(g)
                            let r = SegmentQuantizer.range(io.x + seg.start, count: seg.length, exact: codec.exactRange)
                            let p = codec.parameters(lo: r.lo, hi: r.hi)
                            slots.value.0[g] = codec.scale(p)
                            slots.value.1[g] = codec.zeroPoint(p)
                            slots.value.2[g] = encode(io, start: seg.start, count: seg.length, p, careful: r.nonfinite > 0,
                                                      wide: SegmentQuantizer.needsWideSums(lo: r.lo, hi: r.hi), into: &sums)
                            slots.value.3[g] = r.nonfinite
                            sinceReport += seg.length
                            if sinceReport >= 1 << 18 { token?.advance(sinceReport); sinceReport = 0 }
                        }
                        token?.advance(sinceReport)
                        return sums
                    }
                }
            }
          }
        }
        var metrics = MetricsAccumulator()
        for part in parts { metrics.merge(part) }
        if token?.isCancelled == true {
            return Output(scales: [], zeroPoints: [], metrics: metrics, groupSquaredError: [], groupNonfinite: [])
        }
        return Output(scales: scales, zeroPoints: zeroPoints, metrics: metrics, groupSquaredError: squaredError, groupNonfinite: nonfinite)
    }

    // MARK: Two-phase

    /// The pieces of segments that fall inside a flat range, in order, cut to
    /// at most 64K elements so cancellation and progress stay responsive.
    private func forEachPiece(in flat: Range<Int>, _ body: (_ start: Int, _ count: Int, _ group: Int) -> Void) {
        guard !flat.isEmpty else { return }
        let maxPiece = 1 << 16
        var s = segmentIndex(containing: flat.lowerBound)
        while s < layout.segmentCount {
            if token?.isCancelled == true { return }
            let seg = layout.segment(s)
            if seg.start >= flat.upperBound { break }
            var lower = max(seg.start, flat.lowerBound)
            let upper = min(seg.start + seg.length, flat.upperBound)
            while lower < upper {
                let end = min(upper, lower + maxPiece)
                body(lower, end - lower, seg.group)
                token?.advance(end - lower)
                lower = end
            }
            s += 1
        }
    }

    private func segmentIndex(containing flat: Int) -> Int {
        // Segments tile the flat range in order; binary search on their starts.
        var lo = 0, hi = layout.segmentCount - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if layout.segment(mid).start <= flat { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    private struct GroupRange {
        var lo: Float
        var hi: Float
        var nonfinite = 0

        /// Empty: [0, 0] when the range holds 0, else [+∞, −∞].
        init(exact: Bool) {
            lo = exact ? .infinity : 0
            hi = exact ? -.infinity : 0
        }
    }

    private func runTwoPhase(_ io: IO) -> Output {
        let groups = layout.groupCount
        let chunk = 1 << 16
        // Phase 1: each worker reduces its flat range into its own per-group table.
        let tables = Parallel.map(count: layout.count, minimumChunk: chunk) { flat -> [GroupRange] in
            var table = [GroupRange](repeating: GroupRange(exact: codec.exactRange), count: groups)
            forEachPiece(in: flat) { start, count, group in
                let r = SegmentQuantizer.range(io.x + start, count: count, exact: codec.exactRange)
                table[group].lo = min(table[group].lo, r.lo)
                table[group].hi = max(table[group].hi, r.hi)
                table[group].nonfinite += r.nonfinite
            }
            return table
        }
        var merged = tables[0]
        for table in tables.dropFirst() {
            for g in 0..<groups {
                merged[g].lo = min(merged[g].lo, table[g].lo)
                merged[g].hi = max(merged[g].hi, table[g].hi)
                merged[g].nonfinite += table[g].nonfinite
            }
        }
        let parameters = merged.map { codec.parameters(lo: $0.lo, hi: $0.hi) }
        let wide = merged.map { SegmentQuantizer.needsWideSums(lo: $0.lo, hi: $0.hi) }
        // Phase 2: encode; per-group error sums again per worker, merged after.
        let parts = Parallel.map(count: layout.count, minimumChunk: chunk) { flat -> (MetricsAccumulator, [Double]) in
            var sums = MetricsAccumulator()
            var sse = [Double](repeating: 0, count: groups)
            forEachPiece(in: flat) { start, count, group in
                sse[group] += encode(io, start: start, count: count, parameters[group], careful: merged[group].nonfinite > 0,
                                     wide: wide[group], into: &sums)
            }
            return (sums, sse)
        }
        var metrics = MetricsAccumulator()
        var squaredError = [Double](repeating: 0, count: groups)
        for (acc, sse) in parts {
            metrics.merge(acc)
            for g in 0..<groups { squaredError[g] += sse[g] }
        }
        return Output(scales: parameters.map(codec.scale), zeroPoints: parameters.map(codec.zeroPoint), metrics: metrics,
                      groupSquaredError: squaredError, groupNonfinite: merged.map(\.nonfinite))
    }

    // MARK: Kernels

    /// Whether a group's values are so large or so small that squares summed
    /// in Float32 would overflow or underflow (beyond 2^±50); such groups
    /// take their error sums in Float64, element by element.
    static func needsWideSums(lo: Float, hi: Float) -> Bool {
        let amax = max(-lo, hi)
        return amax > 0x1p50 || (amax > 0 && amax < 0x1p-50)
    }

    /// min(x, 0), max(x, 0) over finite values and the number of non-finite ones;
    /// with `exact`, min x and max x (+∞ and −∞ when no value is finite).
    static func range(_ x: UnsafePointer<Float>, count: Int, exact: Bool = false) -> (lo: Float, hi: Float, nonfinite: Int) {
        let width = FloatVector.scalarCount
        let start: Float = exact ? .infinity : 0
        var lo = FloatVector(repeating: start), hi = FloatVector(repeating: -start), poison = FloatVector()
        var i = 0
        while i + width <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: FloatVector.self)
            poison += v - v
            lo = lo.replacing(with: v, where: v .< lo)
            hi = hi.replacing(with: v, where: v .> hi)
            i += width
        }
        var l = lo.treeMin(), h = hi.treeMax()
        var tailPoison: Float = 0
        while i < count {
            let v = x[i]
            tailPoison += v - v
            l = min(l, v)
            h = max(h, v)
            i += 1
        }
        if poison.treeSum() == 0 && tailPoison == 0 { return (l, h, 0) }
        // Rare: something is NaN or ±Inf; redo this piece exactly.
        var nonfinite = 0
        l = start
        h = -start
        for j in 0..<count {
            let v = x[j]
            if v.isFinite { l = min(l, v); h = max(h, v) } else { nonfinite += 1 }
        }
        return (l, h, nonfinite)
    }

    /// Encodes one piece; `careful` when it may hold NaN or ±Inf. Returns
    /// the piece's Σ(x − x̂)².
    ///
    /// The error sums live in local vectors for runs of 256 elements and then
    /// move into Float64; keeping them local (not in a struct passed inout)
    /// is what lets them stay in registers.
    @inline(__always)
    private func encode(_ io: IO, start: Int, count: Int, _ p: Codec.Parameters, careful: Bool, wide: Bool,
                        into sums: inout MetricsAccumulator) -> Double {
        if wide { return encodeWide(io, start: start, count: count, p, into: &sums) }
        let width = FloatVector.scalarCount
        let runElements = 256
        let x = io.x + start, codes = io.codes + start, values = io.values.map { $0 + start }
        var pieceSquared = 0.0
        var i = 0
        var nonfinite = 0
        while i + width <= count {
            let end = min(count, i + runElements)
            var squared = FloatVector(), absolute = FloatVector(), largest = FloatVector()
            var xx = FloatVector(), yy = FloatVector(), xy = FloatVector()
            while i + width <= end {
                var v = UnsafeRawPointer(x + i).loadUnaligned(as: FloatVector.self)
                var bad = SIMDMask<MaskStorageVector>()
                if careful {
                    bad = .!((v - v) .== FloatVector())
                    v = v.replacing(with: 0, where: bad)
                }
                var (c, y) = codec.encode(v, p)
                // A zeroed lane's x̂ may not be 0 (intB-asym-exact): keep it out of the sums.
                if careful { y = y.replacing(with: 0, where: bad) }
                let e = v - y
                squared += e * e
                let magnitude = FloatVector(bitPattern: WordVector(bitPattern: e) & 0x7FFF_FFFF)
                absolute += magnitude
                largest = largest.replacing(with: magnitude, where: magnitude .> largest)
                xx += v * v
                yy += y * y
                xy += v * y
                UnsafeMutableRawPointer(codes + i).storeBytes(of: ByteVector(truncatingIfNeeded: c), as: ByteVector.self)
                if let values { UnsafeMutableRawPointer(values + i).storeBytes(of: y, as: FloatVector.self) }
                if careful && any(bad) {
                    for lane in 0..<width where bad[lane] {
                        let (code, value) = codec.encodeNonFinite(x[i + lane], p)
                        codes[i + lane] = UInt8(truncatingIfNeeded: code)
                        values?[i + lane] = value
                        nonfinite += 1
                    }
                }
                i += width
            }
            let runSquared = Double(squared.treeSum())
            pieceSquared += runSquared
            sums.sumSquaredError += runSquared
            sums.sumAbsError += Double(absolute.treeSum())
            sums.maxAbsError = max(sums.maxAbsError, Double(largest.treeMax()))
            sums.sumSquares += Double(xx.treeSum())
            sums.sumSquaresApprox += Double(yy.treeSum())
            sums.sumProducts += Double(xy.treeSum())
        }
        if i < count {
            // The tail: pad with zeros, which add nothing to any sum.
            var v = FloatVector()
            var real = SIMDMask<MaskStorageVector>()
            for lane in 0..<(count - i) {
                let value = x[i + lane]
                v[lane] = value.isFinite ? value : 0
                real[lane] = value.isFinite
            }
            let (c, y) = codec.encode(v, p)
            var partial = MetricsAccumulator.Partial()
            // Padding lanes count as x̂ = 0 whatever the grid gives 0 (intB-asym-exact may not).
            pieceSquared += Double(partial.add(v, y.replacing(with: 0, where: .!real)).treeSum())
            sums.flush(&partial)
            for lane in 0..<(count - i) {
                let value = x[i + lane]
                if value.isFinite {
                    codes[i + lane] = UInt8(truncatingIfNeeded: c[lane])
                    values?[i + lane] = y[lane]
                } else {
                    let (code, dequantized) = codec.encodeNonFinite(value, p)
                    codes[i + lane] = UInt8(truncatingIfNeeded: code)
                    values?[i + lane] = dequantized
                    nonfinite += 1
                }
            }
        }
        sums.finite += count - nonfinite
        sums.nonfinite += nonfinite
        return pieceSquared
    }

    /// The rare path for groups of huge or tiny values: encode as usual, then
    /// sum the errors in Float64 element by element.
    private func encodeWide(_ io: IO, start: Int, count: Int, _ p: Codec.Parameters, into sums: inout MetricsAccumulator) -> Double {
        var acc = MetricsAccumulator()
        // x̂ goes through a small scratch when the caller keeps none.
        let chunk = io.values == nil ? 4096 : count
        let scratch = io.values == nil ? UnsafeMutablePointer<Float>.allocate(capacity: chunk) : nil
        defer { scratch?.deallocate() }
        var offset = 0
        while offset < count {
            let n = min(chunk, count - offset), first = start + offset
            let values = io.values.map { $0 + first } ?? scratch!
            var ignored = MetricsAccumulator()
            _ = encode(IO(x: io.x + first, codes: io.codes + first, values: values), start: 0, count: n, p,
                       careful: true, wide: false, into: &ignored)
            for i in 0..<n {
                let x = io.x[first + i]
                if x.isFinite { acc.add(x, values[i]) } else { acc.nonfinite += 1 }
            }
            offset += n
        }
        sums.merge(acc)
        return acc.sumSquaredError
    }
}
