/// Min, max, mean, standard deviation and the non-finite count of a tensor:
/// the summary line every view shows.
///
/// Mean and standard deviation are exact to Float64 rounding whatever the
/// offset or scale of the values (mean 100 with std 0.01, values near 1e20
/// or 3e38, subnormals): each block of `blockLength` values is summed in
/// Float64 lanes, then its squared deviations from its own mean (two passes
/// over data still in L1); blocks and cores are combined with Chan et al.'s
/// pairwise update of (count, mean, M2). A one-pass E[x²] − mean² in
/// Float32 gave std 0.0183 for the first case and inf for the second.
/// NaN and ±Inf are left out of every figure and counted.
public struct TensorSummary: Sendable, Equatable {
    public var count: Int
    public var nonfinite: Int
    /// Over finite values; 0 when there are none.
    public var min: Float
    public var max: Float
    public var mean: Double
    /// Population standard deviation over finite values (numpy's `std`, ddof 0).
    public var std: Double
    /// The flat index of the first element with the largest |x| (nil when none is finite).
    public var argmaxAbs: Int?

    public var absmax: Float { Swift.max(-min, max) }

    /// Whether any value is finite; when none is, min, max, mean and std
    /// are placeholders (0) that views and the CLI show as "—".
    public var hasFiniteValues: Bool { count > nonfinite }

    /// Values per block: two passes over one block stay in L1.
    static let blockLength = 4096

    /// Summarises `values` in parallel, two passes per block, in Float64.
    public init(_ values: UnsafeBufferPointer<Float>) {
        let parts = Parallel.map(count: values.count, minimumChunk: 1 << 16) { range -> Part in
            var part = Part()
            var start = range.lowerBound
            while start < range.upperBound {
                let end = Swift.min(start + Self.blockLength, range.upperBound)
                var block = Part(values, start..<end)
                if block.amax > part.amax { block.locateLargest(values, start..<end) }
                part.merge(block)
                start = end
            }
            return part
        }
        var total = Part()
        for part in parts { total.merge(part) }
        count = values.count
        nonfinite = values.count - total.n
        guard total.n > 0 else {
            min = 0; max = 0; mean = 0; std = 0; argmaxAbs = nil
            return
        }
        min = total.lo
        max = total.hi
        mean = total.mean
        std = (total.m2 / Double(total.n)).squareRoot()
        argmaxAbs = total.argmax
    }

    /// The figures of one run of values, mergeable with the next run's.
    struct Part {
        var n = 0
        var mean = 0.0
        /// Σ (x − mean)² over the run's finite values.
        var m2 = 0.0
        var lo = Float.infinity
        var hi = -Float.infinity
        var amax: Float = -1
        var argmax: Int?

        init() {}

        /// One block, `range` at most `blockLength` long.
        init(_ values: UnsafeBufferPointer<Float>, _ range: Range<Int>) {
            guard let base = values.baseAddress, !range.isEmpty else { return }
            let raw = UnsafeRawPointer(base + range.lowerBound)
            let whole = range.count / 8
            // The last partial vector, padded with NaN (left out like any NaN).
            var tail = SIMD8<UInt32>(repeating: 0x7FC0_0000)
            for j in 0..<(range.count - whole * 8) {
                tail[j] = values[range.lowerBound + whole * 8 + j].bitPattern
            }
            let hasTail = range.count % 8 != 0

            var first = FirstPass()
            for i in 0..<whole { first.add(raw.loadUnaligned(fromByteOffset: i * 32, as: SIMD8<UInt32>.self)) }
            if hasTail { first.add(tail) }
            n = Int(first.counted.wrappedSum())
            guard n > 0 else { return }
            lo = first.low.min()
            hi = first.high.max()
            amax = first.largest.max()
            mean = (first.sum0 + first.sum1).sum() / Double(n)

            var second = SecondPass(center: SIMD4<Double>(repeating: mean))
            for i in 0..<whole { second.add(raw.loadUnaligned(fromByteOffset: i * 32, as: SIMD8<UInt32>.self)) }
            if hasTail { second.add(tail) }
            m2 = (second.square0 + second.square1).sum()
        }

        /// Finds the first element of the block `range` whose |x| is `amax`:
        /// run only for a block that beats every earlier one.
        mutating func locateLargest(_ values: UnsafeBufferPointer<Float>, _ range: Range<Int>) {
            let target = amax
            argmax = range.first { values[$0].isFinite && abs(values[$0]) == target }
        }

        /// Adds the run that follows this one (Chan, Golub & LeVeque's pairwise update).
        mutating func merge(_ next: Part) {
            guard next.n > 0 else { return }
            guard n > 0 else {
                self = next
                return
            }
            let total = n + next.n
            let delta = next.mean - mean
            let share = Double(next.n) / Double(total)
            m2 += next.m2 + delta * delta * Double(n) * share
            mean += delta * share
            n = total
            lo = Swift.min(lo, next.lo)
            hi = Swift.max(hi, next.hi)
            if next.amax > amax {
                amax = next.amax
                argmax = next.argmax
            }
        }

        /// Count, extremes, largest |x| and Float64 sum of eight lanes at a time.
        struct FirstPass {
            var counted = SIMD8<UInt32>()
            var low = SIMD8<Float>(repeating: .infinity), high = SIMD8<Float>(repeating: -.infinity)
            var largest = SIMD8<Float>(repeating: -1)
            var sum0 = SIMD4<Double>(), sum1 = SIMD4<Double>()

            @inline(__always)
            mutating func add(_ bits: SIMD8<UInt32>) {
                let keep = Part.finiteMask(bits)
                counted &+= keep & 1
                // Non-finite lanes count as 0 in the sum, +Inf for the minimum,
                // -Inf for the maximum and NaN (never larger) for |x|.
                let finite = bits & keep
                let forLow = SIMD8<Float>(bitPattern: finite | (~keep & 0x7F80_0000))
                let forHigh = SIMD8<Float>(bitPattern: finite | (~keep & 0xFF80_0000))
                low = low.replacing(with: forLow, where: forLow .< low)
                high = high.replacing(with: forHigh, where: forHigh .> high)
                let magnitude = SIMD8<Float>(bitPattern: (finite & 0x7FFF_FFFF) | (~keep & 0x7FC0_0000))
                largest = largest.replacing(with: magnitude, where: magnitude .> largest)
                let (a, b) = Part.widen(SIMD8<Float>(bitPattern: finite))
                sum0 += a
                sum1 += b
            }
        }

        /// Float64 sum of squared deviations from `center`, finite lanes only.
        struct SecondPass {
            let center: SIMD4<Double>
            var square0 = SIMD4<Double>(), square1 = SIMD4<Double>()

            init(center: SIMD4<Double>) { self.center = center }

            @inline(__always)
            mutating func add(_ bits: SIMD8<UInt32>) {
                let keep = Part.finiteMask(bits)
                let (a, b) = Part.widen(SIMD8<Float>(bitPattern: bits & keep))
                // 1.0 in finite lanes, 0 elsewhere.
                let (k0, k1) = Part.widen(SIMD8<Float>(bitPattern: keep & 0x3F80_0000))
                let d0 = (a - center) * k0, d1 = (b - center) * k1
                square0 += d0 * d0
                square1 += d1 * d1
            }
        }

        /// All ones in the lanes holding a finite value, zeros elsewhere: the
        /// exponent field plus one ulp of it carries into the sign bit only
        /// when it is all ones (Inf, NaN). Integer ops only, so it vectorises.
        @inline(__always)
        static func finiteMask(_ bits: SIMD8<UInt32>) -> SIMD8<UInt32> {
            (((bits & 0x7F80_0000) &+ 0x0080_0000) &>> 31) &- 1
        }

        /// The eight lanes as Float64 (lane by lane on purpose: the generic
        /// SIMD conversion initializer does not vectorise).
        @inline(__always)
        static func widen(_ v: SIMD8<Float>) -> (SIMD4<Double>, SIMD4<Double>) {
            (SIMD4(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3])),
             SIMD4(Double(v[4]), Double(v[5]), Double(v[6]), Double(v[7])))
        }
    }
}
