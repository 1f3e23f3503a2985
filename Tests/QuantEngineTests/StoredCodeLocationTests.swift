import Foundation
import Testing
@testable import QuantEngine

/// `codeLocation` names where an element's code sits (`qs[37] bits 4…7`,
/// `qweight[5, 10] bits 12…15`): reading those bits straight from the file
/// gives the code back (its low bits, where a high bit lives elsewhere).
@Suite("Where a stored code sits")
struct StoredCodeLocationTests {
    /// `name[i]` or `name[r, c]`, and the bit range (a single byte when none is given).
    static func parse(_ text: String) -> (name: String, index: [Int], low: Int, width: Int)? {
        let first = text.split(separator: "+").first.map { String($0) } ?? text
        guard let open = first.firstIndex(of: "["), let close = first.firstIndex(of: "]") else { return nil }
        let name = String(first[..<open])
        let index = first[first.index(after: open)..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let rest = first[first.index(after: close)...]
        if let range = rest.range(of: "bits ") {
            let numbers = rest[range.upperBound...].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            guard numbers.count >= 2 else { return nil }
            return (name, index, numbers[0], numbers[1] - numbers[0] + 1)
        }
        if let range = rest.range(of: "bit ") {
            let numbers = rest[range.upperBound...].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            return numbers.first.map { (name, index, $0, 1) }
        }
        return (name, index, 0, 8)
    }

    @Test("GGUF: the named bits of the block's field hold the code", arguments: ["q2_k", "q3_k", "q4_k", "q5_k", "q6_k", "q4_0", "q4_1", "q5_0", "q5_1", "q8_0", "iq4_nl", "iq4_xs", "mxfp4"])
    func gguf(_ name: String) throws {
        let checkpoint = try Checkpoint.open(Fixtures.url("stored/blocks.gguf").path)
        let stored = try #require(try checkpoint.storedQuantization(for: try checkpoint.info(named: name)))
        var mismatches = Mismatches(name)
        for b in [0, stored.blockCount / 2, stored.blockCount - 1] {
            let block = try stored.block(b)
            for position in 0..<block.codes.count {
                let text = stored.codeLocation(block, at: position)
                guard let at = Self.parse(text),
                      let field = block.raw.first(where: { $0.label.hasSuffix(" \(at.name)[\($0.bytes.count)]") || $0.label.hasSuffix(" \(at.name)") }),
                      let i = at.index.first, field.bytes.indices.contains(i) else {
                    mismatches.check(false, "block \(b) position \(position): cannot read '\(text)'"); continue
                }
                let value = (Int(field.bytes[i]) >> at.low) & ((1 << at.width) - 1)
                let code = block.codes[position] & ((1 << at.width) - 1)
                mismatches.check(value == code, "block \(b) position \(position): \(text) holds \(value), code \(block.codes[position])")
            }
        }
        mismatches.expectNone()
    }

    @Test("pre-quantized: the named bits of the side tensor hold the code",
          arguments: ["gptq-int4-g32-sym", "gptq-int4-g32-asym-descact", "gptq-int8-g32-asym", "awq-int4-g32", "ct-pack-int4-g32-asym",
                      "bnb-nf4", "bnb-fp4", "bnb-int8", "ct-fp8-block128", "finegrained-fp8-block128"])
    func prequant(_ name: String) throws {
        let checkpoint = try Checkpoint.open(Fixtures.url("prequant/\(name)/model.safetensors").path)
        let weight = try #require(checkpoint.tensors.first { if case .prequantized = $0.storage { true } else { false } })
        let stored = try #require(try checkpoint.storedQuantization(for: weight))
        let module = String(weight.name.dropLast(".weight".count))
        var mismatches = Mismatches(name)
        // Blocks of every row residue mod 8 (AWQ's order has fixed points at 0 and 7).
        for b in Array(stride(from: 0, to: stored.blockCount, by: max(1, stored.blockCount / 40))) + [stored.blockCount - 1] {
            let block = try stored.block(b)
            for position in stride(from: 0, to: block.codes.count, by: 3) {
                let text = stored.codeLocation(block, at: position)
                guard let at = Self.parse(text) else { mismatches.check(false, "cannot read '\(text)'"); continue }
                let info = try checkpoint.info(named: at.name == "weight" ? weight.name : module + "." + at.name)
                let raw = stored.sideTensors.isEmpty ? nil : checkpoint.files[info.fileIndex].bytes
                let size = info.storage.elementSize ?? 1
                let flat = at.index.count == 2 ? at.index[0] * (info.shape.last ?? 1) + at.index[1] : at.index[0]
                guard let raw, flat >= 0, flat < info.elementCount else { mismatches.check(false, "\(text): outside \(info.name)"); continue }
                var word = 0
                for k in 0..<size { word |= Int(raw[info.offset + flat * size + k]) << (8 * k) }
                let value = (word >> at.low) & ((1 << at.width) - 1)
                let code = block.codes[position] & ((1 << at.width) - 1)
                mismatches.check(value == code, "block \(b) position \(position): \(text) holds \(value), code \(block.codes[position])")
            }
        }
        mismatches.expectNone()
    }
}
