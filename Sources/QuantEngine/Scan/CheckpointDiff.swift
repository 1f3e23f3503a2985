/// An original checkpoint against a quantized one of the same model
/// (docs/contract.md §7, `diff`): tensors matched by name, or through
/// `TensorNameMap` between Hugging Face and GGUF names, the converter's Q/K
/// row permutation applied to the original where llama.cpp applies it, and
/// each pair measured with the metrics `stats` reports. One pair at a time.
public enum CheckpointDiff {
    public struct Pair: Sendable {
        public var original: TensorInfo
        public var quantized: TensorInfo
        /// Heads of the converter's row permutation, when it applies.
        public var permutedHeads: Int?
    }

    public struct Result: Sendable {
        public var pair: Pair
        public var stored: String
        public var bitsPerWeight: Double
        public var metrics: ErrorMetrics
    }

    /// Pairs by name; tensors with no counterpart (or one of another size) are unmatched.
    public static func match(original: Checkpoint, quantized: Checkpoint)
        -> (pairs: [Pair], unmatchedOriginal: [String], unmatchedQuantized: [String]) {
        let originalSides = original.sideTensorOwners, quantizedSides = quantized.sideTensorOwners
        let originals = original.tensors.filter { originalSides[$0.name] == nil }
        let quantizeds = quantized.tensors.filter { quantizedSides[$0.name] == nil }
        let architecture = [original, quantized].lazy.compactMap { $0.architecture }.first
        let ggufMetadata = original.format == .gguf ? original.metadata : quantized.metadata
        // Both sides under one spelling: GGUF names when exactly one side is GGUF.
        func key(_ info: TensorInfo, in checkpoint: Checkpoint, other: Checkpoint) -> String {
            guard checkpoint.format != .gguf, other.format == .gguf else { return info.name }
            return TensorNameMap.ggufName(forHuggingFace: info.name, architecture: architecture) ?? info.name
        }
        var byKey = [String: TensorInfo]()
        for info in originals { byKey[key(info, in: original, other: quantized)] = info }
        var pairs = [Pair](), matched = Set<String>(), unmatchedQuantized = [String]()
        for info in quantizeds {
            let k = key(info, in: quantized, other: original)
            guard let counterpart = byKey[k], counterpart.elementCount == info.elementCount, info.isDecodable, counterpart.isDecodable else {
                unmatchedQuantized.append(info.name)
                continue
            }
            let ggufName = original.format == .gguf ? counterpart.name : (quantized.format == .gguf ? info.name : k)
            let heads = original.format == quantized.format ? nil
                : TensorNameMap.permutedHeads(ggufName: ggufName, architecture: architecture, metadata: ggufMetadata)
            pairs.append(Pair(original: counterpart, quantized: info, permutedHeads: heads))
            matched.insert(counterpart.name)
        }
        return (pairs, originals.map(\.name).filter { !matched.contains($0) }, unmatchedQuantized)
    }

    /// Decodes both sides of `pair` and measures the quantized against the original.
    public static func compare(_ pair: Pair, original: Checkpoint, quantized: Checkpoint) throws(TensorFileError) -> Result {
        var x = try original.load(pair.original).values
        let y = try quantized.load(pair.quantized).values
        if let heads = pair.permutedHeads, original.format != .gguf {
            let rows = pair.original.shape.first ?? 1
            x = TensorNameMap.permuteRows(x, rows: rows, columns: x.count / max(rows, 1), heads: heads) ?? x
        } else if let heads = pair.permutedHeads, original.format == .gguf {
            // The GGUF is the original: permute the quantized Hugging Face tensor the same way.
            let rows = pair.quantized.shape.first ?? 1
            let permuted = TensorNameMap.permuteRows(y, rows: rows, columns: y.count / max(rows, 1), heads: heads) ?? y
            return try measure(pair, x, permuted, quantized)
        }
        return try measure(pair, x, y, quantized)
    }

    static func measure(_ pair: Pair, _ x: [Float], _ y: [Float], _ quantized: Checkpoint) throws(TensorFileError) -> Result {
        let metrics = x.withUnsafeBufferPointer { xs in y.withUnsafeBufferPointer { ys in ErrorMetrics.compare(xs, ys) } }
        let stored = try quantized.storedQuantization(for: pair.quantized)
        let bits = stored?.bitsPerWeight ?? Double(pair.quantized.byteCount * 8) / Double(max(1, pair.quantized.elementCount))
        return Result(pair: pair, stored: pair.quantized.dtype, bitsPerWeight: bits, metrics: metrics)
    }
}

extension Checkpoint {
    /// GGUF's `general.architecture`, or a safetensors `config.json`'s `model_type`.
    public var architecture: String? {
        if let value = metadata.first(where: { $0.key == "general.architecture" })?.value.stringValue { return value }
        return nil
    }
}
