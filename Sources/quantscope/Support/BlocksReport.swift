import Foundation
import QuantEngine

/// What `quantscope blocks` prints: one JSON object, or each block laid out
/// like the format's C struct followed by its codes and values (docs/contract.md §7).
enum BlocksReport {
    static func json(_ stored: any StoredQuantization, _ blocks: [StoredBlock]) -> JSONValue {
        .object([
            .init("tensor", .string(stored.name)),
            .init("format", .string(stored.formatName)),
            .init("shape", .array(stored.shape.map { .integer(Int64($0)) })),
            .init("formula", .string(stored.formula)),
            .init("bits_per_weight", .number(stored.bitsPerWeight)),
            .init("block_count", .integer(Int64(stored.blockCount))),
            .init("block_elements", .integer(Int64(stored.blockElements))),
            .init("block_bytes", stored.blockBytes.map { .integer(Int64($0)) } ?? .null),
            .init("side_tensors", .array(stored.sideTensors.map(JSONValue.string))),
            .init("blocks", .array(blocks.map { block in
                .object([
                    .init("index", .integer(Int64(block.index))),
                    .init("offset", block.offset.map { .integer(Int64($0)) } ?? .null),
                    .init("params", .object(block.params)),
                    .init("elements", elementsJSON(block.elements)),
                    .init("codes", .array(block.codes.map { .integer(Int64($0)) })),
                    .init("values", .array(block.values.map(JSONValue.float))),
                    .init("raw", .array(block.raw.map { raw in
                        .object([.init("field", .string(raw.label)),
                                 .init("offset", raw.offset.map { .integer(Int64($0)) } ?? .null),
                                 .init("hex", .string(hex(raw.bytes, separator: "")))])
                    })),
                ])
            })),
        ])
    }

    /// A contiguous run as `{first, count}`, anything else (a GPTQ group of
    /// scattered columns) as the list of flat indices.
    static func elementsJSON(_ elements: [Int]) -> JSONValue {
        if let first = elements.first, elements.last == first + elements.count - 1,
           zip(elements, elements.dropFirst()).allSatisfy({ $1 == $0 + 1 }) {
            return .object([.init("first", .integer(Int64(first))), .init("count", .integer(Int64(elements.count)))])
        }
        return .array(elements.map { .integer(Int64($0)) })
    }

    static func text(_ stored: any StoredQuantization, _ blocks: [StoredBlock]) -> String {
        var out = "\(DisplayText.brief(stored.name))  \(stored.formatName)  \(stored.shape)  "
        out += "\(stored.blockCount) blocks of \(stored.blockElements)"
        if let bytes = stored.blockBytes { out += ", \(bytes) bytes each" }
        out += String(format: ", %.4g bits/weight\n", stored.bitsPerWeight)
        if !stored.sideTensors.isEmpty { out += "stored in: " + stored.sideTensors.map { DisplayText.brief($0) }.joined(separator: ", ") + "\n" }
        out += stored.formula + "\n"
        let gguf = stored as? GGUFStoredTensor
        for block in blocks {
            out += "\nblock \(block.index)"
            if let offset = block.offset { out += String(format: " at file offset 0x%llx", offset) }
            if case .object = elementsJSON(block.elements), let first = block.elements.first {
                out += " (elements \(first)…\(block.elements.last ?? first))"
            } else if !block.elements.isEmpty {
                let columns = stored.shape.last ?? 1
                let shown = block.elements.prefix(8).map { String($0 % max(1, columns)) }.joined(separator: ", ")
                out += " (\(block.elements.count) elements of row \(block.elements[0] / max(1, columns)), scattered: columns \(shown)\(block.elements.count > 8 ? ", …" : ""))"
            }
            out += "\n"
            let width = block.raw.map { $0.label.count }.max() ?? 0
            let indent = gguf == nil ? "" : "    "
            if let gguf { out += "struct \(gguf.structName) {\n" }
            for raw in block.raw {
                let label = gguf == nil ? raw.label : raw.label + ";"
                out += indent + label.padding(toLength: width + 1, withPad: " ", startingAt: 0)
                if let offset = raw.offset { out += String(format: "  @0x%llx", offset) }
                out += "  " + hex(Array(raw.bytes.prefix(24)), separator: " ") + (raw.bytes.count > 24 ? " … (\(raw.bytes.count) bytes)" : "") + "\n"
            }
            if gguf != nil { out += "};\n" }
            for param in block.params { out += "  \(param.key) = \(param.value.serialized(pretty: false))\n" }
            out += "  codes → values:\n"
            let columns = 4, sub = max(1, block.subBlockElements)
            for start in stride(from: 0, to: block.codes.count, by: sub) {
                if block.levels.count > 1 {
                    out += "  sub-block \(start / sub) (\(block.levels[start / sub].count) levels)\n"
                }
                let end = min(start + sub, block.codes.count)
                for row in stride(from: start, to: end, by: columns) {
                    let cells = (row..<min(row + columns, end)).map { k in
                        "[\(pad(k, 3))] \(pad(block.codes[k], 4)) → " + "\(block.values[k])".padding(toLength: 14, withPad: " ", startingAt: 0)
                    }
                    out += "   " + cells.joined(separator: " ").trimmingCharacters(in: .whitespaces) + "\n"
                }
            }
        }
        return out
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let text = String(n)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func hex(_ bytes: [UInt8], separator: String) -> String {
        bytes.map { String(format: "%02x", $0) }.joined(separator: separator)
    }
}
