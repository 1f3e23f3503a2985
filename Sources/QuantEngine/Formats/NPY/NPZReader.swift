import Foundation

/// Reads a `.npz` archive (`np.savez`, `np.savez_compressed`): a zip whose
/// member `w.npy` is the tensor `w` (docs/contract.md §7; `layer.0/w.npy` is `layer.0/w`).
///
/// Opening reads the zip's central directory and each `.npy` member's header
/// only: a stored member's header straight from the mapped archive, a
/// deflated member's by inflating just enough of it. Tensor bytes come from
/// one `NPZMember` store per member, produced on the first `load`.
///
/// - A tensor's `offset` is where its data starts inside its member (the npy
///   header's length); its `fileOffset` is where they start in the archive
///   (the member's data start plus that length) for a stored member, and nil
///   for a deflated one. `Checkpoint.filePath(of:)` names the member as
///   `archive.npz:w.npy`.
/// - Members whose names do not end in `.npy` (directories, notes) are not
///   arrays; they are skipped and listed in the metadata as `ignored_members`
///   (numpy's `NpzFile` would hand them out as raw bytes).
/// - Stored and deflated members are read; other compression methods,
///   encrypted members, and a deflated member declaring more than deflate can
///   produce from its compressed size (1032:1) are errors, as are two members
///   giving the same tensor name.
/// - A member is exactly its npy header and data (docs/contract.md §9):
///   one that the zip directory says is longer is refused when its header
///   is read, before any of its data are inflated, and one whose deflate
///   stream runs on past the declared size is refused when inflating gets
///   there, so a small archive that inflates to gigabytes of padding is
///   refused without inflating the padding. (A plain `.npy` file may have
///   bytes after its data; `NPYReader` counts them.)
public enum NPZReader {
    /// `PK\3\4`, the first local file header.
    public static let zipMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    /// `PK\5\6`, the end record that starts an archive with no members.
    public static let emptyZipMagic: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    /// Deflate's largest expansion: a 258-byte match in two bits.
    static let maxDeflateRatio = 1032

    /// Maps `path` and reads its members' headers.
    /// - Throws: `TensorFileError` naming the file: `.invalidHeader` when it is
    ///   not a zip archive, and any npy header error naming `path:member`.
    public static func open(_ path: String) throws(TensorFileError) -> Checkpoint {
        try open(path, file: try MappedFile(path: path))
    }

    /// Reads the members' headers of an already mapped archive.
    /// - Parameters:
    ///   - path: the path the user gave.
    ///   - file: the mapped archive, which the member stores keep.
    /// - Returns: a checkpoint with one tensor per `.npy` member, in archive order.
    /// - Throws: `TensorFileError` naming the file, or `path:member` for a member's npy header.
    public static func open(_ path: String, file: MappedFile) throws(TensorFileError) -> Checkpoint {
        let directory = try ZIPDirectory(file.bytes, path: path)
        var ignored: [JSONValue] = []
        var arrays: [(member: ZIPDirectory.Member, name: String, shown: String, range: Range<Int>)] = []
        var names = Set<String>()
        for member in directory.members {
            guard member.name.hasSuffix(".npy") else {
                ignored.append(.string(member.name))
                continue
            }
            let name = String(member.name.dropLast(4))
            let shown = DisplayText.brief(name)
            guard names.insert(name).inserted else { throw .duplicateName(path: path, tensor: shown) }
            guard !member.isEncrypted else {
                throw .invalidTensor(path: path, tensor: shown, reason: "member '\(member.displayName)' is encrypted")
            }
            arrays.append((member, name, shown, try directory.dataRange(of: member, in: file.bytes, path: path)))
        }
        // No two members may share bytes (a zip bomb's trick), checked before inflating anything.
        let spans = arrays.map { (range: $0.member.localHeaderOffset..<$0.range.upperBound, member: $0.member.displayName) }
            .sorted { $0.range.lowerBound < $1.range.lowerBound }
        for (a, b) in zip(spans, spans.dropFirst()) where a.range.overlaps(b.range) {
            throw .badOffsets(path: path, tensor: b.member,
                              reason: "its bytes [\(b.range.lowerBound), \(b.range.upperBound)) overlap member '\(a.member)'")
        }
        var tensors: [TensorInfo] = []
        var stores: [ByteStore] = []
        for array in arrays {
            let store = try NPZMember(archive: file, member: array.member, range: array.range, path: path, tensor: array.shown)
            let header = try store.readHeader()
            var info = NPYReader.tensorInfo(header, name: array.name, fileIndex: stores.count)
            info.fileOffset = array.member.method == 0 ? array.range.lowerBound + header.dataOffset : nil
            tensors.append(info)
            stores.append(store)
        }
        let metadata = ignored.isEmpty ? [] : [JSONValue.Member("ignored_members", .array(ignored))]
        return Checkpoint(path: path, format: .npz, metadata: metadata, tensors: tensors, files: stores)
    }
}

/// One `.npy` member of an npz archive as a `ByteStore`: a stored member is
/// a view of the mapped archive; a deflated one is inflated into memory on
/// the first access to `bytes` (under a lock, once).
///
/// `readHeader` refuses a member whose directory size is not exactly its
/// npy header and data. Inflating then stops at the first piece of output
/// past that size (at most `chunkSize` bytes past it, never kept): a stream
/// longer than its directory and header say is refused without being read
/// to its end. A stream of the right length has its CRC-32 checked.
///
/// `bytes` cannot throw: when inflating fails it is empty, so that
/// `Checkpoint.load` reports the member (`archive.npz:w.npy`) as truncated,
/// and `failure` says what went wrong.
final class NPZMember: ByteStore, @unchecked Sendable {
    /// `archive.npz:w.npy`.
    let path: String
    /// The archive as the user named it.
    private let archivePath: String
    private let archive: MappedFile
    private let member: ZIPDirectory.Member
    /// The tensor's name as messages show it.
    private let tensor: String
    private let compressed: UnsafeRawBufferPointer
    private let lock = NSLock()
    private var inflated: UnsafeMutableRawBufferPointer?
    private var attempted = false
    private var failureReason: TensorFileError?
    /// How many bytes finding the npy header inflated (tests check that a
    /// bomb's header read stops at the header, not at the member's end).
    private(set) var headerBytesInflated = 0
    /// How many bytes inflating the whole member produced, kept or not
    /// (tests check that a stream longer than declared is not read to its end).
    private(set) var bytesInflated = 0

    /// Chunk size for inflating a whole member.
    static let chunkSize = 1 << 16
    /// Chunk size while looking for the npy header.
    static let headerChunkSize = 1 << 12

    /// - Throws: `TensorFileError.invalidTensor` for a compression method
    ///   other than stored or deflated, or a deflated size beyond deflate's
    ///   ratio; `.sizeMismatch` for a stored member whose two sizes differ.
    init(archive: MappedFile, member: ZIPDirectory.Member, range: Range<Int>, path archivePath: String, tensor: String)
        throws(TensorFileError) {
        self.tensor = tensor
        self.archive = archive
        self.member = member
        self.archivePath = archivePath
        self.path = archivePath + ":" + member.displayName
        compressed = archive.slice(range)
        switch member.method {
        case 0:
            guard member.compressedSize == member.uncompressedSize else {
                throw .sizeMismatch(path: path, tensor: tensor, expected: member.uncompressedSize, found: member.compressedSize)
            }
        case 8:
            let (bound, overflow) = member.compressedSize.multipliedReportingOverflow(by: NPZReader.maxDeflateRatio)
            guard overflow || member.uncompressedSize <= bound + 64 else {
                throw .invalidTensor(path: path, tensor: tensor,
                                     reason: "\(member.compressedSize) deflated bytes cannot hold the \(member.uncompressedSize) it declares")
            }
        default:
            throw .invalidTensor(path: path, tensor: tensor,
                                 reason: "compression method \(member.method) is not supported (only stored and deflated)")
        }
    }

    deinit { free(inflated?.baseAddress) }

    /// Why inflating failed, once `bytes` has been asked for and came back empty.
    public var failure: TensorFileError? {
        lock.lock()
        defer { lock.unlock() }
        return failureReason
    }

    /// Whether a deflated member has been inflated (or tried to be); always false for a stored one.
    var isInflated: Bool {
        lock.lock()
        defer { lock.unlock() }
        return attempted
    }

    /// The member's uncompressed bytes.
    var bytes: UnsafeRawBufferPointer {
        if member.method == 0 { return compressed }
        lock.lock()
        defer { lock.unlock() }
        if !attempted {
            attempted = true
            do throws(TensorFileError) {
                inflated = try inflateAll()
            } catch {
                failureReason = error
            }
        }
        return inflated.map { UnsafeRawBufferPointer($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// Parses the npy header at the start of the member, inflating only as
    /// far as the header reaches.
    /// - Throws: the header's errors (`.truncated` when the member is shorter
    ///   than header and data), and `.invalidMember` when the directory says
    ///   the member is longer (docs/contract.md §9).
    func readHeader() throws(TensorFileError) -> NPYHeader {
        let header = member.method == 0
            ? try NPYHeader.parse(compressed, totalLength: member.uncompressedSize, path: path, tensor: tensor)
            : try readDeflatedHeader()
        // `parse` has checked that header and data fit in the member, so this cannot overflow.
        let declared = header.dataOffset + header.dataLength
        guard member.uncompressedSize == declared else {
            throw .invalidMember(path: archivePath, member: member.name,
                                 reason: "\(member.uncompressedSize) bytes, longer than its header declares "
                                     + "(\(header.dataOffset) of npy header + \(header.dataLength) of data)")
        }
        return header
    }

    /// The npy header of a deflated member, inflating only as far as it reaches.
    private func readDeflatedHeader() throws(TensorFileError) -> NPYHeader {
        var prefix: [UInt8] = []
        var needed = 12
        do throws(ZIPDirectory.InflateFailure) {
            _ = try ZIPDirectory.inflate(compressed, chunkSize: Self.headerChunkSize, computeCRC: false) { piece in
                prefix.append(contentsOf: piece.prefix(member.uncompressedSize - prefix.count))
                needed = prefix.withUnsafeBytes { NPYHeader.bytesNeeded(toParse: $0) }
                return prefix.count < member.uncompressedSize && prefix.count < needed
            }
        } catch .truncated {
            headerBytesInflated = prefix.count
            throw .truncated(path: path, what: "the deflated npy header", needed: needed, available: prefix.count)
        } catch {
            throw .invalidHeader(path: path, reason: "the deflate stream is corrupt (after \(prefix.count) bytes of its npy header)")
        }
        headerBytesInflated = prefix.count
        return try prefix.withUnsafeBytes { raw in
            Result { () throws(TensorFileError) in
                try NPYHeader.parse(raw, totalLength: member.uncompressedSize, path: path, tensor: tensor)
            }
        }.get()
    }

    /// Inflates the member, which `readHeader` has found to be exactly its
    /// npy header and data, into a new buffer, and checks its CRC-32.
    private func inflateAll() throws(TensorFileError) -> UnsafeMutableRawBufferPointer {
        let size = member.uncompressedSize
        guard let base = malloc(max(1, size)) else {
            throw .cannotOpen(path: path, reason: "cannot allocate \(size) bytes to inflate it")
        }
        var written = 0
        var longer = false
        var produced = 0
        let crc: UInt32?
        do throws(ZIPDirectory.InflateFailure) {
            crc = try ZIPDirectory.inflate(compressed, chunkSize: Self.chunkSize, computeCRC: true) { piece in
                produced += piece.count
                guard piece.count <= size - written else {
                    longer = true
                    return false
                }
                if let source = piece.baseAddress, piece.count > 0 {
                    (base + written).copyMemory(from: source, byteCount: piece.count)
                }
                written += piece.count
                return true
            }
        } catch {
            bytesInflated = produced
            free(base)
            if error == .truncated {
                throw .truncated(path: path, what: "the deflated member", needed: size, available: written)
            }
            throw .invalidHeader(path: path, reason: "the deflate stream is corrupt after \(written) bytes")
        }
        bytesInflated = produced
        guard !longer else {
            free(base)
            throw .invalidMember(path: archivePath, member: member.name,
                                 reason: "inflates past \(size) bytes, longer than its header declares")
        }
        guard let crc, written == size else {
            free(base)
            throw .truncated(path: path, what: "the deflated member", needed: size, available: written)
        }
        guard crc == member.crc32 else {
            free(base)
            throw .invalidHeader(path: path, reason: String(format: "CRC-32 0x%08x does not match the directory's 0x%08x", crc, member.crc32))
        }
        return UnsafeMutableRawBufferPointer(start: base, count: size)
    }
}
