/// Finds the pre-quantized weights of a safetensors checkpoint from tensor
/// names, dtypes and shapes, settles what shapes cannot say with the
/// model's `config.json` `quantization_config`, and lists each as one
/// logical `<module>.weight` (docs/contract.md §8).
///
/// A logical weight takes the place of a raw tensor of the same name
/// (bitsandbytes' packed `weight`, an int8 or FP8 `weight`) or is listed
/// just before its first side tensor; the side tensors stay listed.
enum PrequantRecognizer {
    static func recognize(_ checkpoint: Checkpoint, near path: String) throws(TensorFileError) -> Checkpoint {
        guard checkpoint.format == .safetensors else { return checkpoint }
        var infos = [String: TensorInfo]()
        for info in checkpoint.tensors { infos[info.name] = info }
        let source = PrequantSource(path: checkpoint.path, files: checkpoint.files, infos: infos)
        let candidates = checkpoint.tensors.compactMap { candidate(for: $0.name, infos: infos) }
        guard !candidates.isEmpty else { return checkpoint }
        let config = try QuantizationConfig.near(path)
        var stored = [String: any StoredQuantization]()
        for make in candidates {
            let tensor = try make(source, config)
            stored[tensor.name] = tensor
        }
        // The logical tensor sits where its first side tensor (in file order) was.
        var anchor = [String: String]()
        for tensor in stored.values {
            let first = checkpoint.tensors.first { tensor.sideTensors.contains($0.name) || $0.name == tensor.name }
            if let first { anchor[first.name] = tensor.name }
        }
        var tensors = [TensorInfo]()
        for info in checkpoint.tensors {
            if let logical = anchor[info.name], let tensor = stored[logical] {
                tensors.append(logicalInfo(tensor, infos: infos))
            }
            if stored[info.name] == nil { tensors.append(info) }
        }
        return Checkpoint(path: checkpoint.path, format: checkpoint.format, metadata: checkpoint.metadata, tensors: tensors,
                          files: checkpoint.files, prequantized: stored, quantizationConfig: config)
    }

    typealias Maker = @Sendable (PrequantSource, QuantizationConfig?) throws(TensorFileError) -> any StoredQuantization

    /// How to build the stored tensor that `name` announces, or nil when it announces none.
    static func candidate(for name: String, infos: [String: TensorInfo]) -> Maker? {
        func module(_ suffix: String) -> String? { name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : nil }
        func dtype(_ name: String) -> StoredType? { infos[name]?.storage }

        if let m = module(".qweight"), infos[m + ".qzeros"] != nil, let scales = infos[m + ".scales"], let qweight = infos[name] {
            return { source, config throws(TensorFileError) in
                // GPTQ: qweight [in·b/32, out], scales [groups, out]; AWQ: qweight [in, out/8].
                let awqByShape = qweight.shape.count == 2 && scales.shape.count == 2
                    && qweight.shape[1] * 8 == scales.shape[1] && qweight.shape[1] != scales.shape[1]
                if config?.method == "awq" || (config?.method != "gptq" && awqByShape) {
                    return try AWQStoredTensor(module: m, source: source, config: config)
                }
                return try GPTQStoredTensor(module: m, source: source, config: config)
            }
        }
        if let m = module(".weight_packed"), infos[m + ".weight_scale"] != nil {
            return { source, config throws(TensorFileError) in try PackedIntStoredTensor(module: m, source: source, config: config) }
        }
        for type in ["nf4", "fp4"] {
            if let weight = module(".quant_state.bitsandbytes__" + type), infos[weight] != nil, infos[weight + ".absmax"] != nil {
                return { source, _ throws(TensorFileError) in
                    try BitsAndBytes4BitStoredTensor(weight: weight, stateName: name, source: source)
                }
            }
        }
        if let m = module(".SCB"), dtype(m + ".weight") == .int8 {
            return { source, config throws(TensorFileError) in try ScaledStoredTensor(module: m, kind: .bitsandbytesInt8, source: source, config: config) }
        }
        if let m = module(".weight_scale_inv"), case .float8? = dtype(m + ".weight") {
            return { source, config throws(TensorFileError) in try ScaledStoredTensor(module: m, kind: .fineGrainedFP8, source: source, config: config) }
        }
        if let m = module(".weight_scale"), infos[m + ".weight_packed"] == nil, let weight = dtype(m + ".weight") {
            switch weight {
            case .int8:
                return { source, config throws(TensorFileError) in try ScaledStoredTensor(module: m, kind: .compressedInt8, source: source, config: config) }
            case .float8:
                return { source, config throws(TensorFileError) in
                    let kind: ScaledStoredTensor.Kind = config?.method == "fbgemm_fp8" ? .fbgemmFP8 : .compressedFP8
                    return try ScaledStoredTensor(module: m, kind: kind, source: source, config: config)
                }
            default: return nil
            }
        }
        return nil
    }

    /// The entry `inspect` and the tensor list show for a logical weight.
    static func logicalInfo(_ tensor: any StoredQuantization, infos: [String: TensorInfo]) -> TensorInfo {
        let sides = tensor.sideTensors.compactMap { infos[$0] }
        let first = sides.first
        var info = TensorInfo(name: tensor.name, dtype: tensor.dtypeName,
                              storage: .prequantized(tensor.formatName), shape: tensor.shape,
                              offset: first?.offset ?? 0, byteCount: sides.reduce(0) { $0 + $1.byteCount },
                              fileIndex: first?.fileIndex ?? 0)
        // Its bytes are its side tensors', wherever they are: no one byte range.
        info.fileOffset = nil
        return info
    }
}
