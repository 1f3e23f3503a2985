import Foundation
import QuantEngine

/// `quantize --method` and `--layout` (docs/contract.md §7): the weight
/// quantized by a calibration-aware method, written as `quantize` writes
/// any tensor, or as the tensors of a GPTQ or AWQ checkpoint.
extension QuantizeCommand {
    /// Runs `method` (rtn when only `--layout` is given) and writes OUT.
    func runMethod(_ methodName: String, layout: PrequantLayout?, packing: PackingLayout) throws {
        let (scheme, given) = try options.parsed()
        guard case .integer = scheme else {
            throw UsageError("--method and --layout quantize to integer schemes (intB, intB-asym, uintB …), not \(scheme)")
        }
        guard options.clip == nil, options.calibration == nil else {
            throw UsageError("--clip and --calibration choose round-to-nearest's clip; a --method chooses its own codes")
        }
        let method: WeightMethod
        do throws(MethodError) { method = try WeightMethod(parsing: methodName) } catch { throw UsageError(error.description) }
        let (checkpoint, info, weight) = try options.load()
        try MethodsCommand.checkWeight(weight, info: info, checkpoint: checkpoint, command: "--method")
        let granularity = try MethodsCommand.granularity(given?.description, inputs: weight.shape[1])
        let activations = try activationOptions.make(k: weight.shape[1])
        let problem = try MethodActivationOptions.problem(weight, activations: activations, scheme: scheme, granularity: granularity)
        let outcome: MethodOutcome, evaluation: LayerEvaluation
        do throws(MethodError) {
            (outcome, evaluation) = try Methods.evaluate(method, on: problem)
        } catch {
            throw TensorFileError.invalidTensor(path: checkpoint.filePath(of: info), tensor: info.name, reason: "\(method.name): \(error.description)")
        }
        var metadata: [(String, String)] = [
            ("scheme", scheme.description), ("granularity", granularity.description), ("method", method.name),
            ("activations", activations.label), ("tensor", info.name), ("source", checkpoint.path),
        ]
        let entries: [SafetensorsWriter.Entry]
        if let layout {
            let codes = Self.grouped(outcome.codes, groupSize: problem.groupSize)
            if let reason = layout.refusal(codes) { throw UsageError("--layout \(layout.rawValue): \(reason)") }
            let module = info.name.hasSuffix(".weight") ? String(info.name.dropLast(7)) : info.name
            var written = layout.entries(codes, module: module)
            if let s = outcome.codes.columnScales {
                // AutoAWQ folds s into the layer before; here it is kept beside the weight.
                written.append(.float32(module + ".input_scales", shape: [s.count], s))
            }
            entries = written
            metadata.append(("layout", layout.rawValue))
        } else {
            entries = Self.methodEntries(outcome, packing: packing)
            metadata.append(("packing", outcome.codes.scheme.bits == 4 ? packing.rawValue : "none"))
        }
        try SafetensorsWriter.write(entries, metadata: metadata, to: out, protecting: checkpoint.inputPaths)
        let o = evaluation.output
        print("wrote \(DisplayText.brief(out)): \(DisplayText.brief(info.name)) \(info.shape) by \(method.name) at \(scheme) \(granularity)"
              + (layout.map { " in the \($0.rawValue) layout" } ?? "") + ", output SQNR "
              + MetricsText.sqnr(o, what: "output", exact: "exact") + " on \(activations.heldOutTokens) held-out tokens")
        print("activations: \(activations.label)")
    }

    /// codes, packed (4-bit), scales, zero_points, dequantized (Ŵ), and
    /// column_scales when the codes quantize W·diag(s).
    static func methodEntries(_ outcome: MethodOutcome, packing: PackingLayout) -> [SafetensorsWriter.Entry] {
        let c = outcome.codes
        var entries: [SafetensorsWriter.Entry] = [.uint8("codes", shape: c.shape, c.codes, signed: c.scheme.signedCodes)]
        if c.scheme.bits == 4 {
            let packed = Int4Packer.pack(c.codes, layout: packing)
            entries.append(.uint8("packed", shape: [packed.count], packed))
        }
        entries.append(.float32("scales", shape: [c.rows, c.groupsPerRow], c.scales))
        entries.append(.int32("zero_points", shape: [c.rows, c.groupsPerRow], c.zeroPoints))
        entries.append(.int32("group_index", shape: [c.columns], c.groupIndex))
        if let s = c.columnScales { entries.append(.float32("column_scales", shape: [s.count], s)) }
        entries.append(.float32("dequantized", shape: c.shape, outcome.weight))
        return entries
    }

    /// The method's codes as unsigned codes with zeros, the form GPTQ and AWQ store.
    static func grouped(_ c: MethodCodes, groupSize: Int) -> GroupedIntCodes {
        var codes = [Int32](repeating: 0, count: c.rows * c.columns)
        for r in 0..<c.rows { for col in 0..<c.columns { codes[r * c.columns + col] = Int32(c.code(row: r, column: col)) } }
        let order = c.hasNaturalGroupOrder ? nil : c.groupIndex.map(Int.init)
        guard c.scheme.signedCodes else {
            return GroupedIntCodes(rows: c.rows, columns: c.columns, bits: c.scheme.bits, groupSize: groupSize, codes: codes,
                                   scales: c.scales, zeros: c.zeroPoints, groupOfColumn: order)
        }
        return GroupedIntCodes.shifting(signed: codes, zeros: c.zeroPoints, rows: c.rows, columns: c.columns, bits: c.scheme.bits,
                                        groupSize: groupSize, scales: c.scales, groupOfColumn: order)
    }
}
