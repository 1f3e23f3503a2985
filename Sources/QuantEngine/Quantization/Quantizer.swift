/// The entry point: quantize a tensor with a scheme and a granularity.
public enum Quantizer {
    /// Quantizes `tensor`, dequantizes it, and measures the error.
    /// - Parameters:
    ///   - scheme: any `Scheme`.
    ///   - granularity: nil means the scheme's default (`SchemeCatalog`:
    ///     `tensor` for int and float schemes; group:64 for nf4/fp4; group:32
    ///     for MX and legacy GGUF; the 16- or 32-value sub-block for K-quants).
    ///   - clip: the fraction of each group's range to keep, in (0, 1]; values
    ///     beyond it saturate. GGUF blocks ignore it.
    ///   - token: cancels the work (throwing `.cancelled`) and reports progress.
    ///   - previous: a result that is no longer needed; its code and value
    ///     buffers are reused when the sizes match, which saves the page
    ///     faults of fresh 100 MB allocations on every recompute.
    ///   - keepingDequantized: false leaves `dequantized` empty: x̂ is computed
    ///     and measured, then read back from the codes when asked
    ///     (`dequantize(_:into:)`), which saves 4 bytes an element.
    /// - Throws: `QuantizationError` when the scheme cannot use the granularity
    ///   on this shape (a usage error).
    public static func quantize(_ tensor: Tensor, scheme: Scheme, granularity: Granularity? = nil,
                                clip: Float = 1, token: WorkToken? = nil,
                                recycling previous: consuming QuantizedTensor? = nil,
                                keepingDequantized: Bool = true) throws(QuantizationError) -> QuantizedTensor {
        let granularity = granularity ?? scheme.defaultGranularity
        try scheme.validate(granularity, shape: tensor.shape)
        let clip = clip > 0 && clip <= 1 ? clip : 1
        var buffers = Buffers(recycling: consume previous, count: tensor.count, keepingValues: keepingDequantized)
        switch scheme {
        case .integer(let s):
            return try run(AffineCodec(scheme: s, clip: clip), tensor, scheme, granularity, clip, token, &buffers)
        case .float(let f):
            return try run(FloatCodec(format: f, rule: .amaxOverMaxFinite, clip: clip), tensor, scheme, granularity, clip, token, &buffers)
        case .microscaling(let f):
            return try run(FloatCodec(format: f, rule: .microscaling, clip: clip), tensor, scheme, granularity, clip, token, &buffers)
        case .nf4:
            return try run(LevelCodec.nf4.with(clip: clip), tensor, scheme, granularity, clip, token, &buffers, flatten: true)
        case .bnbFP4:
            return try run(LevelCodec.bnbFP4.with(clip: clip), tensor, scheme, granularity, clip, token, &buffers, flatten: true)
        case .gguf(let block):
            let layout = try GroupLayout(shape: tensor.shape, granularity: granularity)
            return try GGUFBlockQuantizer.quantize(tensor, block: block, layout: layout, token: token, keepingDequantized: keepingDequantized)
        }
    }

    private static func run<C: ElementCodec>(_ codec: C, _ tensor: Tensor, _ scheme: Scheme, _ granularity: Granularity,
                                             _ clip: Float, _ token: WorkToken?, _ buffers: inout Buffers,
                                             flatten: Bool = false) throws(QuantizationError) -> QuantizedTensor {
        // nf4/fp4 blocks run over the flattened tensor (docs/contract.md §4).
        let layoutShape = flatten ? [tensor.count] : tensor.shape
        let layout = try GroupLayout(shape: layoutShape, granularity: granularity)
        let bookkeeping = layout.groupCount.multipliedReportingOverflow(by: bytesPerGroup)
        let limit = groupBookkeepingLimit(elements: tensor.count)
        guard !bookkeeping.overflow, bookkeeping.partialValue <= limit else {
            throw .tooManyGroups(granularity: "\(granularity)", groups: layout.groupCount,
                                 bytes: bookkeeping.overflow ? Int.max : bookkeeping.partialValue, limit: limit)
        }
        var codes = buffers.takeCodes()
        var values = buffers.takeValues()
        let output = tensor.values.withUnsafeBufferPointer { x in
            codes.withUnsafeMutableBufferPointer { c in
                values.withUnsafeMutableBufferPointer { v in
                    SegmentQuantizer(codec: codec, layout: layout, token: token).run(x, codes: c, values: v.isEmpty && !x.isEmpty ? nil : v)
                }
            }
        }
        if token?.isCancelled == true { throw .cancelled }
        return QuantizedTensor(
            scheme: scheme, granularity: granularity, shape: tensor.shape, clip: clip, codes: codes,
            scales: output.scales, zeroPoints: output.zeroPoints,
            mins: nil, blockBytes: nil, dequantized: values, metrics: output.metrics.metrics(elements: tensor.count),
            groupSquaredError: output.groupSquaredError, groupNonfinite: output.groupNonfinite, layout: layout)
    }

    /// What one group keeps: its scale and zero-point (4 bytes each), its
    /// squared-error sum and its non-finite count (8 bytes each).
    static let bytesPerGroup = 24

    /// The most bytes of per-group bookkeeping a tensor of `elements` may
    /// take: a quarter of its float32 size plus 48 MiB. The tensor, x̂ and
    /// the codes already take 2.25× the float32 size, so this keeps the
    /// explorer within 2.5× + 100 MB: a per-element granularity (group:1) of
    /// a large tensor is refused rather than taking 8× its size, while small
    /// tensors take any granularity.
    public static func groupBookkeepingLimit(elements: Int) -> Int {
        elements > Int.max - (48 << 20) ? Int.max : elements + (48 << 20)
    }

    /// Output buffers, recycled from a previous result when it is the right size.
    struct Buffers {
        private var codes: [UInt8]?
        private var values: [Float]?
        private let count: Int
        private let keepingValues: Bool

        init(recycling previous: consuming QuantizedTensor?, count: Int, keepingValues: Bool) {
            self.count = count
            self.keepingValues = keepingValues
            var old = consume previous
            if old?.codes.count == count { codes = old?.codes }
            if keepingValues && old?.dequantized.count == count { values = old?.dequantized }
            old = nil
        }

        mutating func takeCodes() -> [UInt8] {
            defer { codes = nil }
            return codes ?? [UInt8](unsafeUninitializedCapacity: count) { _, n in n = count }
        }

        /// Empty when x̂ is not kept.
        mutating func takeValues() -> [Float] {
            defer { values = nil }
            guard keepingValues else { return [] }
            return values ?? [Float](unsafeUninitializedCapacity: count) { _, n in n = count }
        }
    }
}
