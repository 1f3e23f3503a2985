import Foundation
import QuantEngine

/// View 4: how the codes sit in memory — the packed bytes around the
/// cursor's element, where its code lands, and what the packing saves.
///
/// ```
///  p layout [low-first]  high-first   gguf-split   int32x8   awq
///  low-first: byte = (c0 & 0x0F) | (c1 << 4)   (the seed's formula)
///  cursor (5, 70) #550: code −3 → 4-bit 1101 = 0xD (two's complement)
///  → byte 275 (0x0113), bits 0…3: the low nibble
///  size      bits per weight (float32: 32)  of f32  smaller
///  int4      4 + 32/32 (S) = 5.000           15.6%    6.40×
///  tensor    18,432 B in float32 → 2,880 B (2,304 codes + 576 S)
///  offset   +0  +1  +2  +3   +4  +5  +6  +7   +8  +9 …
///  0x0110   EE  0D  44  3D   E5  14  F4  1F   F0  F0 …   each hex digit is a nibble
///      hi   65  67  69  71   73  75  77  79   81  83 …   element #480+n in the high nibble
///      lo   64  66  68  70   72  74  76  78   80  82 …   … and in the low one
/// ```
/// Only a window of codes around the cursor is packed (aligned to the
/// layout's unit), never the whole tensor. 2-bit codes pack four per byte;
/// 3-, 5-, 6- and 7-bit codes are stored one per byte (docs/contract.md §5); GGUF
/// schemes show their real block bytes.
enum PackingView {
    /// How the scheme's codes are stored.
    enum Kind: Equatable {
        /// 4-bit codes, two per byte, in a `PackingLayout`.
        case nibbles(PackingLayout)
        /// 2-bit codes, four per byte, element k at bits 2k…2k+1.
        case crumbs
        /// One code per byte: `bits` of them used (8 = no waste).
        case bytes(bits: Int)
        /// GGUF blocks: the bytes llama.cpp writes.
        case gguf(GGUFBlockScheme)
    }

    static func kind(_ scheme: Scheme, layout: PackingLayout) -> Kind {
        if case .gguf(let block) = scheme { return .gguf(block) }
        switch scheme.codeBits {
        case 4: return .nibbles(layout)
        case 2: return .crumbs
        case let bits: return .bytes(bits: bits)
        }
    }

    static func render(_ c: ViewContext, _ box: Rect, _ buffer: inout CellBuffer) {
        if let page = StoredPages.page(c) { return StoredPages.packing(c, page, box, &buffer) }
        let rect = box.inset(left: 1, right: 1)
        guard rect.width >= 40, rect.height >= 4 else { return }
        let kind = kind(c.quantized.scheme, layout: c.state.settings.packing)
        var y = rect.y
        drawLayoutLine(c, kind, rect, y, &buffer)
        y += 1
        for (text, style) in descriptionLines(c, kind) + cursorLines(c, kind) where y < rect.maxY {
            buffer.put(Format.fit(text, rect.width), x: rect.x, y: y, style: style)
            y += 1
        }
        let storage = Storage(c, kind)
        for (i, text) in storage.tableLines().enumerated() where y < rect.maxY {
            buffer.put(Format.fit(text, rect.width), x: rect.x, y: y, style: i == 0 ? c.theme.muted : c.theme.text)
            y += 1
        }
        if rect.height >= 24 { y += 1 }
        let grid = Rect(x: rect.x, y: y, width: rect.width, height: rect.maxY - y)
        switch kind {
        case .nibbles(let layout): drawNibbles(c, layout, grid, &buffer)
        case .crumbs: drawCrumbs(c, grid, &buffer)
        case .bytes(let bits): drawBytes(c, bits: bits, grid, &buffer)
        case .gguf(let block): drawGGUF(c, block, grid, &buffer)
        }
    }

    // MARK: Header

    /// The five layouts with the current one bracketed (and reversed); for
    /// other widths, what storage they get instead.
    static func drawLayoutLine(_ c: ViewContext, _ kind: Kind, _ rect: Rect, _ y: Int, _ buffer: inout CellBuffer) {
        let theme = c.theme
        var x = buffer.put("p layout", x: rect.x, y: y, style: theme.muted, clip: rect)
        let current = c.state.settings.packing
        let applies: Bool
        if case .nibbles = kind { applies = true } else { applies = false }
        for layout in PackingLayout.allCases {
            let selected = layout == current
            let text = selected ? "[\(layout.rawValue)]" : " \(layout.rawValue) "
            let style = !applies ? theme.muted : (selected ? theme.selected : theme.text)
            x = buffer.put(text, x: x + 1, y: y, style: style, clip: rect)
        }
        if !applies {
            buffer.put(Format.fit(" (4-bit only)", max(0, rect.maxX - x)), x: x, y: y, style: theme.muted, clip: rect)
        }
    }

    /// The formula of the layout (or the storage), one line.
    static func descriptionLines(_ c: ViewContext, _ kind: Kind) -> [(String, Style)] {
        let scheme = c.quantized.scheme
        let signed = scheme.signedCodes
        switch kind {
        case .nibbles(let layout):
            let (formula, origin) = formula(layout)
            return [("\(layout.rawValue): \(formula)   (\(origin))", c.theme.heading)]
        case .crumbs:
            return [("\(scheme): four 2-bit codes per byte: byte = Σ (ck & 3) << 2k, k = 0…3", c.theme.heading)]
        case .bytes(let bits) where bits == 8:
            let how = signed ? "stored as int8 (two's complement)" : "stored as uint8"
            return [("\(scheme): one code per byte, \(how); nothing to pack", c.theme.heading)]
        case .bytes(let bits):
            return [("\(scheme): \(bits)-bit codes are stored unpacked, one per byte: \(8 - bits) of its 8 bits spare", c.theme.heading)]
        case .gguf(let block):
            let layout = block == .q8_0 || block.isKQuant ? "" : " (gguf-split)"
            return [("\(block.rawValue): \(block.blockSize) values in \(block.typeSize) bytes: \(fields(block).map { "\($0.name) \($0.type)" }.joined(separator: " | "))\(layout)   x̂ = \(dequantFormula(block))",
                     c.theme.heading)]
        }
    }

    static func formula(_ layout: PackingLayout) -> (formula: String, origin: String) {
        switch layout {
        case .lowFirst: return ("byte = (c0 & 0x0F) | (c1 << 4)", "the seed's formula")
        case .highFirst: return ("byte = (c0 << 4) | (c1 & 0x0F)", "bitsandbytes")
        case .ggufSplit: return ("per block of 32, byte j = c[j] | c[j+16]<<4", "llama.cpp Q4_0")
        case .int32x8: return ("u32 = c0 | c1<<4 | … | c7<<28", "GPTQ, compressed-tensors")
        case .awq: return ("u32 nibbles 0…7 hold c0 c2 c4 c6 c1 c3 c5 c7", "AutoAWQ")
        }
    }

    /// Where the cursor's code lands, two lines.
    static func cursorLines(_ c: ViewContext, _ kind: Kind) -> [(String, Style)] {
        let index = c.index
        let code = c.quantized.code(at: index)
        let raw = c.quantized.codes[index]
        let signed = c.quantized.scheme.signedCodes
        let who = "cursor \(c.elementLabel) #\(Format.grouped(index)): code \(Format.integer(code))"
        let complement = signed && code < 0 ? " (two's complement)" : ""
        let first: String, second: String
        switch kind {
        case .nibbles(let layout):
            let nibble = raw & 0x0F
            let (byte, shift) = Int4Packer.location(of: index, layout: layout)
            first = "\(who) → 4-bit \(binary(UInt(nibble), 4)) = 0x\(hex(UInt(nibble), 1))\(complement)"
            var where_ = "→ byte \(Format.grouped(byte)) (\(offset(byte, c))), bits \(shift)…\(shift + 3): the \(shift == 0 ? "low" : "high") nibble"
            if layout == .int32x8 || layout == .awq {
                let bit = (byte % 4) * 8 + shift
                where_ += " = bits \(bit)…\(bit + 3) of u32 word \(Format.grouped(byte / 4))"
            }
            second = where_
        case .crumbs:
            let crumb = raw & 0x03
            let shift = (index % 4) * 2
            first = "\(who) → 2-bit \(binary(UInt(crumb), 2))\(complement)"
            second = "→ byte \(Format.grouped(index / 4)) (\(offset(index / 4, c))), bits \(shift)…\(shift + 1)"
        case .bytes(let bits):
            let pattern = binary(UInt(raw), 8)
            let split = bits < 8 ? String(pattern.prefix(8 - bits)) + " " + String(pattern.suffix(bits)) : pattern
            first = "\(who) → byte 0x\(hex(UInt(raw), 2)) = \(split)\(complement)"
            second = "→ byte \(Format.grouped(index)) (\(offset(index, c)))"
                + (bits < 8 ? ": the low \(bits) bits hold the code, the top \(8 - bits) \(signed ? "copy its sign" : "are 0")" : "")
        case .gguf(let block):
            return ggufCursorLines(c, block)
        }
        return [(first, c.theme.text), (second, c.theme.text)]
    }

    // MARK: Numbers

    static func hex(_ value: UInt, _ digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    static func binary(_ value: UInt, _ digits: Int) -> String {
        let text = String(value, radix: 2)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// Hex digits byte offsets take for this tensor (at least 4).
    static func offsetDigits(_ c: ViewContext) -> Int {
        let bytes = max(c.quantized.blockBytes?.count ?? 0, c.tensor.count)
        return max(4, String(max(bytes - 1, 0), radix: 16).count)
    }

    static func offset(_ byte: Int, _ c: ViewContext) -> String { "0x" + hex(UInt(max(byte, 0)), offsetDigits(c)) }
}

extension PackingView {
    /// What the scheme costs in memory: bits per weight with the per-group
    /// parameters counted, and the whole tensor in bytes.
    ///
    /// Scales are 32-bit floats (E8M0 bytes for MX, f16 inside GGUF blocks);
    /// a zero-point is counted at the code's width, as GPTQ and AWQ pack them.
    struct Storage: Equatable {
        var label: String
        /// "4 + 32/96 (S)": the per-weight sum as written on screen.
        var formula: String
        var bitsPerWeight: Double
        var elements: Int
        /// Bytes of the codes (packed where the scheme packs) and of the parameters.
        var codeBytes: Int
        var parameterBytes: Int
        var parameterNames: String
        /// What the code bytes are called: "codes", or "qs" inside GGUF blocks.
        var codeName = "codes"

        init(_ c: ViewContext, _ kind: Kind) {
            let q = c.quantized, n = c.tensor.count
            label = "\(q.scheme)"
            elements = n
            if case .gguf(let block) = kind {
                let blocks = (n + block.blockSize - 1) / block.blockSize
                let codeFields = block.isKQuant ? PackingView.kQuantCodeFields(block) : ["qs"]
                let headerFields = PackingView.fields(block).filter { !codeFields.contains($0.name) }
                let header = headerFields.map { "\($0.size * 8) \($0.name)" }
                let codeWidth = block.isKQuant ? block.codeBits : (block.codeBits == 8 ? 8 : 4)
                formula = "(" + header.joined(separator: " + ") + " + \(block.blockSize)×\(codeWidth) q)/\(block.blockSize)"
                bitsPerWeight = Double(block.typeSize * 8) / Double(block.blockSize)
                let headerBytes = headerFields.reduce(0) { $0 + $1.size }
                codeBytes = blocks * (block.typeSize - headerBytes)
                parameterBytes = blocks * headerBytes
                parameterNames = headerFields.map(\.name).joined(separator: ", ")
                codeName = "qs"
                return
            }
            let stored: Int
            switch kind {
            case .nibbles(let layout):
                stored = 4
                codeBytes = Int4Packer.packedCount(n, layout: layout)
            case .crumbs:
                stored = 2
                codeBytes = (n + 3) / 4
            default:
                stored = 8
                codeBytes = n
            }
            let groups = max(q.scales.count, 1)
            var scaleBits = 32, zeroBits = 0
            switch q.scheme {
            case .microscaling: scaleBits = 8
            case .integer(let i) where i.hasZeroPoint: zeroBits = i.bits
            default: break
            }
            let perGroup = n % groups == 0 ? Format.grouped(n / groups) : "≈" + Format.grouped(Int(saturating: (Double(n) / Double(groups)).rounded()))
            let names = zeroBits > 0 ? "S, Z" : (scaleBits == 8 ? "E8M0 S" : "S")
            let overhead = zeroBits > 0 ? "(\(scaleBits)+\(zeroBits))/\(perGroup)" : "\(scaleBits)/\(perGroup)"
            formula = "\(stored) + \(overhead) (\(names))"
            bitsPerWeight = Double(stored) + Double((scaleBits + zeroBits) * groups) / Double(max(n, 1))
            parameterBytes = groups * scaleBits / 8 + (groups * zeroBits + 7) / 8
            parameterNames = names
        }

        var totalBytes: Int { codeBytes + parameterBytes }

        /// Three lines: a header (with float32 for reference), this scheme, the whole tensor.
        func tableLines() -> [String] {
            let perWeight = formula + " = " + String(format: "%.3f", bitsPerWeight)
            let heading = "bits per weight (float32: 32)"
            let labelWidth = max(8, CellBuffer.width(of: label)) + 2
            let f = max(CellBuffer.width(of: heading), CellBuffer.width(of: perWeight)) + 2
            func line(_ a: String, _ b: String, _ share: String, _ smaller: String) -> String {
                Format.fit(a, labelWidth) + Format.fit(b, f) + Format.fit(share, 6, alignRight: true) + Format.fit(smaller, 9, alignRight: true)
            }
            return [
                line("size", heading, "of f32", "smaller"),
                line(label, perWeight, Format.percent(bitsPerWeight / 32), String(format: "%.2f×", 32 / bitsPerWeight)),
                Format.fit("tensor", labelWidth) + "\(Format.grouped(elements * 4)) B in float32 → \(Format.grouped(totalBytes)) B"
                    + " (\(Format.grouped(codeBytes)) \(codeName) + \(Format.grouped(parameterBytes)) \(parameterNames))",
            ]
        }
    }
}
