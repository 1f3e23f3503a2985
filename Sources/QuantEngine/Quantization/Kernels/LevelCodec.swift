/// Nearest-level 4-bit codes over absmax-normalised values: bitsandbytes'
/// NF4 and FP4 (docs/contract.md §4).
///
/// n = x / absmax in Float32; the code is the level nearest to n, distances
/// compared in Float32, a tie going to the lower level (NF4) or the lower
/// magnitude (FP4, which keeps the sign as bitsandbytes does). The SIMD path
/// compares n against precomputed exact thresholds — the least Float32 at
/// which the upper neighbour is strictly nearer — so it agrees with an
/// argmin over |n − level| bit for bit.
struct LevelCodec: ElementCodec {
    struct Parameters: Sendable {
        var absmax: Float
    }

    enum Kind: Sendable {
        /// Codes are indexes into ascending levels (NF4).
        case sorted
        /// Sign bit 0b1000 plus the index of the magnitude (bnb FP4).
        case signMagnitude
    }

    let kind: Kind
    let clip: Float
    /// The levels as codes index them (16 of them).
    let table: [Float]
    /// Ascending candidate values (levels for NF4, magnitudes for FP4), in
    /// SIMD registers so the unrolled loop reads lanes, not arrays.
    private let candidates: SIMD16<Float>
    /// The code of each candidate.
    private let candidateCodes: SIMD16<UInt32>
    /// thresholds[i]: the least n that picks candidates[i + 1] over candidates[i].
    private let thresholds: SIMD16<Float>
    /// How many candidates there are (16 for NF4, 8 magnitudes for FP4).
    private let candidateCount: Int

    /// bitsandbytes' NF4 table (`get_4bit_type('nf4')`, QLoRA appendix E), ascending.
    static let nf4Levels: [Float] = [
        -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
        -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
        0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
        0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
    ]

    /// bitsandbytes' FP4 table (`get_4bit_type('fp4')`) in code order,
    /// divided by its absmax 12 in Float32 as bitsandbytes does.
    static let fp4Levels: [Float] = [0, 0.0625, 8, 12, 4, 6, 2, 3, 0, -0.0625, -8, -12, -4, -6, -2, -3].map { Float($0) / Float(12) }

    static let nf4 = LevelCodec(kind: .sorted, table: nf4Levels, clip: 1)
    static let bnbFP4 = LevelCodec(kind: .signMagnitude, table: fp4Levels, clip: 1)

    init(kind: Kind, table: [Float], clip: Float) {
        self.kind = kind
        self.table = table
        self.clip = clip
        let indices: [Int]
        switch kind {
        case .sorted: indices = Array(0..<16)
        case .signMagnitude: indices = (0..<8).sorted { table[$0] < table[$1] }
        }
        candidateCount = indices.count
        var candidates = SIMD16<Float>(), codes = SIMD16<UInt32>(), thresholds = SIMD16<Float>(repeating: .infinity)
        for (k, index) in indices.enumerated() {
            candidates[k] = table[index]
            codes[k] = UInt32(index)
            if k + 1 < indices.count { thresholds[k] = LevelCodec.threshold(lower: table[index], upper: table[indices[k + 1]]) }
        }
        self.candidates = candidates
        self.candidateCodes = codes
        self.thresholds = thresholds
    }

    func with(clip: Float) -> LevelCodec {
        LevelCodec(kind: kind, table: table, clip: clip)
    }

    /// The least Float32 n with |n − upper| < |n − lower| in Float32 arithmetic.
    static func threshold(lower: Float, upper: Float) -> Float {
        func prefersUpper(_ n: Float) -> Bool { abs(n - upper) < abs(n - lower) }
        var t = (lower + upper) / 2
        while !prefersUpper(t) { t = t.nextUp }
        while prefersUpper(t.nextDown) { t = t.nextDown }
        return t
    }

    func parameters(lo: Float, hi: Float) -> Parameters {
        let absmax = max(-lo, hi) * clip
        return Parameters(absmax: absmax > 0 && absmax.isFinite ? absmax : 1)
    }

    @inline(__always)
    func encode(_ x: FloatVector, _ p: Parameters) -> (codes: WordVector, values: FloatVector) {
        let s = FloatVector(repeating: p.absmax)
        let n = x / s
        switch kind {
        case .sorted:
            var code = WordVector(repeating: candidateCodes[0])
            var value = FloatVector(repeating: candidates[0])
            for i in 0..<15 {
                let pick = n .>= FloatVector(repeating: thresholds[i])
                code = code.replacing(with: candidateCodes[i + 1], where: pick)
                value = value.replacing(with: candidates[i + 1], where: pick)
            }
            return (code, value * s)
        case .signMagnitude:
            let bits = WordVector(bitPattern: n)
            let magnitude = FloatVector(bitPattern: bits & 0x7FFF_FFFF)
            var code = WordVector(repeating: candidateCodes[0])
            var value = FloatVector(repeating: candidates[0])
            for i in 0..<7 {
                let pick = magnitude .>= FloatVector(repeating: thresholds[i])
                code = code.replacing(with: candidateCodes[i + 1], where: pick)
                value = value.replacing(with: candidates[i + 1], where: pick)
            }
            let negative = x .< FloatVector()
            code = code.replacing(with: code | 8, where: negative)
            value = value.replacing(with: -value, where: negative)
            return (code, value * s)
        }
    }

    func encodeNonFinite(_ x: Float, _ p: Parameters) -> (code: UInt32, value: Float) {
        let code: UInt32
        switch (kind, x.isNaN, x > 0) {
        case (.sorted, true, _): code = 7
        case (.sorted, false, true): code = 15
        case (.sorted, false, false): code = 0
        case (.signMagnitude, true, _): code = 0
        case (.signMagnitude, false, true): code = 3
        case (.signMagnitude, false, false): code = 11
        }
        return (code, table[Int(code)] * p.absmax)
    }

    func scale(_ p: Parameters) -> Float { p.absmax }
    func zeroPoint(_ p: Parameters) -> Int32 { 0 }
}
