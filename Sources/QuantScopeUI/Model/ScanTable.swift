import QuantEngine

/// A whole-model scan under one setting, filled in tensor by tensor as the
/// background work streams it (docs/contract.md §11).
public struct ScanTable: Sendable {
    /// The setting as `stats` spells it for a 2-D weight, with the clip.
    public var key: String
    /// Measured tensors, by name.
    public var results: [String: ScanResult] = [:]
    /// Tensors the setting cannot take, with the engine's reason.
    public var skipped: [String: String] = [:]
    public var complete = false

    public init(key: String) {
        self.key = key
    }

    /// Whether `name` has an answer (a result or a reason).
    public func has(_ name: String) -> Bool { results[name] != nil || skipped[name] != nil }

    /// The worst (lowest) finite-or-infinite SQNR and its tensor.
    public var worst: (tensor: String, sqnr: Double)? {
        results.values.filter { $0.metrics.isFinite }.min { ($0.metrics.sqnrDecibels, $0.tensor) < ($1.metrics.sqnrDecibels, $1.tensor) }
            .map { ($0.tensor, $0.metrics.sqnrDecibels) }
    }
}
