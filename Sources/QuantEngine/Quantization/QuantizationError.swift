/// Why a quantization request cannot be carried out. Every case is a usage
/// error: the scheme, granularity or packing does not fit the request.
public enum QuantizationError: Error, Equatable, CustomStringConvertible, Sendable {
    case unknownScheme(String)
    case unknownGranularity(String)
    case unknownPacking(String)
    case unknownFormat(String)
    case axisOutOfRange(axis: Int, rank: Int)
    case granularityNotSupported(scheme: String, granularity: String, allowed: String)
    case rowLengthNotMultiple(scheme: String, rowLength: Int, block: Int)
    /// The granularity cuts the tensor into so many groups that their
    /// scales and error sums alone would pass the memory budget
    /// (`Quantizer.groupBookkeepingLimit`).
    case tooManyGroups(granularity: String, groups: Int, bytes: Int, limit: Int)
    /// The caller's `WorkToken` was cancelled before the work finished.
    case cancelled
    /// A `--calibration` spelling that is not minmax, percentile:P or mse (docs/contract.md §12).
    case unknownCalibration(String)
    /// Calibration chooses a clip, which GGUF blocks do not take (docs/contract.md §12).
    case calibrationNotSupported(scheme: String)

    public var description: String {
        switch self {
        case .unknownScheme(let s):
            return "unknown scheme '\(s)' (try int8, int4-asym, uint8, fp8-e4m3, fp4-e2m1, nf4, mxfp4, q4_0, q4_k; `quantscope schemes` lists them all)"
        case .unknownGranularity(let g):
            return "unknown granularity '\(g)' (use tensor, channel[:AXIS], group:G with G ≥ 1, or block:RxC)"
        case .unknownPacking(let p):
            return "unknown packing '\(p)' (use low-first, high-first, gguf-split, int32x8 or awq)"
        case .unknownFormat(let f):
            return "unknown float format '\(f)' (use \(FloatFormat.all.map(\.name).joined(separator: ", ")))"
        case .axisOutOfRange(let axis, let rank):
            return "channel axis \(axis) is out of range for a tensor of rank \(rank)"
        case .granularityNotSupported(let scheme, let granularity, let allowed):
            return "scheme \(scheme) does not take granularity \(granularity) (it uses \(allowed))"
        case .rowLengthNotMultiple(let scheme, let rowLength, let block):
            return "scheme \(scheme) needs the last axis to be a multiple of \(block) (its block, as llama.cpp requires); this tensor's is \(rowLength)"
        case .tooManyGroups(let granularity, let groups, let bytes, let limit):
            return "granularity \(granularity) makes \(groups) groups, whose scales and sums need \(bytes >> 20) MB"
                + " (limit \(limit >> 20) MB for this tensor: a quarter of its float32 size + 48 MB); use larger groups"
        case .cancelled:
            return "cancelled"
        case .unknownCalibration(let c):
            return "unknown calibration '\(c)' (use minmax, percentile:P with 0 < P ≤ 100 such as percentile:99.9, or mse)"
        case .calibrationNotSupported(let scheme):
            return "calibration chooses a clip, and scheme \(scheme) takes none (GGUF blocks fit their own scales); use an int, float, MX, nf4 or fp4 scheme"
        }
    }
}
