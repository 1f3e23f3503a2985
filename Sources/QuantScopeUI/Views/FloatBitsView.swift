import QuantEngine

/// View: FloatBits (to be drawn in full; shows the element's numbers meanwhile).
enum FloatBitsView {
    static func render(_ c: ViewContext, _ rect: Rect, _ buffer: inout CellBuffer) {
        let line = "element \(c.elementLabel): x = \(Format.number(c.x)) → x̂ = \(Format.number(c.dequantized)), code \(c.quantized.code(at: c.index)), group \(c.group)"
        buffer.put(Format.fit(line, rect.width), x: rect.x, y: rect.y, style: c.theme.text)
    }
}
