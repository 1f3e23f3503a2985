/// What a recipe is written for (docs/contract.md §7, `recipe`): which
/// settings the target quantizer can express, which it offers by default, and
/// how it names a tensor.
public enum RecipeFormat: String, Sendable, CaseIterable {
    /// llama.cpp's `llama-quantize --tensor-type-file`: GGUF tensor names, ggml types.
    case llama
    /// An llm-compressor recipe whose `QuantizationModifier` writes compressed-tensors:
    /// module names, `QuantizationArgs` weights.
    case compressedTensors = "compressed-tensors"

    /// The candidates tried when `--schemes` is not given: for llama.cpp the
    /// legacy and K-quant types it quantizes to; for compressed-tensors the
    /// int4 / int8 / FP8 weight schemes llm-compressor's presets use
    /// (W4A16 group 128, W8A16 and FP8 per channel) and int4 per channel.
    public var defaultSettings: [ModelScan.Setting] {
        switch self {
        case .llama:
            let blocks: [GGUFBlockScheme] = [.q2_k, .q3_k, .q4_0, .q4_k, .q5_0, .q5_k, .q6_k, .q8_0]
            return blocks.map { ModelScan.Setting(scheme: .gguf($0), granularity: nil) }
        case .compressedTensors:
            return [
                .init(scheme: .integer(IntegerScheme(bits: 4, mode: .symmetric)), granularity: .group(size: 128)),
                .init(scheme: .integer(IntegerScheme(bits: 4, mode: .symmetric)), granularity: .channel(axis: 0)),
                .init(scheme: .integer(IntegerScheme(bits: 8, mode: .symmetric)), granularity: .channel(axis: 0)),
                .init(scheme: .float(.e4m3fn), granularity: .channel(axis: 0)),
            ]
        }
    }

    /// Whether the format can write `setting`; nil when it can, else why not.
    /// llama.cpp takes the GGUF block types; compressed-tensors takes integers
    /// (symmetric or not, 2–8 bits) and FP8 E4M3 per tensor, per output channel
    /// (axis 0), in groups along the row or in blocks.
    public func refusal(_ setting: ModelScan.Setting) -> String? {
        switch (self, setting.scheme) {
        case (.llama, .gguf):
            return nil
        case (.llama, _):
            return "llama-quantize takes GGUF types only (q2_k … q8_0)"
        case (.compressedTensors, .integer(let s)) where s.mode == .unsigned:
            return "compressed-tensors takes intB and intB-asym (signed codes), not uintB"
        case (.compressedTensors, .integer(let s)) where s.mode == .full || s.mode == .asymmetricExact:
            return "compressed-tensors takes intB and intB-asym, not the seed's \(s.name)"
        case (.compressedTensors, .integer), (.compressedTensors, .float(.e4m3fn)):
            if case .channel(let axis) = setting.granularity ?? setting.scheme.defaultGranularity, axis != 0 {
                return "compressed-tensors' channel strategy is per output channel (channel:0)"
            }
            return nil
        case (.compressedTensors, _):
            return "compressed-tensors takes intB, intB-asym and fp8-e4m3 only"
        }
    }

    /// The name the recipe uses for `tensor` of a checkpoint in `format`
    /// (of architecture `architecture`), or nil when the format cannot name it:
    /// the GGUF name for llama.cpp (a Hugging Face name mapped by
    /// `TensorNameMap`), the module (the name less `.weight`) for compressed-tensors.
    public func target(for tensor: String, checkpointFormat: Checkpoint.Format, architecture: String?) -> String? {
        switch self {
        case .llama:
            if checkpointFormat == .gguf { return tensor }
            return TensorNameMap.ggufName(forHuggingFace: tensor, architecture: architecture)
        case .compressedTensors:
            guard tensor.hasSuffix(".weight") else { return nil }
            return String(tensor.dropLast(".weight".count))
        }
    }

    /// Whether the format's quantizer would leave this target alone unless
    /// told otherwise: llm-compressor recipes keep `lm_head` and the
    /// embeddings in `ignore` (they are not the Linear layers it quantizes).
    public func leavesOutByDefault(target: String) -> Bool {
        guard self == .compressedTensors else { return false }
        let last = target.split(separator: ".").last.map(String.init) ?? target
        return target == "lm_head" || last.hasSuffix("embeddings") || last == "embed_tokens" || last == "wte" || last == "wpe"
    }
}
