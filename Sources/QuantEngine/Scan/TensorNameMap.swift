import Foundation

/// Hugging Face ↔ GGUF tensor names for the common architectures, as
/// llama.cpp's converter (gguf-py's `TensorNameMap`) writes them
/// (docs/contract.md §7, `diff`): `model.layers.3.self_attn.q_proj.weight`
/// ↔ `blk.3.attn_q.weight`, `encoder.layer.0.output.dense.bias` ↔
/// `blk.0.ffn_down.bias`.
public enum TensorNameMap {
    /// (Hugging Face module with `#` for the layer, GGUF module with `#`).
    typealias Rule = (hf: String, gguf: String)

    static let common: [Rule] = [
        ("model.embed_tokens", "token_embd"), ("model.norm", "output_norm"), ("lm_head", "output"),
        ("model.layers.#.self_attn.q_proj", "blk.#.attn_q"), ("model.layers.#.self_attn.k_proj", "blk.#.attn_k"),
        ("model.layers.#.self_attn.v_proj", "blk.#.attn_v"), ("model.layers.#.self_attn.o_proj", "blk.#.attn_output"),
        ("model.layers.#.self_attn.q_norm", "blk.#.attn_q_norm"), ("model.layers.#.self_attn.k_norm", "blk.#.attn_k_norm"),
        ("model.layers.#.mlp.gate_proj", "blk.#.ffn_gate"), ("model.layers.#.mlp.up_proj", "blk.#.ffn_up"),
        ("model.layers.#.mlp.down_proj", "blk.#.ffn_down"), ("model.layers.#.input_layernorm", "blk.#.attn_norm"),
        // BERT (with or without the `bert.` prefix of the task models).
        ("embeddings.word_embeddings", "token_embd"), ("embeddings.position_embeddings", "position_embd"),
        ("embeddings.token_type_embeddings", "token_types"), ("embeddings.LayerNorm", "token_embd_norm"),
        ("encoder.layer.#.attention.self.query", "blk.#.attn_q"), ("encoder.layer.#.attention.self.key", "blk.#.attn_k"),
        ("encoder.layer.#.attention.self.value", "blk.#.attn_v"), ("encoder.layer.#.attention.output.dense", "blk.#.attn_output"),
        ("encoder.layer.#.attention.output.LayerNorm", "blk.#.attn_output_norm"), ("encoder.layer.#.intermediate.dense", "blk.#.ffn_up"),
        ("encoder.layer.#.output.dense", "blk.#.ffn_down"), ("encoder.layer.#.output.LayerNorm", "blk.#.layer_output_norm"),
    ]

    /// Gemma 2 and 3 norm the attention and FFN outputs too.
    static let gemma2: [Rule] = [
        ("model.layers.#.post_attention_layernorm", "blk.#.post_attention_norm"),
        ("model.layers.#.pre_feedforward_layernorm", "blk.#.ffn_norm"),
        ("model.layers.#.post_feedforward_layernorm", "blk.#.post_ffw_norm"),
    ]

    static let others: [Rule] = [("model.layers.#.post_attention_layernorm", "blk.#.ffn_norm")]

    /// The GGUF name of a Hugging Face tensor name for `architecture` (the
    /// GGUF's `general.architecture`), or nil when no rule covers it.
    public static func ggufName(forHuggingFace name: String, architecture: String? = nil) -> String? {
        var module = name, suffix = ""
        for end in [".weight", ".bias"] where module.hasSuffix(end) {
            module = String(module.dropLast(end.count))
            suffix = end
        }
        if module.hasPrefix("bert.") { module = String(module.dropFirst(5)) }
        let rules = common + (["gemma2", "gemma3"].contains(architecture ?? "") ? gemma2 : others)
        for rule in rules {
            if let layer = match(module, rule.hf) {
                return rule.gguf.replacingOccurrences(of: "#", with: layer ?? "") + suffix
            }
        }
        return nil
    }

    /// nil when `name` does not fit `pattern`; the layer number (or nil for none) when it does.
    static func match(_ name: String, _ pattern: String) -> String?? {
        guard let hash = pattern.firstIndex(of: "#") else { return name == pattern ? .some(nil) : nil }
        let head = pattern[..<hash], tail = pattern[pattern.index(after: hash)...]
        guard name.hasPrefix(head), name.hasSuffix(tail), name.count > head.count + tail.count else { return nil }
        let layer = name.dropFirst(head.count).dropLast(tail.count)
        return layer.allSatisfy(\.isNumber) ? .some(String(layer)) : nil
    }

    /// Whether llama.cpp's converter permuted this tensor's rows for
    /// `architecture` (Llama and Mistral's Q and K projections, for its
    /// rotary layout), and with how many heads.
    public static func permutedHeads(ggufName: String, architecture: String?, metadata: [JSONValue.Member]) -> Int? {
        guard architecture == "llama" else { return nil }
        func number(_ key: String) -> Int? { metadata.first { $0.key == key }?.value.intValue }
        let heads = number("llama.attention.head_count")
        if ggufName.hasSuffix(".attn_q.weight") || ggufName.hasSuffix(".attn_q.bias") { return heads }
        if ggufName.hasSuffix(".attn_k.weight") || ggufName.hasSuffix(".attn_k.bias") { return number("llama.attention.head_count_kv") ?? heads }
        return nil
    }

    /// Applies the converter's permutation to `values` of shape [rows, columns]:
    /// rows viewed as [heads, 2, rows/heads/2] have their last two axes swapped.
    public static func permuteRows(_ values: [Float], rows: Int, columns: Int, heads: Int) -> [Float]? {
        guard heads > 0, rows % (2 * heads) == 0, values.count == rows * columns else { return nil }
        let half = rows / heads / 2
        var out = [Float](repeating: 0, count: values.count)
        for h in 0..<heads {
            for pair in 0..<2 {
                for i in 0..<half {
                    // Source row (h, pair, i) lands at (h, i, pair).
                    let source = (h * 2 + pair) * half + i, target = (h * half + i) * 2 + pair
                    out.replaceSubrange((target * columns)..<((target + 1) * columns), with: values[(source * columns)..<((source + 1) * columns)])
                }
            }
        }
        return out
    }
}
