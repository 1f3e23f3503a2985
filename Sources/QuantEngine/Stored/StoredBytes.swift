/// A run of a file's real bytes that holds part of a stored block, for the
/// Packing view and `blocks` text output: the whole 144-byte Q4_K
/// superblock, the int32 words of a GPTQ `qweight` that hold a group's
/// codes, bitsandbytes' high-nibble-first bytes (docs/contract.md §8).
public struct StoredBytes: Sendable, Equatable {
    /// What the bytes are, in the format's own words: `block_q4_K`,
    /// `qweight[4, 17]`, `weight.absmax[3]`.
    public var label: String
    /// Absolute byte offset in the file; nil when the bytes are nowhere in
    /// the file as such (a deflated npz member).
    public var offset: Int?
    public var bytes: [UInt8]

    public init(label: String, offset: Int?, bytes: [UInt8]) {
        self.label = label
        self.offset = offset
        self.bytes = bytes
    }
}
