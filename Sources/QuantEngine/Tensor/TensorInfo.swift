/// One tensor as a file describes it: where its bytes are and how to read them.
public struct TensorInfo: Sendable, Equatable {
    /// Element order of the stored bytes.
    public enum Order: Sendable, Equatable {
        case rowMajor
        /// numpy `fortran_order`: the first axis is contiguous.
        case columnMajor
    }

    public var name: String
    /// The file's own spelling: `F32`, `BF16`, `Q4_K`, `float32`, `<f4`…
    public var dtype: String
    public var storage: StoredType
    /// Row-major (numpy) shape; for GGUF, ggml's `ne` reversed.
    public var shape: [Int]
    /// Byte offset of the data in its byte store: the file or shard, or for
    /// an npz tensor its (inflated) member.
    public var offset: Int
    public var byteCount: Int
    /// Which of the checkpoint's files holds the bytes (shards, npz members).
    public var fileIndex: Int = 0
    /// GGUF only: ggml's dimensions, innermost first.
    public var ne: [Int]?
    public var order: Order = .rowMajor
    /// True when multi-byte elements are big-endian (npy `>f4`).
    public var bigEndian = false
    /// Absolute byte offset of the data in the file on disk, as `inspect`
    /// reports it (docs/contract.md §7): `offset` for every format but npz;
    /// for an npz tensor its stored member's data start in the archive, and
    /// nil for a deflated member, whose data are nowhere in the file as such.
    ///
    /// Until a reader sets it, it follows `offset`, so a reader that fixes
    /// `offset` after building the info (GGUF adds the data section's start)
    /// cannot leave a stale copy behind.
    public var fileOffset: Int? {
        get {
            switch placement {
            case .atOffset: offset
            case .absolute(let position): position
            case .compressed: nil
            }
        }
        set { placement = newValue.map(Placement.absolute) ?? .compressed }
    }

    /// Where `fileOffset` comes from.
    private enum Placement: Sendable, Equatable {
        case atOffset
        case absolute(Int)
        case compressed
    }

    private var placement = Placement.atOffset

    public init(name: String, dtype: String, storage: StoredType, shape: [Int], offset: Int, byteCount: Int,
                fileIndex: Int = 0, ne: [Int]? = nil, order: Order = .rowMajor, bigEndian: Bool = false) {
        self.name = name
        self.dtype = dtype
        self.storage = storage
        self.shape = shape
        self.offset = offset
        self.byteCount = byteCount
        self.fileIndex = fileIndex
        self.ne = ne
        self.order = order
        self.bigEndian = bigEndian
    }

    /// The number of elements (1 for a rank-0 tensor).
    public var elementCount: Int { Tensor.elementCount(shape) }

    /// Whether this build can decode the stored type to Float32.
    public var isDecodable: Bool { ElementDecoder.canDecode(storage) }
}
