import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope inspect`: list a checkpoint's tensors and metadata.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List every tensor (name, dtype, shape, offset, bytes), the metadata and totals."
    )

    @Argument(help: "The checkpoint file (or a sharded model's index .json or folder).")
    var file: String

    @Flag(name: .long, help: "Print one JSON object (docs/contract.md §7).")
    var json = false

    func run() throws {
        let checkpoint = try Checkpoint.openInput(file)
        print(json ? InspectReport.json(checkpoint).serialized() : InspectReport.table(checkpoint))
    }
}

/// Renderings of a checkpoint's contents.
enum InspectReport {
    struct Totals {
        var tensors = 0
        var parameters = 0
        var bytes = 0
        var byDType: [(dtype: String, parameters: Int, bytes: Int)] = []
    }

    /// Totals over what the file stores, each byte once: a pre-quantized
    /// weight's side tensors count through their logical weight.
    static func totals(_ c: Checkpoint) -> Totals {
        var t = Totals()
        let owners = c.sideTensorOwners
        for info in c.tensors where owners[info.name] == nil {
            t.tensors += 1
            t.parameters += info.elementCount
            t.bytes += info.byteCount
            if let i = t.byDType.firstIndex(where: { $0.dtype == info.dtype }) {
                t.byDType[i].parameters += info.elementCount
                t.byDType[i].bytes += info.byteCount
            } else {
                t.byDType.append((info.dtype, info.elementCount, info.byteCount))
            }
        }
        return t
    }

    static func json(_ c: Checkpoint) -> JSONValue {
        let sharded = Set(c.tensors.map(\.fileIndex)).count > 1 || c.files.count > 1
        let owners = c.sideTensorOwners
        let tensors: [JSONValue] = c.tensors.map { info in
            var members: [JSONValue.Member] = [
                .init("name", .string(info.name)),
                .init("dtype", .string(info.dtype)),
                .init("shape", .array(info.shape.map { .integer(Int64($0)) })),
                .init("offset", info.fileOffset.map { .integer(Int64($0)) } ?? .null),
                .init("bytes", .integer(Int64(info.byteCount))),
            ]
            let logical: Bool = if case .prequantized = info.storage { true } else { false }
            if info.fileOffset == nil && !logical { members.append(.init("compressed", .bool(true))) }
            if let ne = info.ne { members.append(.init("ne", .array(ne.map { .integer(Int64($0)) }))) }
            if sharded { members.append(.init("file", .string(c.filePath(of: info)))) }
            if !info.isDecodable { members.append(.init("decodable", .bool(false))) }
            if let summary = c.quantizationSummary(for: info) { members.append(.init("quantization", summary)) }
            if let owner = owners[info.name] { members.append(.init("part_of", .string(owner))) }
            return .object(members)
        }
        let t = totals(c)
        var totals: [JSONValue.Member] = [
            .init("tensors", .integer(Int64(t.tensors))),
            .init("parameters", .integer(Int64(t.parameters))),
            .init("bytes", .integer(Int64(t.bytes))),
            .init("by_dtype", .object(t.byDType.map { entry in
                var m: [JSONValue.Member] = [.init("parameters", .integer(Int64(entry.parameters))), .init("bytes", .integer(Int64(entry.bytes)))]
                if entry.parameters > 0 { m.append(.init("bits_per_weight", .number(Double(entry.bytes * 8) / Double(entry.parameters)))) }
                return .init(entry.dtype, .object(m))
            })),
        ]
        if t.parameters > 0 { totals.append(.init("bits_per_weight", .number(Double(t.bytes * 8) / Double(t.parameters)))) }
        return .object([
            .init("file", .string(c.path)),
            .init("format", .string(c.format.rawValue)),
            .init("metadata", .object(c.metadata)),
            .init("tensors", .array(tensors)),
            .init("totals", .object(totals)),
        ])
    }

    /// The offset column: a number, `deflated` (an npz member), or `in parts`
    /// (a pre-quantized weight, whose bytes are its side tensors').
    static func offsetText(_ info: TensorInfo) -> String {
        if let offset = info.fileOffset { return String(offset) }
        if case .prequantized = info.storage { return "in parts" }
        return "deflated"
    }

    /// The human listing. Every string from the file goes through
    /// `DisplayText.brief`: escaped, and cut in the middle past 200 characters.
    static func table(_ c: Checkpoint) -> String {
        let shown = DisplayText.brief
        var lines: [String] = ["\(shown(c.path, DisplayText.defaultLimit))  (\(c.format.rawValue), \(c.tensors.count) tensors)"]
        if !c.metadata.isEmpty {
            lines.append("")
            lines.append("metadata")
            for m in c.metadata {
                var text = DisplayText.sanitized(m.value.stringValue ?? m.value.serialized(pretty: false))
                if text.count > 100 { text = String(text.prefix(97)) + "…" }
                lines.append("  \(shown(m.key, DisplayText.defaultLimit)) = \(text)")
            }
        }
        lines.append("")
        let names = c.tensors.map { shown($0.name, DisplayText.defaultLimit) }
        let dtypes = c.tensors.map { shown($0.dtype, DisplayText.defaultLimit) }
        let nameWidth = min(max(names.map(\.count).max() ?? 4, 4), 60)
        let shapes = c.tensors.map { $0.shape.map(String.init).joined(separator: "×") }
        let shapeWidth = max(shapes.map(\.count).max() ?? 5, 5)
        let owners = c.sideTensorOwners
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
        func lpad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
        lines.append(pad("name", nameWidth) + "  " + pad("dtype", 8) + "  " + pad("shape", shapeWidth) + "  " + lpad("offset", 12) + "  " + lpad("bytes", 12))
        for (i, (info, shape)) in zip(c.tensors, shapes).enumerated() {
            var line = pad(names[i], nameWidth) + "  " + pad(dtypes[i], 8) + "  " + pad(shape, shapeWidth) + "  " + lpad(offsetText(info), 12) + "  " + lpad(String(info.byteCount), 12)
            if let ne = info.ne { line += "  ne=\(ne)" }
            if !info.isDecodable { line += "  (decoding not supported yet)" }
            if case .prequantized = info.storage { line += "  (stored quantized; `quantscope blocks` shows it)" }
            if let owner = owners[info.name] { line += "  part of \(shown(owner, DisplayText.defaultLimit))" }
            lines.append(line)
        }
        let t = totals(c)
        lines.append("")
        lines.append("total  \(Numbers.grouped(t.parameters)) parameters, \(Numbers.grouped(t.bytes)) bytes" + (t.parameters > 0 ? String(format: ", %.3f bits per weight", Double(t.bytes * 8) / Double(t.parameters)) : ""))
        for entry in t.byDType {
            let bpw = entry.parameters > 0 ? String(format: ", %.3f bits/weight", Double(entry.bytes * 8) / Double(entry.parameters)) : ""
            lines.append("  \(pad(shown(entry.dtype, DisplayText.defaultLimit), 8)) \(Numbers.grouped(entry.parameters)) parameters, \(Numbers.grouped(entry.bytes)) bytes\(bpw)")
        }
        return lines.joined(separator: "\n")
    }
}
