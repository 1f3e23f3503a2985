/// Packs 4-bit (and 2-bit) codes into bytes and back, in any `PackingLayout`,
/// for any length: the last unit is padded with zero codes.
public enum Int4Packer {
    /// Where element `index` lives: its byte and the bit its nibble starts at.
    public static func location(of index: Int, layout: PackingLayout) -> (byte: Int, shift: Int) {
        switch layout {
        case .lowFirst: return (index / 2, (index % 2) * 4)
        case .highFirst: return (index / 2, index % 2 == 0 ? 4 : 0)
        case .ggufSplit:
            let block = index / 32, j = index % 32
            return (block * 16 + j % 16, j < 16 ? 0 : 4)
        case .int32x8:
            let word = index / 8, k = index % 8
            return (word * 4 + k / 2, (k % 2) * 4)
        case .awq:
            let word = index / 8, k = index % 8
            let nibble = PackingLayout.awqOrder.firstIndex(of: k) ?? 0
            return (word * 4 + nibble / 2, (nibble % 2) * 4)
        }
    }

    /// The packed size in bytes of `count` 4-bit codes.
    public static func packedCount(_ count: Int, layout: PackingLayout) -> Int {
        let units = (count + layout.unitCodes - 1) / layout.unitCodes
        return units * layout.unitCodes / 2
    }

    /// Packs the low 4 bits of each code.
    public static func pack(_ codes: [UInt8], layout: PackingLayout) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: packedCount(codes.count, layout: layout))
        switch layout {
        case .lowFirst:
            var i = 0
            while i + 1 < codes.count {
                out[i / 2] = (codes[i] & 0x0F) | (codes[i + 1] << 4)
                i += 2
            }
            if i < codes.count { out[i / 2] = codes[i] & 0x0F }
        default:
            for (index, code) in codes.enumerated() {
                let (byte, shift) = location(of: index, layout: layout)
                out[byte] |= (code & 0x0F) << UInt8(shift)
            }
        }
        return out
    }

    /// Unpacks `count` 4-bit codes (0…15); `signed` sign-extends them to −8…7
    /// as Int8 bit patterns.
    public static func unpack(_ bytes: [UInt8], count: Int, layout: PackingLayout, signed: Bool = false) -> [UInt8] {
        precondition(bytes.count >= packedCount(count, layout: layout))
        return (0..<count).map { index in
            let (byte, shift) = location(of: index, layout: layout)
            let nibble = (bytes[byte] >> UInt8(shift)) & 0x0F
            return signed && nibble >= 8 ? nibble | 0xF0 : nibble
        }
    }

    /// Packs the low 2 bits of each code, four per byte, element k at bits 2k…2k+1.
    public static func pack2(_ codes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (codes.count + 3) / 4)
        for (index, code) in codes.enumerated() {
            out[index / 4] |= (code & 0x03) << UInt8((index % 4) * 2)
        }
        return out
    }

    /// Unpacks `count` 2-bit codes (0…3); `signed` sign-extends to −2…1.
    public static func unpack2(_ bytes: [UInt8], count: Int, signed: Bool = false) -> [UInt8] {
        (0..<count).map { index in
            let v = (bytes[index / 4] >> UInt8((index % 4) * 2)) & 0x03
            return signed && v >= 2 ? v | 0xFC : v
        }
    }
}
