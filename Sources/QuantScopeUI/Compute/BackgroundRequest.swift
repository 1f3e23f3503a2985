import QuantEngine

/// Whole-model work the explorer runs beside the open tensor's analysis, on
/// its own queue so a long scan never delays a keypress (docs/contract.md §11).
public enum BackgroundRequest: Sendable {
    /// Every listed weight of `file` under `settings`, in order.
    case scan(key: String, settings: QuantSettings, file: Int, tensors: [Int])
    /// The open tensor through every `SchemeSweep` setting.
    case sweep(LoadedTensor)
    /// Every weight of `file` measured against the `--against` original.
    case diff(file: Int)

    /// Names the work: a request equal by id to the running one is not restarted.
    public var id: String {
        switch self {
        case .scan(let key, _, let file, _): return "scan \(file) \(key)"
        case .sweep(let t): return "sweep \(t.ref.file).\(t.ref.tensor)"
        case .diff(let file): return "diff \(file)"
        }
    }
}

/// One result of background work, posted as soon as it is measured.
public enum BackgroundPiece: Sendable {
    /// A scanned tensor: its result, or why the setting does not fit it.
    case scanned(key: String, tensor: String, ScanResult?, skipped: String?)
    case swept(TensorRef, ScanResult?, skipped: String?)
    /// A weight of the open file against its original (nil result: no counterpart, or it failed).
    case diffed(tensor: String, CheckpointDiff.Result?, skipped: String?)
}
