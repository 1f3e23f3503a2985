import Foundation

/// The `quantization_config` of a Hugging Face `config.json` (or AutoAWQ's
/// `quant_config.json`), reduced to what decoding needs: the method, bits,
/// group size, symmetry and the format's own switches (docs/contract.md §8).
///
/// Shapes decide what can be decided from shapes; the config settles the
/// rest (GPTQ's `gptq_v2` zeros, symmetry for the name, FP8 block size).
public struct QuantizationConfig: Sendable {
    /// `gptq`, `awq`, `compressed-tensors`, `bitsandbytes`, `fp8`, `fbgemm_fp8`…
    public var method: String
    public var bits: Int?
    public var groupSize: Int?
    public var symmetric: Bool?
    public var descAct: Bool?
    public var checkpointFormat: String?
    /// FineGrainedFP8 / compressed-tensors block strategy: [rows, columns].
    public var blockSize: [Int]?
    /// compressed-tensors: `pack-quantized`, `naive-quantized`, `float-quantized`…
    public var format: String?
    /// compressed-tensors: `tensor`, `channel`, `group`, `block`.
    public var strategy: String?
    /// Where it was read from.
    public var path: String
    /// The object as written, for `inspect --json`.
    public var json: JSONValue

    /// The config beside `path`: `path/config.json` for a folder, else the
    /// `config.json` (or `quant_config.json`) in the file's folder; nil when
    /// there is none or it has no `quantization_config`.
    /// - Throws: `TensorFileError.invalidHeader` naming the config when it is not valid JSON.
    static func near(_ path: String) throws(TensorFileError) -> QuantizationConfig? {
        var isDirectory: ObjCBool = false
        let folder = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? path : (path as NSString).deletingLastPathComponent
        for file in ["config.json", "quant_config.json"] {
            let candidate = ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(file)
            guard FileManager.default.isReadableFile(atPath: candidate) else { continue }
            let file = try MappedFile(path: candidate)
            guard file.count <= 16 << 20 else { continue }
            let json: JSONValue
            do { json = try JSONParser.parse(file.bytes, rejectDuplicateKeys: false) } catch {
                throw .invalidHeader(path: candidate, reason: error.description)
            }
            if let config = QuantizationConfig(json["quantization_config"] ?? (json["quant_method"] != nil || json["w_bit"] != nil ? json : nil), path: candidate) {
                return config
            }
        }
        return nil
    }

    init?(_ json: JSONValue?, path: String) {
        guard let json, json.objectValue != nil else { return nil }
        self.json = json
        self.path = path
        method = (json["quant_method"]?.stringValue ?? (json["w_bit"] != nil ? "awq" : "")).lowercased()
        bits = json["bits"]?.intValue ?? json["w_bit"]?.intValue
        groupSize = json["group_size"]?.intValue ?? json["q_group_size"]?.intValue
        symmetric = Self.bool(json["sym"]) ?? Self.bool(json["zero_point"]).map { !$0 }
        descAct = Self.bool(json["desc_act"])
        checkpointFormat = json["checkpoint_format"]?.stringValue
        blockSize = json["weight_block_size"]?.arrayValue?.compactMap(\.intValue)
        format = json["format"]?.stringValue
        if method == "bitsandbytes" {
            if Self.bool(json["load_in_4bit"]) == true { bits = 4 } else if Self.bool(json["load_in_8bit"]) == true { bits = 8 }
        }
        // compressed-tensors: the first config group's weight scheme.
        if let groups = json["config_groups"]?.objectValue, let weights = groups.first?.value["weights"], weights.objectValue != nil {
            bits = weights["num_bits"]?.intValue ?? bits
            groupSize = weights["group_size"]?.intValue ?? groupSize
            symmetric = Self.bool(weights["symmetric"]) ?? symmetric
            strategy = weights["strategy"]?.stringValue
            if let block = weights["block_structure"]?.arrayValue?.compactMap(\.intValue), block.count == 2 { blockSize = block }
            format = groups.first?.value["format"]?.stringValue ?? format
        }
    }

    private static func bool(_ value: JSONValue?) -> Bool? {
        if case .bool(let b)? = value { return b }
        return nil
    }
}
