/// Decodes stored elements to Float32: every element type a reader can
/// meet, and GGML block types through their block decoders.
///
/// Reads go through `loadUnaligned`, so tensors at any byte offset of a
/// mapped file decode correctly. Integers convert exactly where Float32 can
/// hold them (|i| ≤ 2^24) and round to nearest beyond; booleans give 0 or 1.
public enum ElementDecoder {
    /// Whether `storage` can be decoded to Float32 by this build.
    public static func canDecode(_ storage: StoredType) -> Bool {
        switch storage {
        case .ggml(let t): return t.blockSize == 1 || GGMLBlockDecoding.supports(t)
        default: return true
        }
    }

    /// Decodes `count` elements of `storage` from `raw` into `out`.
    /// `raw` must hold `storage.byteCount(elements: count)` bytes (checked by the reader).
    public static func decode(_ storage: StoredType, _ raw: UnsafeRawBufferPointer, count: Int, bigEndian: Bool = false,
                              into out: UnsafeMutableBufferPointer<Float>) {
        precondition(out.count >= count)
        if case .ggml(let t) = storage {
            switch t {
            case .f32: return decode(.float32, raw, count: count, into: out)
            case .f16: return decode(.float16, raw, count: count, into: out)
            case .bf16: return decode(.bfloat16, raw, count: count, into: out)
            case .f64: return decode(.float64, raw, count: count, into: out)
            case .i8: return decode(.int8, raw, count: count, into: out)
            case .i16: return decode(.int16, raw, count: count, into: out)
            case .i32: return decode(.int32, raw, count: count, into: out)
            case .i64: return decode(.int64, raw, count: count, into: out)
            default: return GGMLBlockDecoding.decode(t, raw, count: count, into: out)
            }
        }
        let io = UnsafeSendable((raw, out))
        Parallel.forEach(count: count, minimumChunk: 1 << 16) { range in
            let (raw, out) = io.value
            switch storage {
            case .float32:
                if bigEndian {
                    for i in range { out[i] = Float(bitPattern: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
                } else if let base = raw.baseAddress, let dst = out.baseAddress {
                    (dst + range.lowerBound).withMemoryRebound(to: UInt8.self, capacity: range.count * 4) {
                        $0.update(from: base.assumingMemoryBound(to: UInt8.self) + range.lowerBound * 4, count: range.count * 4)
                    }
                }
            case .float64:
                for i in range { out[i] = Float(Double(bitPattern: load(raw, i, UInt64.self, bigEndian))) }
            case .float16:
                for i in range { out[i] = Float(Float16(bitPattern: load(raw, i, UInt16.self, bigEndian))) }
            case .bfloat16:
                for i in range { out[i] = Float(bitPattern: UInt32(load(raw, i, UInt16.self, bigEndian)) << 16) }
            case .float8(let format):
                let table = DecodeTable.table(for: format)
                for i in range { out[i] = table[Int(raw[i])] }
            case .int64: for i in range { out[i] = Float(Int64(bitPattern: load(raw, i, UInt64.self, bigEndian))) }
            case .int32: for i in range { out[i] = Float(Int32(bitPattern: load(raw, i, UInt32.self, bigEndian))) }
            case .int16: for i in range { out[i] = Float(Int16(bitPattern: load(raw, i, UInt16.self, bigEndian))) }
            case .int8: for i in range { out[i] = Float(Int8(bitPattern: raw[i])) }
            case .uint64: for i in range { out[i] = Float(load(raw, i, UInt64.self, bigEndian)) }
            case .uint32: for i in range { out[i] = Float(load(raw, i, UInt32.self, bigEndian)) }
            case .uint16: for i in range { out[i] = Float(load(raw, i, UInt16.self, bigEndian)) }
            case .uint8: for i in range { out[i] = Float(raw[i]) }
            case .bool: for i in range { out[i] = raw[i] == 0 ? 0 : 1 }
            case .ggml, .prequantized: break
            }
        }
    }

    @inline(__always)
    private static func load<T: FixedWidthInteger>(_ raw: UnsafeRawBufferPointer, _ i: Int, _ type: T.Type, _ bigEndian: Bool) -> T {
        let v = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
        return bigEndian ? T(bigEndian: v) : T(littleEndian: v)
    }
}

/// 256-entry decode tables for the 8-bit float formats, built once.
enum DecodeTable {
    static let e4m3fn = (0..<256).map { FloatFormat.e4m3fn.decode(UInt32($0)) }
    static let e5m2 = (0..<256).map { FloatFormat.e5m2.decode(UInt32($0)) }
    static let e8m0 = (0..<256).map { FloatFormat.e8m0.decode(UInt32($0)) }

    static func table(for format: FloatFormat) -> [Float] {
        switch format {
        case .e4m3fn: return e4m3fn
        case .e5m2: return e5m2
        case .e8m0: return e8m0
        default: return (0..<256).map { format.decode(UInt32($0)) }
        }
    }
}
