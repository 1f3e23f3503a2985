import QuantEngine

/// Which tensor the explorer opens (and highlights) first: one that shows
/// what quantization does to a weight, quickly.
///
/// The rule, applied to every tensor of every open file in file order:
/// 1. candidates are floating-point (float, bfloat, float8 or a GGML
///    float/quantized type) and decodable, of rank ≥ 2 and not empty —
///    so never an I64 `position_ids` or a bias;
/// 2. among them, names ending in `.weight` are preferred;
/// 3. then anything but an embedding or the output head (`embed`, `wte`,
///    `wpe`, `token_embd`, `lm_head`, GGUF `output.weight`), when another
///    candidate is left — those are the largest matrices and unlike a layer;
/// 4. then tensors of moderate size, at most `moderateElements` (a 4096×4096
///    layer); when every one left is larger, the smallest of them.
/// Each preference applies only when it leaves a candidate; the first
/// remaining one in file order wins. With no candidate at all, the first
/// non-empty floating-point tensor of any rank, else the first decodable one.
public enum FirstTensor {
    /// A 4096×4096 layer: quantized in tens of milliseconds.
    public static let moderateElements = 1 << 24

    /// The tensor to open first among `tensors` (in file order).
    public static func choose(_ tensors: [(ref: TensorRef, info: TensorInfo)]) -> TensorRef? {
        var candidates = tensors.filter { $0.info.storage.holdsRealNumbers && $0.info.isDecodable && $0.info.shape.count >= 2 && $0.info.elementCount > 0 }
        guard !candidates.isEmpty else {
            return (tensors.first { $0.info.storage.holdsRealNumbers && $0.info.isDecodable && $0.info.elementCount > 0 }
                    ?? tensors.first { $0.info.isDecodable })?.ref
        }
        func prefer(_ keep: ((ref: TensorRef, info: TensorInfo)) -> Bool) {
            let kept = candidates.filter(keep)
            if !kept.isEmpty { candidates = kept }
        }
        prefer { $0.info.name.hasSuffix(".weight") }
        prefer { !isEmbeddingOrHead($0.info.name) }
        let moderate = candidates.filter { $0.info.elementCount <= moderateElements }
        if let first = moderate.first { return first.ref }
        return candidates.min { $0.info.elementCount < $1.info.elementCount }?.ref
    }


    /// Token embeddings and output heads, by the names common checkpoints use.
    static func isEmbeddingOrHead(_ name: String) -> Bool {
        let lower = name.lowercased()
        if ["embed", "wte.", "wpe.", "token_embd", "lm_head"].contains(where: { lower.contains($0) }) { return true }
        return lower == "output.weight"
    }
}
