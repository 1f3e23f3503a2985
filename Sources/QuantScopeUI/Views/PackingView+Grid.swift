import QuantEngine

/// The Packing view's byte grids: a hex dump of a window of packed bytes
/// with, under each byte, which element each nibble (or 2-bit pair, or
/// byte) holds — so the packing reads without colour as well.
///
/// ```
///  offset    +0  +1  +2  +3   +4  +5 …
///  0x0340    D3  0F  72  9E   …          each hex digit is one nibble
///      hi    29  31  33  35   …          the element (base + n) in the high nibble
///      lo    28  30  32  34   …          … and in the low nibble
/// ```
extension PackingView {
    /// A window of packed bytes around the cursor: `count` codes from
    /// element `base`, packed on their own into `bytes`, which sit at byte
    /// `firstByte` of the whole tensor's packing.
    struct Window: Equatable {
        var base: Int
        var count: Int
        var firstByte: Int
        var bytes: [UInt8]
        /// For each nibble slot (byte · 2 + shift / 4): the element (relative to `base`) it holds.
        var owners: [Int?]
    }

    /// Packs the `elements`-long window (a multiple of 32, so every layout's
    /// unit is whole) that holds `index`.
    static func nibbleWindow(codes: [UInt8], index: Int, layout: PackingLayout, elements: Int) -> Window {
        let size = max(32, (elements + 31) / 32 * 32)
        let base = index / size * size
        let count = min(size, codes.count - base)
        let bytes = Int4Packer.pack(Array(codes[base..<(base + count)]), layout: layout)
        var owners = [Int?](repeating: nil, count: bytes.count * 2)
        for k in 0..<count {
            let (byte, shift) = Int4Packer.location(of: base + k, layout: layout)
            owners[(byte - base / 2) * 2 + shift / 4] = k
        }
        return Window(base: base, count: count, firstByte: base / 2, bytes: bytes, owners: owners)
    }

    /// Column of byte `k` of a line: cells of 4 with a space between u32 words.
    static func cellX(_ k: Int) -> Int { k * 4 + k / 4 }

    static func drawColumnHeader(_ c: ViewContext, x: Int, y: Int, perLine: Int, title: String, _ buffer: inout CellBuffer) {
        buffer.put(title, x: x, y: y, style: c.theme.muted)
        let x0 = x + offsetColumnWidth(c)
        for k in 0..<perLine { buffer.put("+" + hex(UInt(k), 1), x: x0 + cellX(k) + 1, y: y, style: c.theme.muted) }
    }

    static func offsetColumnWidth(_ c: ViewContext) -> Int { 2 + offsetDigits(c) + 2 }

    /// A row label right-aligned in the offset column.
    static func rowLabel(_ text: String, _ c: ViewContext, x: Int, y: Int, _ buffer: inout CellBuffer) {
        buffer.put(Format.fit(text, offsetColumnWidth(c) - 2, alignRight: true), x: x, y: y, style: c.theme.muted)
    }

    // MARK: 4-bit

    static func drawNibbles(_ c: ViewContext, _ layout: PackingLayout, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme
        let offsetWidth = offsetColumnWidth(c)
        let perLine = rect.width >= offsetWidth + cellX(16) ? 16 : 8
        let unitRows = rect.height >= 2 + 3 * 3 + 7 ? 7 : 0
        var lines = min((rect.height - 2 - unitRows) / 3, 8)
        if perLine == 8 && lines > 1 { lines -= lines % 2 }
        guard lines >= 1 else { return }
        let window = nibbleWindow(codes: c.quantized.codes, index: c.index, layout: layout, elements: lines * perLine * 2)
        let cursor = c.index - window.base
        var y = rect.y
        drawColumnHeader(c, x: rect.x, y: y, perLine: perLine, title: "offset", &buffer)
        y += 1
        let x0 = rect.x + offsetWidth
        for line in 0..<lines {
            let first = line * perLine
            guard first < window.bytes.count else { break }
            buffer.put(offset(window.firstByte + first, c), x: rect.x, y: y, style: theme.muted)
            rowLabel("hi", c, x: rect.x, y: y + 1, &buffer)
            rowLabel("lo", c, x: rect.x, y: y + 2, &buffer)
            for k in 0..<perLine where first + k < window.bytes.count {
                let b = first + k, byte = window.bytes[b]
                let x = x0 + cellX(k)
                for (row, shift) in [(1, 4), (2, 0)] {
                    let owner = window.owners[b * 2 + shift / 4]
                    let style = owner == cursor ? theme.nibbleSelected : (owner == nil ? theme.muted : (shift == 0 ? theme.nibbleLow : theme.nibbleHigh))
                    let digit = hex(UInt(byte >> UInt8(shift)) & 0x0F, 1)
                    buffer.put(digit, x: x + (shift == 0 ? 2 : 1), y: y, style: style)
                    buffer.put(Format.fit(owner.map(String.init) ?? "·", 3, alignRight: true), x: x, y: y + row, style: style)
                }
            }
            y += 3
        }
        if unitRows > 0 && y + unitRows <= rect.maxY - 1 {
            drawUnit(c, layout, window, x: rect.x, y: y + 1, width: rect.width, &buffer)
        }
        let legend = "hi/lo: element #\(Format.grouped(window.base))+n held by the high/low nibble; cursor: n = \(cursor)"
        buffer.put(Format.fit(legend, rect.width), x: rect.x, y: rect.maxY - 1, style: theme.muted)
    }

    /// The cursor's byte (or u32 word) bit by bit: which nibble holds which element.
    static func drawUnit(_ c: ViewContext, _ layout: PackingLayout, _ window: Window, x: Int, y: Int, width: Int, _ buffer: inout CellBuffer) {
        let unitBytes = layout == .int32x8 || layout == .awq ? 4 : 1
        let (cursorByte, _) = Int4Packer.location(of: c.index, layout: layout)
        let start = cursorByte / unitBytes * unitBytes
        let local = start - window.firstByte
        guard local >= 0, local + unitBytes <= window.bytes.count else { return }
        var value: UInt = 0
        for k in 0..<unitBytes { value |= UInt(window.bytes[local + k]) << UInt(8 * k) }
        let title = unitBytes == 1
            ? "the cursor's byte \(Format.grouped(start)) = 0x\(hex(value, 2)), high nibble first:"
            : "the cursor's u32 word \(Format.grouped(start / 4)) = bytes \(Format.grouped(start))…\(Format.grouped(start + 3)) read little-endian = 0x\(hex(value, 8)):"
        let cursor = c.index - window.base
        drawBreakdown(c, title: title, value: value, fields: unitBytes * 2, ownerName: "holds n", x: x, y: y, width: width, &buffer) { p in
            window.owners[(local + p / 2) * 2 + p % 2].map { ($0 == cursor, String($0)) }
        }
    }

    /// Five rows: a title, then the fields of `value` (nibbles or 2-bit
    /// pairs) from the most significant down, each with its bit range, its
    /// bits, the code they spell (two's complement for signed schemes) and
    /// the element that code belongs to.
    static func drawBreakdown(_ c: ViewContext, title: String, value: UInt, fields: Int, fieldBits: Int = 4, ownerName: String,
                              x: Int, y: Int, width: Int, _ buffer: inout CellBuffer, owner: (Int) -> (selected: Bool, label: String)?) {
        let theme = c.theme
        let signed = c.quantized.scheme.signedCodes && fieldBits < 8
        buffer.put(Format.fit(title, width), x: x, y: y, style: theme.heading)
        let labelWidth = 8, column = 7
        for (row, name) in ["bits", fieldBits == 4 ? "nibble" : "pair", "code", ownerName].enumerated() {
            buffer.put(name, x: x, y: y + 1 + row, style: theme.muted)
        }
        let mask = UInt((1 << fieldBits) - 1)
        for (i, p) in (0..<fields).reversed().enumerated() {
            let cx = x + labelWidth + i * column
            guard cx + column <= x + width else { break }
            let held = owner(p)
            let style = held?.selected == true ? theme.nibbleSelected : (p % 2 == 0 ? theme.nibbleLow : theme.nibbleHigh)
            let bits = (value >> UInt(p * fieldBits)) & mask
            let code = signed && bits >= UInt(1 << (fieldBits - 1)) ? Int(bits) - (1 << fieldBits) : Int(bits)
            buffer.put("\(p * fieldBits + fieldBits - 1)…\(p * fieldBits)", x: cx, y: y + 1, style: theme.muted)
            buffer.put(binary(bits, fieldBits), x: cx, y: y + 2, style: style)
            buffer.put(Format.integer(code), x: cx, y: y + 3, style: held == nil ? theme.muted : style)
            buffer.put(held?.label ?? "pad", x: cx, y: y + 4, style: held == nil ? theme.muted : style)
        }
    }

    // MARK: 2-bit

    static func drawCrumbs(_ c: ViewContext, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme
        let offsetWidth = offsetColumnWidth(c)
        let cell = 16, perLine = rect.width >= offsetWidth + 4 * cell - 1 ? 4 : 2
        let lines = min((rect.height - 2) / 2, 6)
        guard lines >= 1 else { return }
        let size = lines * perLine * 4
        let base = c.index / size * size
        let count = min(size, c.quantized.codes.count - base)
        let bytes = Int4Packer.pack2(Array(c.quantized.codes[base..<(base + count)]))
        let cursor = c.index - base
        var y = rect.y
        buffer.put("offset", x: rect.x, y: y, style: theme.muted)
        let x0 = rect.x + offsetWidth
        for k in 0..<perLine { buffer.put("+\(k) bits 7…0", x: x0 + k * cell, y: y, style: theme.muted) }
        y += 1
        for line in 0..<lines {
            let first = line * perLine
            guard first < bytes.count else { break }
            buffer.put(offset(base / 4 + first, c), x: rect.x, y: y, style: theme.muted)
            rowLabel("n", c, x: rect.x, y: y + 1, &buffer)
            for k in 0..<perLine where first + k < bytes.count {
                let byte = bytes[first + k]
                let x = x0 + k * cell
                buffer.put(hex(UInt(byte), 2), x: x, y: y, style: theme.text)
                for pair in 0..<4 {
                    let element = (first + k) * 4 + (3 - pair)
                    let owner = element < count ? element : nil
                    let px = x + 4 + pair * 3
                    let style = owner == cursor ? theme.nibbleSelected : (owner == nil ? theme.muted : (element % 2 == 0 ? theme.nibbleLow : theme.nibbleHigh))
                    buffer.put(binary(UInt(byte >> UInt8((3 - pair) * 2)) & 0x03, 2), x: px, y: y, style: style)
                    buffer.put(Format.fit(owner.map(String.init) ?? "·", 2, alignRight: true), x: px, y: y + 1, style: style)
                }
            }
            y += 2
        }
        let cursorByte = cursor / 4
        if y + 6 <= rect.maxY - 1, cursorByte < bytes.count {
            let title = "the cursor's byte \(Format.grouped(base / 4 + cursorByte)) = 0x\(hex(UInt(bytes[cursorByte]), 2)), element k of the byte at bits 2k…2k+1:"
            drawBreakdown(c, title: title, value: UInt(bytes[cursorByte]), fields: 4, fieldBits: 2, ownerName: "holds n", x: rect.x, y: y + 1,
                          width: rect.width, &buffer) { p in
                let n = cursorByte * 4 + p
                return n < count ? (n == cursor, String(n)) : nil
            }
        }
        let legend = "n: element #\(Format.grouped(base))+n held by the 2-bit pair above it; cursor: n = \(cursor)"
        buffer.put(Format.fit(legend, rect.width), x: rect.x, y: rect.maxY - 1, style: theme.muted)
    }

    // MARK: One code per byte

    static func drawBytes(_ c: ViewContext, bits: Int, _ rect: Rect, _ buffer: inout CellBuffer) {
        let theme = c.theme
        let offsetWidth = offsetColumnWidth(c)
        let perLine = rect.width >= offsetWidth + cellX(16) ? 16 : 8
        let lines = min((rect.height - 2) / 2, 999 / perLine)
        guard lines >= 1 else { return }
        let size = lines * perLine
        let codes = c.quantized.codes
        let base = c.index / size * size
        let count = min(size, codes.count - base)
        let cursor = c.index - base
        var y = rect.y
        drawColumnHeader(c, x: rect.x, y: y, perLine: perLine, title: "offset", &buffer)
        y += 1
        let x0 = rect.x + offsetWidth
        for line in 0..<lines {
            let first = line * perLine
            guard first < count else { break }
            buffer.put(offset(base + first, c), x: rect.x, y: y, style: theme.muted)
            rowLabel("n", c, x: rect.x, y: y + 1, &buffer)
            for k in 0..<perLine where first + k < count {
                let n = first + k
                let style = n == cursor ? theme.nibbleSelected : (n % 2 == 0 ? theme.nibbleLow : theme.nibbleHigh)
                buffer.put(hex(UInt(codes[base + n]), 2), x: x0 + cellX(k) + 1, y: y, style: style)
                buffer.put(Format.fit("\(n)", 3, alignRight: true), x: x0 + cellX(k), y: y + 1, style: style)
            }
            y += 2
        }
        let legend = "n: element #\(Format.grouped(base))+n, one \(bits)-bit code per byte; cursor: n = \(cursor)"
        buffer.put(Format.fit(legend, rect.width), x: rect.x, y: rect.maxY - 1, style: theme.muted)
    }
}

// MARK: GGUF blocks

extension PackingView {
    /// A GGUF block's fields in byte order; the last is always qs.
    static func fields(_ block: GGUFBlockScheme) -> [(name: String, type: String, size: Int)] {
        let d = ("d", "f16", 2), m = ("m", "f16", 2), qh = ("qh", "u32", 4)
        switch block {
        case .q4_0: return [d, ("qs", "u8[16]", 16)]
        case .q4_1: return [d, m, ("qs", "u8[16]", 16)]
        case .q5_0: return [d, qh, ("qs", "u8[16]", 16)]
        case .q5_1: return [d, m, qh, ("qs", "u8[16]", 16)]
        case .q8_0: return [d, ("qs", "i8[32]", 32)]
        case .q2_k, .q3_k, .q4_k, .q5_k, .q6_k: return kQuantFields(block)
        }
    }

    static func dequantFormula(_ block: GGUFBlockScheme) -> String {
        switch block {
        case .q4_0: return "d·(q − 8)"
        case .q5_0: return "d·(q − 16)"
        case .q4_1, .q5_1: return "d·q + m"
        case .q8_0: return "d·q"
        case .q2_k, .q3_k, .q4_k, .q5_k, .q6_k: return kQuantFormula(block)
        }
    }

    /// Where the cursor's q sits in its block, two lines.
    static func ggufCursorLines(_ c: ViewContext, _ block: GGUFBlockScheme) -> [(String, Style)] {
        if block.isKQuant { return kQuantCursorLines(c, block) }
        let b = c.index / block.blockSize, j = c.index % block.blockSize
        let q = c.quantized.code(at: c.index)
        let d = c.quantized.scales.indices.contains(b) ? c.quantized.scales[b] : 0
        let start = b * block.typeSize
        let qsStart = start + fields(block).dropLast().reduce(0) { $0 + $1.size }
        var worked: String
        switch block {
        case .q4_0: worked = "\(Format.number(d))·(\(q) − 8)"
        case .q5_0: worked = "\(Format.number(d))·(\(q) − 16)"
        case .q4_1, .q5_1: worked = "\(Format.number(d))·\(q) + \(Format.parenthesized(Format.number(c.quantized.mins?[b] ?? 0)))"
        case .q8_0: worked = "\(Format.number(d))·\(Format.parenthesized(Format.integer(q)))"
        case .q2_k, .q3_k, .q4_k, .q5_k, .q6_k: worked = ""
        }
        let first = "cursor \(c.elementLabel): block \(Format.grouped(b)), j = \(j): q = \(Format.integer(q)), x̂ = \(worked) = \(Format.number(c.dequantized))"
        let second: String
        if block == .q8_0 {
            second = "q as int8 0x\(hex(UInt(c.quantized.codes[c.index]), 2)) in qs[\(j)] = byte \(Format.grouped(qsStart + j)) (\(offset(qsStart + j, c)))"
        } else {
            let byte = qsStart + j % 16, high = j >= 16
            let nibble = "qs[\(j % 16)] bits \(high ? "4…7 (high nibble: j ≥ 16)" : "0…3 (low nibble: j < 16)"), byte \(Format.grouped(byte)) (\(offset(byte, c)))"
            second = block.codeBits == 5 ? "q = 16·(qh bit \(j)) + \(nibble)" : "q in \(nibble)"
        }
        return [(first, c.theme.text), (second, c.theme.text)]
    }

    static func drawGGUF(_ c: ViewContext, _ block: GGUFBlockScheme, _ rect: Rect, _ buffer: inout CellBuffer) {
        if block.isKQuant { return drawKQuant(c, block, rect, &buffer) }
        let theme = c.theme
        guard let bytes = c.quantized.blockBytes else {
            buffer.put(Format.fit("no block bytes for this tensor", rect.width), x: rect.x, y: rect.y, style: theme.muted)
            return
        }
        let ts = block.typeSize, blocks = bytes.count / ts
        let cursorBlock = c.index / block.blockSize, cursorJ = c.index % block.blockSize
        let x0 = rect.x + ggufLabelWidth(c)
        let rowsPerBlock = fields(block).count + (block == .q8_0 ? 4 : 3)
        let breakdownRows = block == .q8_0 ? 0 : 6
        var y = rect.y
        var b = cursorBlock
        while b < blocks && y + rowsPerBlock <= rect.maxY - 1 {
            let start = b * ts
            let isCursor = b == cursorBlock
            let title = "block \(Format.grouped(b)) of \(Format.grouped(blocks)) at byte \(Format.grouped(start)) (\(offset(start, c))), \(ts) bytes: elements #\(Format.grouped(b * 32))…#\(Format.grouped(b * 32 + 31))"
            buffer.put(Format.fit(title, rect.width), x: rect.x, y: y, style: isCursor ? theme.heading : theme.muted)
            y += 1
            var at = start
            for field in fields(block) {
                buffer.put(field.name, x: rect.x, y: y, style: theme.muted)
                buffer.put(Format.fit("+\(at - start)", 3, alignRight: true), x: rect.x + 3, y: y, style: theme.muted)
                if field.name == "qs" {
                    drawQS(c, block, bytes, at: at, blockStart: start, isCursorBlock: isCursor, cursorJ: cursorJ, x: rect.x, x0: x0, y: y, &buffer)
                    y += block == .q8_0 ? 4 : 3
                } else {
                    var value: UInt = 0
                    for k in 0..<field.size {
                        let byte = bytes[at + k]
                        value |= UInt(byte) << UInt(8 * k)
                        let highlight = isCursor && field.name == "qh" && k == cursorJ / 8
                        buffer.put(hex(UInt(byte), 2), x: x0 + cellX(k) + 1, y: y, style: highlight ? theme.nibbleSelected : theme.text)
                    }
                    var note = "= 0x\(hex(value, field.size * 2)) (\(field.type), low byte first)"
                    if field.type == "f16" {
                        note += " = \(Format.number(Float(Float16(bitPattern: UInt16(value)))))"
                    } else {
                        note += ": bit j = bit 4 of q[j]" + (isCursor ? "; bit \(cursorJ) = \((value >> UInt(cursorJ)) & 1)" : "")
                        note = note.replacingOccurrences(of: ", low byte first", with: "")
                    }
                    let noteX = x0 + cellX(4) + 1
                    buffer.put(Format.fit(note, max(0, rect.maxX - noteX)), x: noteX, y: y, style: theme.muted)
                    y += 1
                }
                at += field.size
            }
            if isCursor && breakdownRows > 0 && y + breakdownRows <= rect.maxY - 1 {
                let qs = start + fields(block).dropLast().reduce(0) { $0 + $1.size }
                let byte = qs + cursorJ % 16, value = UInt(bytes[byte])
                let title = "the cursor's qs[\(cursorJ % 16)] = byte \(Format.grouped(byte)) = 0x\(hex(value, 2)), high nibble first:"
                drawBreakdown(c, title: title, value: value, fields: 2, ownerName: "holds j", x: rect.x, y: y + 1, width: rect.width, &buffer) { p in
                    let j = cursorJ % 16 + (p == 1 ? 16 : 0)
                    return (j == cursorJ, "\(j)")
                }
                y += breakdownRows
            }
            y += 1
            b += 1
        }
        let legend = block == .q8_0
            ? "j: element 32·block+j held by the int8 above it; cursor: j = \(cursorJ)"
            : "hi/lo: element 32·block+j in the high/low nibble; cursor: j = \(cursorJ)"
        buffer.put(Format.fit(legend, rect.width), x: rect.x, y: rect.maxY - 1, style: theme.muted)
    }

    /// Field name (3), offset, a space: where a block's bytes start.
    /// Field name, its offset in the block ("+6"), a space: where a block's bytes start.
    static func ggufLabelWidth(_ c: ViewContext) -> Int { 3 + 3 + 1 }

    /// The qs bytes of a block: 16 nibble pairs (j, j+16) or 32 int8 codes.
    static func drawQS(_ c: ViewContext, _ block: GGUFBlockScheme, _ bytes: [UInt8], at: Int, blockStart: Int, isCursorBlock: Bool, cursorJ: Int,
                       x: Int, x0: Int, y: Int, _ buffer: inout CellBuffer) {
        let theme = c.theme
        if block == .q8_0 {
            for line in 0..<2 {
                if line > 0 { buffer.put(Format.fit("+\(at + 16 - blockStart)", 3, alignRight: true), x: x + 3, y: y + 2, style: theme.muted) }
                buffer.put("j", x: x + ggufLabelWidth(c) - 2, y: y + 2 * line + 1, style: theme.muted)
                for k in 0..<16 {
                    let j = line * 16 + k
                    let style = isCursorBlock && j == cursorJ ? theme.nibbleSelected : (j % 2 == 0 ? theme.nibbleLow : theme.nibbleHigh)
                    buffer.put(hex(UInt(bytes[at + j]), 2), x: x0 + cellX(k) + 1, y: y + 2 * line, style: style)
                    buffer.put(Format.fit("\(j)", 3, alignRight: true), x: x0 + cellX(k), y: y + 2 * line + 1, style: style)
                }
            }
            return
        }
        buffer.put("hi", x: x + ggufLabelWidth(c) - 3, y: y + 1, style: theme.muted)
        buffer.put("lo", x: x + ggufLabelWidth(c) - 3, y: y + 2, style: theme.muted)
        for k in 0..<16 {
            let byte = bytes[at + k]
            for (row, shift, j) in [(1, 4, k + 16), (2, 0, k)] {
                let style = isCursorBlock && j == cursorJ ? theme.nibbleSelected : (shift == 0 ? theme.nibbleLow : theme.nibbleHigh)
                buffer.put(hex(UInt(byte >> UInt8(shift)) & 0x0F, 1), x: x0 + cellX(k) + (shift == 0 ? 2 : 1), y: y, style: style)
                buffer.put(Format.fit("\(j)", 3, alignRight: true), x: x0 + cellX(k), y: y + row, style: style)
            }
        }
    }
}
