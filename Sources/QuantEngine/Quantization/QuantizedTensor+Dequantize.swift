/// x̂ read back from the codes, for results that do not keep it.
///
/// Every scheme's x̂ is a function of an element's code and its group's
/// parameters: S·(q − Z) for integer schemes, S·u + m otherwise, where u is
/// the code's unit value (the format's decoded value, the NF4/FP4 level,
/// q − offset for GGUF blocks). Evaluated in Float32 in the order the
/// quantizers use, it gives the same x̂ the quantizer measured, so a large
/// tensor's explorer need not hold 4 more bytes per element (docs/contract.md §9).
extension QuantizedTensor {
    /// Whether `dequantized` holds x̂ (or it is read back from the codes).
    public var keepsDequantized: Bool { dequantized.count == codes.count }

    /// x̂ of element `index`.
    public func dequantizedValue(at index: Int) -> Float {
        if keepsDequantized { return dequantized[index] }
        let units = unitValueOfCode
        return map(units[Int(codes[index])], group: layout.group(ofElement: index))
    }

    /// x̂ of the elements in `range`, into `out` (of `range.count`).
    public func dequantize(_ range: Range<Int>, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(range.count == out.count && range.lowerBound >= 0 && range.upperBound <= codes.count)
        guard !range.isEmpty, let base = out.baseAddress else { return }
        if keepsDequantized {
            dequantized.withUnsafeBufferPointer { base.initialize(from: $0.baseAddress! + range.lowerBound, count: range.count) }
            return
        }
        let units = unitValueOfCode
        codes.withUnsafeBufferPointer { cs in
            units.withUnsafeBufferPointer { u in
                var i = range.lowerBound
                while i < range.upperBound {
                    let run = layout.run(containing: i)
                    let end = min(run.range.upperBound, range.upperBound)
                    let g = run.group
                    let s = scales[g]
                    switch scheme {
                    case .integer:
                        let z = Float(zeroPoints?[g] ?? 0)
                        for k in i..<end { base[k - range.lowerBound] = s * (u[Int(cs[k])] - z) }
                    default:
                        let m = mins?[g] ?? 0
                        for k in i..<end { base[k - range.lowerBound] = s * u[Int(cs[k])] + m }
                    }
                    i = end
                }
            }
        }
    }

    /// Calls `body` with x̂ for consecutive chunks of the tensor (at most
    /// `chunk` elements each) and the flat index of each chunk's first element.
    public func forEachDequantizedChunk(of chunk: Int = 1 << 16, in range: Range<Int>? = nil,
                                        _ body: (_ start: Int, _ values: UnsafeBufferPointer<Float>) -> Void) {
        let whole = range ?? 0..<codes.count
        if keepsDequantized {
            dequantized.withUnsafeBufferPointer { all in
                var i = whole.lowerBound
                while i < whole.upperBound {
                    let n = min(chunk, whole.upperBound - i)
                    body(i, UnsafeBufferPointer(rebasing: all[i..<(i + n)]))
                    i += n
                }
            }
            return
        }
        let scratch = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, min(chunk, whole.count)))
        defer { scratch.deallocate() }
        var i = whole.lowerBound
        while i < whole.upperBound {
            let n = min(chunk, whole.upperBound - i)
            let part = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
            dequantize(i..<(i + n), into: part)
            body(i, UnsafeBufferPointer(part))
            i += n
        }
    }

    /// The unit value u of every code byte: what `map(_:group:)` turns into x̂.
    var unitValueOfCode: [Float] {
        (0..<256).map { c -> Float in
            let byte = UInt8(c)
            switch scheme {
            case .integer(let s):
                return s.signedCodes ? Float(Int8(bitPattern: byte)) : Float(byte)
            case .float(let f), .microscaling(let f):
                return c < f.codeCount ? f.decode(UInt32(c)) : .nan
            case .nf4:
                return c < 16 ? LevelCodec.nf4Levels[c] : .nan
            case .bnbFP4:
                return c < 16 ? LevelCodec.fp4Levels[c] : .nan
            case .gguf(let b):
                return b == .q8_0 ? Float(Int8(bitPattern: byte)) : Float(c - b.codeOffset)
            }
        }
    }
}
