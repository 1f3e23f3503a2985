/// A typed value on a quantization's grid (docs/contract.md §15): the
/// explorer's "where does 3.7 land?" asks the same codec the quantizer ran,
/// with the group's own stored parameters, so the answer is the code and x̂
/// an element of that group holding the value would have got.
extension QuantizedTensor {
    /// The code and x̂ of `x` in group `g`; nil for GGUF blocks (their codes
    /// come from fitting a whole block, not from a per-value rule) and for a
    /// group that does not exist.
    public func probe(_ x: Float, group g: Int) -> (code: Int, value: Float)? {
        guard scales.indices.contains(g) else { return nil }
        let s = scales[g]
        let raw: (code: UInt32, value: Float)
        switch scheme {
        case .integer(let i):
            let z = Float(zeroPoints?[g] ?? 0)
            raw = QuantizedTensor.encodeOne(x, AffineCodec(scheme: i, clip: clip), .init(scale: s, zeroPoint: z))
        case .float(let f):
            raw = QuantizedTensor.encodeOne(x, FloatCodec(format: f, rule: .amaxOverMaxFinite, clip: clip), .init(scale: s))
        case .microscaling(let f):
            raw = QuantizedTensor.encodeOne(x, FloatCodec(format: f, rule: .microscaling, clip: clip), .init(scale: s))
        case .nf4:
            raw = QuantizedTensor.encodeOne(x, LevelCodec.nf4.with(clip: clip), .init(absmax: s))
        case .bnbFP4:
            raw = QuantizedTensor.encodeOne(x, LevelCodec.bnbFP4.with(clip: clip), .init(absmax: s))
        case .gguf:
            return nil
        }
        let byte = UInt8(truncatingIfNeeded: raw.code)
        return (scheme.signedCodes ? Int(Int8(bitPattern: byte)) : Int(byte), raw.value)
    }

    private static func encodeOne<C: ElementCodec>(_ x: Float, _ codec: C, _ p: C.Parameters) -> (code: UInt32, value: Float) {
        guard x.isFinite else { return codec.encodeNonFinite(x, p) }
        var v = FloatVector()
        v[0] = x
        let (codes, values) = codec.encode(v, p)
        return (codes[0], values[0])
    }
}
