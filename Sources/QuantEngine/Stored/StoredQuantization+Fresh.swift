extension StoredQuantization {
    /// The `dtype` `inspect` gives a logical pre-quantized weight: the method
    /// and the code type, as docs/contract.md §8 spells them (`gptq-int4`,
    /// `awq-int4`, `compressed-tensors-int4`, `bnb-nf4`, `fbgemm-fp8-e4m3`);
    /// the group size and symmetry are in its `quantization` object.
    public var dtypeName: String {
        switch self {
        case let t as GGUFStoredTensor: return t.type.name
        case let t as GPTQStoredTensor: return "gptq-int\(t.bits)"
        case is AWQStoredTensor: return "awq-int4"
        case let t as PackedIntStoredTensor: return "compressed-tensors-int\(t.bits)"
        case let t as BitsAndBytes4BitStoredTensor: return "bnb-\(t.quantType)"
        case let t as ScaledStoredTensor:
            let code = t.format?.name ?? "int8"
            switch t.kind {
            case .compressedInt8, .compressedFP8: return "compressed-tensors-\(code)"
            case .fbgemmFP8: return "fbgemm-\(code)"
            case .fineGrainedFP8: return "finegrained-\(code)"
            case .bitsandbytesInt8: return "bnb-int8"
            }
        default: return formatName.replacingOccurrences(of: " ", with: "-")
        }
    }

    /// The scheme and granularity quantscope quantizes with that comes
    /// closest to what is stored, spelled as `quantscope stats` takes them
    /// (`q4_k`, `int4-asym group:128`, `nf4 group:64`, `fp8-e4m3
    /// block:128x128`): what the explorer's Error view re-quantizes the
    /// decoded values with to compare with the stored tensor (docs/contract.md §8).
    public var freshEquivalent: (scheme: String, granularity: String?)? {
        switch self {
        case let t as GGUFStoredTensor:
            let name = t.type.name.lowercased()
            return (try? Scheme(parsing: name)) == nil ? nil : (name, nil)
        case let t as GPTQStoredTensor:
            return ("int\(t.bits)" + (t.symmetric == true ? "" : "-asym"), t.groupLength >= t.columns ? "channel" : "group:\(t.groupLength)")
        case let t as AWQStoredTensor:
            return ("int4-asym", "group:\(t.groupLength)")
        case let t as PackedIntStoredTensor:
            return ("int\(t.bits)" + (t.zeros == nil ? "" : "-asym"), t.groups == 1 ? "channel" : "group:\(t.groupLength)")
        case let t as BitsAndBytes4BitStoredTensor:
            return (t.quantType, "group:\(t.blockSize)")
        case let t as ScaledStoredTensor:
            let scheme = t.format == nil ? (t.zeroInfo == nil ? "int8" : "int8-asym") : (t.format == .e5m2 ? "fp8-e5m2" : "fp8-e4m3")
            switch t.layout {
            case .tensor: return (scheme, "tensor")
            case .rowGroups(let groups, let size): return (scheme, groups == 1 ? "channel" : "group:\(size)")
            case .tiles(let r, let c): return (scheme, "block:\(r)x\(c)")
            }
        default:
            return nil
        }
    }
}
