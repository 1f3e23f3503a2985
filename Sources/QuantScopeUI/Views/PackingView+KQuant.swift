import QuantEngine

/// The Packing view for GGUF K-quant super-blocks (q2_k … q6_k): the
/// cursor's 256-value block field by field, with the bytes that hold the
/// cursor's code lit. Layouts as in ggml-common.h (see `KQuantBlockDecoder`).
extension PackingView {
    /// The fields of a K-quant block in byte order.
    static func kQuantFields(_ block: GGUFBlockScheme) -> [(name: String, type: String, size: Int)] {
        let d = ("d", "f16", 2), dmin = ("dmin", "f16", 2)
        switch block {
        case .q2_k: return [("scales", "u8[16]", 16), ("qs", "u8[64]", 64), d, dmin]
        case .q3_k: return [("hmask", "u8[32]", 32), ("qs", "u8[64]", 64), ("scales", "u8[12]", 12), d]
        case .q4_k: return [d, dmin, ("scales", "u8[12]", 12), ("qs", "u8[128]", 128)]
        case .q5_k: return [d, dmin, ("scales", "u8[12]", 12), ("qh", "u8[32]", 32), ("qs", "u8[128]", 128)]
        case .q6_k: return [("ql", "u8[128]", 128), ("qh", "u8[64]", 64), ("scales", "i8[16]", 16), d]
        default: return []
        }
    }

    /// Names of the fields that hold codes (the rest are scales).
    static func kQuantCodeFields(_ block: GGUFBlockScheme) -> Set<String> {
        switch block {
        case .q3_k: return ["hmask", "qs"]
        case .q5_k: return ["qh", "qs"]
        case .q6_k: return ["ql", "qh"]
        default: return ["qs"]
        }
    }

    /// Where value j (0…255) of a super-block keeps its code: byte offset in
    /// the block, first bit, bit count, field; low bits first.
    static func kQuantCodeBits(_ block: GGUFBlockScheme, _ j: Int) -> [(byte: Int, shift: Int, bits: Int, field: String)] {
        let l = j % 32
        switch block {
        case .q2_k: return [(16 + 32 * (j / 128) + l, 2 * ((j % 128) / 32), 2, "qs")]
        case .q3_k: return [(32 + 32 * (j / 128) + l, 2 * ((j % 128) / 32), 2, "qs"), (l, j / 32, 1, "hmask")]
        case .q4_k: return [(16 + 32 * (j / 64) + l, 4 * ((j % 64) / 32), 4, "qs")]
        case .q5_k: return [(48 + 32 * (j / 64) + l, 4 * ((j % 64) / 32), 4, "qs"), (16 + l, j / 32, 1, "qh")]
        case .q6_k:
            let g = (j % 128) / 32, h = j / 128
            return [(64 * h + 32 * (g % 2) + l, 4 * (g / 2), 4, "ql"), (128 + 32 * h + l, 2 * g, 2, "qh")]
        default: return []
        }
    }

    static func kQuantFormula(_ block: GGUFBlockScheme) -> String {
        block.hasMin ? "(d·sc)·q − dmin·m" : "(d·sc)·(q − \(block.codeOffset))"
    }

    static func kQuantCursorLines(_ c: ViewContext, _ block: GGUFBlockScheme) -> [(String, Style)] {
        let b = c.index / 256, j = c.index % 256
        let q = c.quantized.code(at: c.index)
        let start = b * block.typeSize
        let parts = kQuantCodeBits(block, j).map { part in
            "\(part.field) byte \(Format.grouped(start + part.byte)) (\(offset(start + part.byte, c))) bits \(part.shift)…\(part.shift + part.bits - 1)"
        }
        let first = "cursor \(c.elementLabel): super-block \(Format.grouped(b)), j = \(j), sub-block \(j / block.subBlockSize): q = \(Format.integer(q)), x̂ = \(Format.number(c.dequantized))"
        return [(first, c.theme.text), ("q: " + parts.joined(separator: " + high bit in "), c.theme.text)]
    }

    static func drawKQuant(_ c: ViewContext, _ block: GGUFBlockScheme, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme
        guard let bytes = c.quantized.blockBytes else {
            buffer.put(Format.fit("no block bytes for this tensor", rect.width), x: rect.x, y: rect.y, style: theme.muted)
            return
        }
        let ts = block.typeSize, blocks = bytes.count / ts
        let b = c.index / 256, j = c.index % 256
        guard b < blocks else { return }
        let start = b * ts
        let lit = Set(kQuantCodeBits(block, j).map(\.byte))
        let x0 = rect.x + 7
        var y = rect.y
        let title = "super-block \(Format.grouped(b)) of \(Format.grouped(blocks)) at byte \(Format.grouped(start)) (\(offset(start, c))), \(ts) bytes: elements #\(Format.grouped(b * 256))…#\(Format.grouped(b * 256 + 255))"
        buffer.put(Format.fit(title, rect.width), x: rect.x, y: y, style: theme.heading)
        y += 1
        var at = 0
        for field in kQuantFields(block) {
            guard y < rect.maxY - 1 else { break }
            buffer.put(Format.fit(field.name, 6), x: rect.x, y: y, style: theme.muted)
            let isCode = kQuantCodeFields(block).contains(field.name)
            for k in 0..<field.size {
                let line = k / 16
                guard y + line < rect.maxY - 1 else { break }
                let style = lit.contains(at + k) ? theme.nibbleSelected : (isCode ? theme.text : theme.muted)
                buffer.put(hex(UInt(bytes[start + at + k]), 2), x: x0 + cellX(k % 16) + 1, y: y + line, style: style)
            }
            if field.type == "f16" {
                let value = Float(Float16(bitPattern: UInt16(bytes[start + at]) | UInt16(bytes[start + at + 1]) << 8))
                let noteX = x0 + cellX(2) + 1
                buffer.put(Format.fit("= \(Format.number(value)) (f16)", max(0, rect.maxX - noteX)), x: noteX, y: y, style: theme.muted)
            }
            y += (field.size + 15) / 16
            at += field.size
        }
        let legend = "lit: the bytes holding the cursor's code; x̂ = \(kQuantFormula(block)) per sub-block of \(block.subBlockSize)"
        buffer.put(Format.fit(legend, rect.width), x: rect.x, y: rect.maxY - 1, style: theme.muted)
    }
}
