import QuantEngine

/// A tensor decoded and summarised once when it is opened: its values, the
/// summary line's numbers, and a fine histogram every view re-bins from.
public final class LoadedTensor: Sendable {
    public let ref: TensorRef
    public let info: TensorInfo
    public let fileName: String
    public let tensor: Tensor
    public let summary: TensorSummary
    /// 4096 bins over [min, max]: views re-bin it to their width.
    public let fineHistogram: Histogram
    /// How the file stores the tensor when it stores it quantized (a GGUF
    /// block type, a GPTQ/AWQ/… logical weight); the `stored:` scheme shows it.
    public let stored: (any StoredQuantization)?

    public static let fineBins = 4096

    public init(ref: TensorRef, info: TensorInfo, fileName: String, tensor: Tensor, stored: (any StoredQuantization)? = nil) {
        self.ref = ref
        self.stored = stored
        self.info = info
        self.fileName = fileName
        self.tensor = tensor
        let summary = tensor.values.withUnsafeBufferPointer { TensorSummary($0) }
        self.summary = summary
        let hi = summary.max > summary.min ? summary.max : summary.min + 1
        fineHistogram = tensor.values.withUnsafeBufferPointer {
            Histogram($0, bins: LoadedTensor.fineBins, range: summary.min...hi)
        }
    }

    public var count: Int { tensor.count }
    public var shape: [Int] { tensor.shape }

    /// Rows and columns of the 2-D picture views use: [shape[0], the rest].
    public var rows: Int { shape.count >= 2 ? shape[0] : (count > 0 ? 1 : 0) }
    public var columns: Int { rows > 0 ? count / rows : 0 }
}

/// Which tensor of which open file.
public struct TensorRef: Hashable, Sendable {
    public var file: Int
    public var tensor: Int

    public init(file: Int, tensor: Int) {
        self.file = file
        self.tensor = tensor
    }
}
