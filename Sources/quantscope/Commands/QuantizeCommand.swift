import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope quantize`: write codes, packed bytes, scales, zero-points and
/// the dequantized tensor to a safetensors file (docs/contract.md §7).
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a tensor and write codes, packed bytes, scales, zero-points and dequantized values.",
        discussion: """
        OUT holds: codes (I8 or U8, the tensor's shape), packed (U8, for codes of 4 bits or fewer),
        scales (F32, one per group), zero_points (I32, one per group; not for GGUF schemes),
        mins (F32: q4_1/q5_1 per block; q2_k/q4_k/q5_k per sub-block, x̂ = scale·q + min), dequantized (F32),
        and metadata scheme, granularity, packing. K-quants (q2_k…q6_k): scales are each sub-block's d·sc.
        With --method (rtn, gptq, gptq-actorder, awq, awq-clip, smoothquant) the weight [out, in] is quantized
        on calibration activations (--activations, --tokens as `methods` takes them): codes, packed, scales and
        zero_points [out, groups], group_index [in], column_scales (AWQ, SmoothQuant), dequantized (Ŵ).
        With --layout gptq|awq OUT holds MODULE.qweight, .qzeros, .scales (F32) and .g_idx (GPTQ) as those
        checkpoints store them, which quantscope (and AutoGPTQ / AutoAWQ) read back.
        """
    )

    @OptionGroup var options: QuantizeOptions

    @Option(name: .long, help: "4-bit packing: low-first (default), high-first, gguf-split, int32x8, awq.")
    var packing: String = "low-first"

    @Option(name: .long, help: "The safetensors file to write.")
    var out: String

    @Option(name: .long, help: ArgumentHelp("Quantize with a weight method on calibration activations: \(WeightMethod.spellings.joined(separator: ", ")) (docs/contract.md §16).",
                                            valueName: "method"))
    var method: String?

    @Option(name: .long, help: ArgumentHelp("Write a GPTQ (qweight/qzeros/scales/g_idx) or AWQ (GEMM) checkpoint layout instead (the method is rtn unless --method says).",
                                            valueName: "gptq|awq"))
    var layout: String?

    @OptionGroup var activationOptions: MethodActivationOptions

    func run() throws {
        if method != nil || layout != nil {
            let prequant = try layout.map { text in
                guard let l = PrequantLayout(rawValue: text.lowercased()) else { throw UsageError("unknown --layout '\(text)' (use gptq or awq)") }
                return l
            }
            return try runMethod(method ?? "rtn", layout: prequant, packing: try PackingLayout(parsing: packing))
        }
        guard activationOptions.activations == nil, activationOptions.tokens == nil else {
            throw UsageError("--activations and --tokens go with --method (round-to-nearest uses no activations)")
        }
        let (scheme, granularity) = try options.parsed()
        let layout = try PackingLayout(parsing: packing)
        _ = try options.parsedCalibration()
        let (checkpoint, info, tensor) = try options.load()
        let (clip, calibration) = try options.chooseClip(tensor, scheme: scheme, granularity: granularity)
        let q = try Quantizer.quantize(tensor, scheme: scheme, granularity: granularity, clip: clip)
        let (entries, packingName) = QuantizeCommand.entries(q, layout: layout)
        try SafetensorsWriter.write(entries, metadata: [
            ("scheme", q.scheme.description), ("granularity", q.granularity.description), ("packing", packingName),
            ("tensor", info.name), ("source", checkpoint.path),
        ], to: out, protecting: checkpoint.inputPaths)
        let m = q.metrics
        print("wrote \(DisplayText.brief(out)): \(DisplayText.brief(info.name)) \(info.shape) as \(q.scheme) \(q.granularity), \(q.scales.count) groups, SQNR \(MetricsText.sqnr(m, what: "dequantized value", exact: "exact"))")
        if let calibration { print(CalibrationReport.line(calibration)) }
    }

    /// The tensors `quantize --out` writes, and the packing actually used.
    static func entries(_ q: QuantizedTensor, layout: PackingLayout) -> ([SafetensorsWriter.Entry], String) {
        var entries: [SafetensorsWriter.Entry] = [.uint8("codes", shape: q.shape, q.codes, signed: q.scheme.signedCodes)]
        var packingName = "none"
        if let blocks = q.blockBytes {
            entries.append(.uint8("packed", shape: [blocks.count], blocks))
            packingName = "gguf-blocks"
        } else if q.scheme.codeBits == 4 {
            let packed = Int4Packer.pack(q.codes, layout: layout)
            entries.append(.uint8("packed", shape: [packed.count], packed))
            packingName = layout.rawValue
        } else if q.scheme.codeBits == 2 {
            let packed = Int4Packer.pack2(q.codes)
            entries.append(.uint8("packed", shape: [packed.count], packed))
            packingName = "2bit-low-first"
        }
        entries.append(.float32("scales", shape: [q.scales.count], q.scales))
        if let zeros = q.zeroPoints { entries.append(.int32("zero_points", shape: [zeros.count], zeros)) }
        if let mins = q.mins { entries.append(.float32("mins", shape: [mins.count], mins)) }
        entries.append(.float32("dequantized", shape: q.shape, q.dequantized))
        return (entries, packingName)
    }
}
