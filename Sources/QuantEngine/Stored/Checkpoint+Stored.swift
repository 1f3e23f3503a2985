extension Checkpoint {
    /// How the file stores `info` when it stores it quantized: a GGUF block
    /// type, or a logical `<module>.weight` assembled from a pre-quantized
    /// checkpoint's side tensors; nil for plain float and integer tensors
    /// (docs/contract.md §8).
    ///
    /// `blocks`, `inspect` and the explorer's `stored:` scheme all start here.
    /// - Throws: `TensorFileError` when the parameters cannot be read.
    public func storedQuantization(for info: TensorInfo) throws(TensorFileError) -> (any StoredQuantization)? {
        if format == .gguf { return GGUFStoredTensor(info: info, checkpoint: self) }
        guard case .prequantized = info.storage, let stored = prequantized[info.name] else { return nil }
        return try stored.loaded()
    }
}

extension Checkpoint {
    /// What the file spends per weight of `info`, parameters included, from
    /// shapes alone (no scale is read): what `scan` reports as
    /// `stored_bits_per_weight` and the Model view colours a GGUF mix by.
    public func storedBitsPerWeight(of info: TensorInfo) -> Double {
        if case .prequantized = info.storage, let stored = prequantized[info.name] { return stored.bitsPerWeight }
        return Double(info.byteCount * 8) / Double(max(1, info.elementCount))
    }
}

extension Checkpoint {
    /// The logical weight each side tensor belongs to (`…qweight` → `….weight`),
    /// so that totals count a pre-quantized weight's bytes once.
    public var sideTensorOwners: [String: String] {
        var owners = [String: String]()
        for (name, tensor) in prequantized {
            for side in tensor.sideTensors where side != name { owners[side] = name }
        }
        return owners
    }

    /// The `quantization` object `inspect --json` gives a logical weight (docs/contract.md §7).
    public func quantizationSummary(for info: TensorInfo) -> JSONValue? {
        guard case .prequantized = info.storage, let stored = prequantized[info.name] else { return nil }
        let method: JSONValue = quantizationConfig.map { .string($0.method) } ?? .null
        let bits: JSONValue = stored.codeBits.map { .integer(Int64($0)) } ?? .null
        let group: JSONValue = stored.groupSize.map { .integer(Int64($0)) } ?? .null
        let symmetric: JSONValue = stored.symmetric.map { .bool($0) } ?? .null
        let sides: [JSONValue] = stored.sideTensors.map { .string($0) }
        let members: [JSONValue.Member] = [
            .init("format", .string(stored.formatName)), .init("method", method), .init("bits", bits),
            .init("group_size", group), .init("symmetric", symmetric), .init("formula", .string(stored.formula)),
            .init("bits_per_weight", .number(stored.bitsPerWeight)), .init("blocks", .integer(Int64(stored.blockCount))),
            .init("tensors", .array(sides)), .init("config", quantizationConfig.map { .string($0.path) } ?? .null),
        ]
        return .object(members)
    }
}
