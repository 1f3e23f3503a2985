/// Questions the explorer asks about a quantization result: which values a
/// group can represent, how many codes are used, what was clipped, and how
/// the error spreads over rows.
extension QuantizedTensor {
    /// Every finite value group `g` can dequantize to, ascending and without
    /// repeats: the quantization grid drawn over a histogram. A GGUF d that
    /// overflowed Float16 (docs/contract.md §4) gives ±Inf and NaN levels
    /// (inf · 0), which no axis can place and which do not sort: left out.
    public func levels(group g: Int) -> [Float] {
        guard g >= 0 && g < scales.count else { return [] }
        let s = scales[g]
        var values: [Float]
        switch scheme {
        case .integer(let i):
            let z = Float(zeroPoints?[g] ?? 0)
            values = (i.qmin...i.qmax).map { s * (Float($0) - z) }
        case .float(let f), .microscaling(let f):
            values = (0..<UInt32(f.codeCount)).map { f.decode($0) }.filter(\.isFinite).map { $0 * s }
        case .nf4:
            values = LevelCodec.nf4Levels.map { $0 * s }
        case .bnbFP4:
            values = LevelCodec.fp4Levels.map { $0 * s }
        case .gguf(let b):
            let m = mins?[g] ?? 0
            switch b {
            case .q4_0: values = (0..<16).map { s * Float($0 - 8) }
            case .q5_0: values = (0..<32).map { s * Float($0 - 16) }
            case .q4_1: values = (0..<16).map { s * Float($0) + m }
            case .q5_1: values = (0..<32).map { s * Float($0) + m }
            case .q8_0: values = (-128...127).map { Float($0) * s }
            case .q3_k, .q6_k: values = (0..<(1 << b.codeBits)).map { s * Float($0 - b.codeOffset) }
            case .q2_k, .q4_k, .q5_k: values = (0..<(1 << b.codeBits)).map { s * Float($0) + m }
            }
        }
        var unique: [Float] = []
        for v in values.filter(\.isFinite).sorted() where unique.last != v { unique.append(v == 0 ? 0 : v) }
        return unique
    }

    /// How many codes of the scheme's 2^B exist (integer schemes: qmax − qmin + 1).
    public var possibleCodes: Int {
        switch scheme {
        case .integer(let i): return i.qmax - i.qmin + 1
        case .float(let f), .microscaling(let f):
            return (0..<UInt32(f.codeCount)).filter { f.decode($0).isFinite }.count
        case .nf4, .bnbFP4: return 16
        case .gguf(let b): return 1 << b.codeBits
        }
    }

    /// The grid of a group whose scale is 1 and zero-point 0, ascending: every
    /// group's levels are these mapped by `map(_:group:)`.
    var unitLevels: [Float] {
        var copy = self
        copy.scales = [1]
        copy.zeroPoints = zeroPoints == nil ? nil : [0]
        copy.mins = mins == nil ? nil : [0]
        return copy.levels(group: 0)
    }

    /// A unit level placed in group `g`: S·(u − Z) for integer schemes, S·u + m otherwise.
    @inline(__always)
    func map(_ unit: Float, group g: Int) -> Float {
        switch scheme {
        case .integer: return scales[g] * (unit - Float(zeroPoints?[g] ?? 0))
        default: return scales[g] * unit + (mins?[g] ?? 0)
        }
    }

    /// What one pass over codes, originals and dequantized values tells: how
    /// often each code occurs, what was clipped, and the worst element.
    public struct Survey: Sendable, Equatable {
        /// Occurrences of each code (by its low byte): 256 counts.
        public var codeUsage: [Int]
        public var clippedBelow: Int
        public var clippedAbove: Int
        /// The flat index of the largest |x − x̂| (nil when nothing is finite).
        public var worstIndex: Int?

        public var usedCodes: Int { codeUsage.filter { $0 > 0 }.count }
    }

    /// How often each code occurs, how many finite elements lie beyond their
    /// group's grid by more than half its end step (saturated rather than
    /// rounded), and the worst element — in one parallel pass over the
    /// tensor, segment by segment (what the explorer runs on every recompute).
    public func survey(original x: [Float]) -> Survey {
        precondition(x.count == codes.count)
        let unit = unitLevels
        let lowUnit = unit.count > 1 ? unit[0] - (unit[1] - unit[0]) / 2 : -Float.infinity
        let highUnit = unit.count > 1 ? unit[unit.count - 1] + (unit[unit.count - 1] - unit[unit.count - 2]) / 2 : Float.infinity
        struct Part {
            var usage = [Int](repeating: 0, count: 256)
            var below = 0, above = 0
            var worst: Float = -1
            var index = -1

            mutating func add(_ b: Int, _ a: Int, _ w: Float, _ i: Int) {
                below += b
                above += a
                if w > worst { worst = w; index = i }
            }
        }
        let averageSegment = max(1, layout.count / max(layout.segmentCount, 1))
        let kept = keepsDequantized
        let parts = x.withUnsafeBufferPointer { xs in
            dequantized.withUnsafeBufferPointer { ys in
                codes.withUnsafeBufferPointer { cs in
                    Parallel.map(count: layout.segmentCount, minimumChunk: max(1, (1 << 16) / averageSegment)) { range -> Part in
                        var p = Part()
                        var counts = [Int](repeating: 0, count: 256)
                        counts.withUnsafeMutableBufferPointer { usage in
                            for s in range {
                                let seg = layout.segment(s)
                                // A negative scale (GGUF q4_0/q5_0 store d = max / −8) flips the ends.
                                let a0 = map(lowUnit, group: seg.group), a1 = map(highUnit, group: seg.group)
                                let (low, high) = (min(a0, a1), max(a0, a1))
                                if kept {
                                    let (b, a, w, index) = QuantizedTensor.surveySegment(
                                        xs, ys, cs, start: seg.start, count: seg.length, low: low, high: high, usage: usage)
                                    p.add(b, a, w, index)
                                    continue
                                }
                                // x̂ read back from the codes, a piece at a time.
                                forEachDequantizedChunk(in: seg.start..<(seg.start + seg.length)) { start, y in
                                    let piece = start..<(start + y.count)
                                    let (b, a, w, index) = QuantizedTensor.surveySegment(
                                        UnsafeBufferPointer(rebasing: xs[piece]), y, UnsafeBufferPointer(rebasing: cs[piece]),
                                        start: 0, count: y.count, low: low, high: high, usage: usage)
                                    p.add(b, a, w, index < 0 ? index : start + index)
                                }
                            }
                        }
                        p.usage = counts
                        return p
                    }
                }
            }
        }
        var result = Survey(codeUsage: [Int](repeating: 0, count: 256), clippedBelow: 0, clippedAbove: 0, worstIndex: nil)
        var worst: Float = -1
        for p in parts {
            for k in 0..<256 { result.codeUsage[k] += p.usage[k] }
            result.clippedBelow += p.below
            result.clippedAbove += p.above
            if p.worst > worst && p.index >= 0 { worst = p.worst; result.worstIndex = p.index }
        }
        return result
    }

    /// One segment of `survey`: codes counted into `usage`, clipped counts by
    /// SIMD compares, the worst |x − x̂| tracked per lane with its index.
    @inline(__always)
    static func surveySegment(_ xs: UnsafeBufferPointer<Float>, _ ys: UnsafeBufferPointer<Float>, _ cs: UnsafeBufferPointer<UInt8>,
                              start: Int, count: Int, low: Float, high: Float,
                              usage: UnsafeMutableBufferPointer<Int>) -> (Int, Int, Float, Int) {
        for i in start..<(start + count) { usage[Int(cs[i])] &+= 1 }
        let lo = SIMD16<Float>(repeating: low), hi = SIMD16<Float>(repeating: high)
        var below = SIMD16<Int32>(), above = SIMD16<Int32>()
        var worst = SIMD16<Float>(repeating: -1), worstAt = SIMD16<Int32>(repeating: -1)
        let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        var i = start
        let end = start + count
        if end <= Int(Int32.max) {
            while i + 16 <= end {
                let v = UnsafeRawPointer(xs.baseAddress! + i).loadUnaligned(as: SIMD16<Float>.self)
                let y = UnsafeRawPointer(ys.baseAddress! + i).loadUnaligned(as: SIMD16<Float>.self)
                below = below.replacing(with: below &+ 1, where: v .< lo)
                above = above.replacing(with: above &+ 1, where: v .> hi)
                let d = v - y
                var e = SIMD16<Float>(bitPattern: SIMD16<UInt32>(bitPattern: d) & 0x7FFF_FFFF)
                e = e.replacing(with: -1, where: .!((v - v) .== SIMD16<Float>()))
                let better = e .> worst
                worst = worst.replacing(with: e, where: better)
                worstAt = worstAt.replacing(with: lanes &+ Int32(i), where: better)
                i += 16
            }
        }
        var b = Int(below.wrappedSum()), a = Int(above.wrappedSum())
        var best: Float = -1, bestAt = -1
        for lane in 0..<16 where worst[lane] > best || (worst[lane] == best && Int(worstAt[lane]) < bestAt) {
            best = worst[lane]
            bestAt = Int(worstAt[lane])
        }
        while i < end {
            let v = xs[i]
            if v < low { b += 1 } else if v > high { a += 1 }
            let e = abs(v - ys[i])
            if v.isFinite && e > best { best = e; bestAt = i }
            i += 1
        }
        return (b, a, best, bestAt)
    }

    /// Mean squared error of each of `rows` equal runs of the flattened
    /// tensor (a [out, in] weight's output channels), over finite elements.
    public func rowMeanSquaredError(original x: [Float], rows: Int) -> [Double] {
        if keepsDequantized || rows <= 0 || x.isEmpty { return ErrorMetrics.rowMeanSquaredError(x, dequantized, rows: rows) }
        // x̂ read back a piece at a time; the same sums, in the same order.
        let length = x.count / rows
        guard length > 0 else { return [Double](repeating: 0, count: rows) }
        return x.withUnsafeBufferPointer { xs in
            Parallel.map(count: rows, minimumChunk: max(1, (1 << 16) / length)) { range -> [Double] in
                range.map { r in
                    var sum = 0.0, n = 0, overflowed = false
                    forEachDequantizedChunk(in: (r * length)..<((r + 1) * length)) { start, y in
                        for k in 0..<y.count where xs[start + k].isFinite {
                            if !y[k].isFinite { overflowed = true }
                            let e = Double(xs[start + k]) - Double(y[k])
                            sum += e * e
                            n += 1
                        }
                    }
                    if overflowed { return .infinity }
                    return n > 0 ? sum / Double(n) : 0
                }
            }.flatMap { $0 }
        }
    }

    /// Where group `g`'s range came from: the flat index of
    /// the group's largest |x| (symmetric and float schemes), or of its
    /// minimum and maximum (asymmetric), so views can mark it.
    public func rangeSetters(group g: Int, original x: [Float]) -> [Int] {
        let members = layout.elements(ofGroup: g)
        var argmin: Int?, argmax: Int?, argabs: Int?
        for i in members where x[i].isFinite {
            if argmin.map({ x[i] < x[$0] }) ?? true { argmin = i }
            if argmax.map({ x[i] > x[$0] }) ?? true { argmax = i }
            if argabs.map({ abs(x[i]) > abs(x[$0]) }) ?? true { argabs = i }
        }
        switch scheme {
        case .integer(let i) where i.usesExactRange:
            return [argmin, argmax].compactMap { $0 }
        case .integer(let i) where i.hasZeroPoint:
            // vmin = min(min x, 0), vmax = max(max x, 0): only a negative
            // minimum or a positive maximum sets the range.
            return [argmin.flatMap { x[$0] < 0 ? $0 : nil }, argmax.flatMap { x[$0] > 0 ? $0 : nil }].compactMap { $0 }
        case .gguf(let b) where b.hasMin:
            return [argmin, argmax].compactMap { $0 }
        default:
            return argabs.map { [$0] } ?? []
        }
    }
}

extension ErrorMetrics {
    /// Mean squared error of each of `rows` equal runs of two buffers, over
    /// finite originals (0 for a run with none); +∞ for a run where a finite
    /// original's approximation is ±Inf or NaN (docs/contract.md §6), so such
    /// rows sort first and are never a NaN.
    public static func rowMeanSquaredError(_ x: [Float], _ y: [Float], rows: Int) -> [Double] {
        precondition(x.count == y.count)
        guard rows > 0, !x.isEmpty else { return [] }
        let rowLength = x.count / rows
        guard rowLength > 0 else { return [Double](repeating: 0, count: rows) }
        return x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                Parallel.map(count: rows, minimumChunk: max(1, (1 << 16) / rowLength)) { range -> [Double] in
                    range.map { r in
                        var sum = 0.0, n = 0
                        for i in (r * rowLength)..<((r + 1) * rowLength) where xs[i].isFinite {
                            guard ys[i].isFinite else { return .infinity }
                            let e = Double(xs[i]) - Double(ys[i])
                            sum += e * e
                            n += 1
                        }
                        return n > 0 ? sum / Double(n) : 0
                    }
                }.flatMap { $0 }
            }
        }
    }
}

extension QuantizedTensor {
    /// Groups whose zero-point lies outside the code range [qmin, qmax]: only
    /// `intB-asym-exact` has them (docs/contract.md §1, §10), e.g. Z = −358 on
    /// an all-positive LayerNorm weight at 8 bits. Their x̂ = S·(q − Z) are still
    /// right in Float32 arithmetic; Z just does not fit the code type.
    public var zeroPointsOutsideCodes: Int {
        guard case .integer(let s) = scheme, let zeros = zeroPoints else { return 0 }
        return zeros.reduce(0) { $0 + ((Int($1) < s.qmin || Int($1) > s.qmax) ? 1 : 0) }
    }
}
