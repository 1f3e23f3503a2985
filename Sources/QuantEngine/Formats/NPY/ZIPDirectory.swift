import Foundation
import ZIPFoundation

/// The members of a zip archive mapped into memory, read from its central
/// directory, and the inflating of one member's bytes.
///
/// ```
///  [local header 1][data 1] … [local header n][data n][central directory][(zip64 EOCD, locator)][EOCD]
///   PK\3\4 …30 bytes, name, extra                      PK\1\2 ×n          PK\6\6     PK\6\7     PK\5\6
/// ```
/// See APPNOTE.TXT (https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT).
/// Read here rather than through `ZIPFoundation.Archive`, which scans for the
/// end record byte by byte over the whole file, converts hostile 64-bit
/// offsets with trapping casts, and whose Linux inflate loop hands zlib more
/// input than it read (and spins) when a deflate stream runs into the end of
/// the file. ZIPFoundation's `Data.decompress` (zlib on Linux, Compression on
/// Apple platforms) still does the inflating, fed by a provider that only
/// ever returns whole, bounds-checked chunks of this member's bytes.
///
/// Checked like Python's `zipfile`: the end record within the last 64 KiB +
/// 22 bytes; ZIP64 sizes and offsets; one disk only; the local header's
/// name equal to the central directory's. Stricter: every offset and size
/// must lie inside the file, and the members read must not overlap each other
/// or the central directory. Not supported: archives with data prepended
/// (self-extractors), which `zipfile` tolerates.
struct ZIPDirectory {
    struct Member {
        /// The name, UTF-8 when flag bit 11 is set and code page 437 otherwise.
        var name: String
        var nameBytes: [UInt8]
        var flags: UInt16
        /// 0 stored, 8 deflated.
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int

        var isEncrypted: Bool { flags & 1 != 0 }
        /// The name as error messages show it.
        var displayName: String { DisplayText.brief(name) }
    }

    /// The archive's members, in central directory order.
    var members: [Member]
    /// Where the central directory starts: member data must end before it.
    var directoryOffset: Int

    /// The largest comment an end record can carry.
    static let maxCommentLength = 0xFFFF

    /// Reads the central directory of `bytes`.
    /// - Throws: `TensorFileError.invalidHeader` when `bytes` is not a zip
    ///   archive or its directory is malformed, `.truncated` when a record
    ///   runs past the end.
    init(_ bytes: UnsafeRawBufferPointer, path: String) throws(TensorFileError) {
        guard bytes.count >= 22 else {
            throw .invalidHeader(path: path, reason: "not a zip archive: \(bytes.count) bytes is too short for one")
        }
        let lowest = max(0, bytes.count - 22 - Self.maxCommentLength)
        guard let end = stride(from: bytes.count - 22, through: lowest, by: -1).first(where: {
            UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0, as: UInt32.self)) == 0x0605_4B50
        }) else {
            throw .invalidHeader(path: path, reason: "not a zip archive: no end-of-central-directory record")
        }
        var record = ByteCursor(bytes, path: path, offset: end + 4)
        var disk = UInt32(try record.read(UInt16.self, "the end record"))
        var directoryDisk = UInt32(try record.read(UInt16.self, "the end record"))
        try record.skip(2, "the end record")
        var count = UInt64(try record.read(UInt16.self, "the end record"))
        var size = UInt64(try record.read(UInt32.self, "the end record"))
        var offset = UInt64(try record.read(UInt32.self, "the end record"))
        var directoryLimit = end
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            // ZIP64: a locator just before the end record points at the ZIP64 end record.
            var locator = ByteCursor(bytes, path: path, offset: end - 20)
            guard end >= 20, try locator.read(UInt32.self, "the ZIP64 locator") == 0x0706_4B50 else {
                throw .invalidHeader(path: path, reason: "the end record needs a ZIP64 locator and there is none")
            }
            try locator.skip(4, "the ZIP64 locator")
            let at = try Self.checked(try locator.read(UInt64.self, "the ZIP64 locator"), "the ZIP64 end record",
                                      limit: end - 20 - 56, path: path)
            var zip64 = ByteCursor(bytes, path: path, offset: at)
            guard try zip64.read(UInt32.self, "the ZIP64 end record") == 0x0606_4B50 else {
                throw .invalidHeader(path: path, reason: "no ZIP64 end record at offset \(at)")
            }
            try zip64.skip(12, "the ZIP64 end record")
            disk = try zip64.read(UInt32.self, "the ZIP64 end record")
            directoryDisk = try zip64.read(UInt32.self, "the ZIP64 end record")
            try zip64.skip(8, "the ZIP64 end record")
            count = try zip64.read(UInt64.self, "the ZIP64 end record")
            size = try zip64.read(UInt64.self, "the ZIP64 end record")
            offset = try zip64.read(UInt64.self, "the ZIP64 end record")
            directoryLimit = at
        }
        guard disk == 0, directoryDisk == 0 else {
            throw .invalidHeader(path: path, reason: "multi-disk zip archives are not supported")
        }
        let start = try Self.checked(offset, "the central directory", limit: directoryLimit, path: path)
        let length = try Self.checked(size, "the central directory's size", limit: directoryLimit - start, path: path)
        directoryOffset = start
        members = []
        // Each entry takes at least 46 bytes, so a lying count runs out of directory.
        var entry = ByteCursor(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]), path: path)
        var index: UInt64 = 0
        while index < count {
            let what = "central directory entry \(index) of \(count)"
            guard try entry.read(UInt32.self, what) == 0x0201_4B50 else {
                throw .invalidHeader(path: path, reason: "\(what) is damaged (no PK\\1\\2 signature)")
            }
            try entry.skip(4, what)
            let flags = try entry.read(UInt16.self, what)
            let method = try entry.read(UInt16.self, what)
            try entry.skip(4, what)
            let crc32 = try entry.read(UInt32.self, what)
            var compressed = UInt64(try entry.read(UInt32.self, what))
            var uncompressed = UInt64(try entry.read(UInt32.self, what))
            let nameLength = Int(try entry.read(UInt16.self, what))
            let extraLength = Int(try entry.read(UInt16.self, what))
            let commentLength = Int(try entry.read(UInt16.self, what))
            try entry.skip(8, what)
            var local = UInt64(try entry.read(UInt32.self, what))
            let nameBytes = Array(try entry.readBytes(nameLength, what + "'s name"))
            let extra = try entry.readBytes(extraLength, what + "'s extra field")
            try entry.skip(commentLength, what + "'s comment")
            guard let decoded = Self.decodeName(nameBytes, utf8: flags & 0x0800 != 0) else {
                throw .invalidHeader(path: path, reason: "\(what) has a name that is not UTF-8")
            }
            let name = DisplayText.brief(decoded)
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
                var fields = try Self.zip64Fields(extra, path: path)[...]
                for field in [0, 1, 2] {
                    let value = [uncompressed, compressed, local][field]
                    guard value == 0xFFFF_FFFF else { continue }
                    guard let wide = fields.popFirst() else {
                        throw .invalidHeader(path: path, reason: "member '\(name)' lacks its ZIP64 sizes")
                    }
                    switch field {
                    case 0: uncompressed = wide
                    case 1: compressed = wide
                    default: local = wide
                    }
                }
            }
            members.append(Member(
                name: decoded, nameBytes: nameBytes, flags: flags, method: method, crc32: crc32,
                compressedSize: try Self.checked(compressed, "the size of member '\(name)'", limit: start, path: path),
                uncompressedSize: try Self.checked(uncompressed, "the size of member '\(name)'", limit: .max, path: path),
                localHeaderOffset: try Self.checked(local, "the local header of '\(name)'", limit: start, path: path)))
            index += 1
        }
    }

    /// The range of `member`'s stored (possibly compressed) bytes, from its
    /// local header, which must name the member and end before the directory.
    func dataRange(of member: Member, in bytes: UnsafeRawBufferPointer, path: String) throws(TensorFileError) -> Range<Int> {
        let header = member.localHeaderOffset
        var local = ByteCursor(UnsafeRawBufferPointer(rebasing: bytes[..<directoryOffset]), path: path, offset: header)
        let what = "the local header of '\(member.displayName)'"
        guard try local.read(UInt32.self, what) == 0x0403_4B50 else {
            throw .badOffsets(path: path, tensor: member.displayName, reason: "no local file header at offset \(header)")
        }
        try local.skip(22, what)
        let nameLength = Int(try local.read(UInt16.self, what))
        let extraLength = Int(try local.read(UInt16.self, what))
        guard try local.readBytes(nameLength, what).elementsEqual(member.nameBytes) else {
            throw .invalidHeader(path: path, reason: "the local header at \(header) names a different member than '\(member.displayName)'")
        }
        try local.skip(extraLength, what)
        let dataStart = local.offset
        guard member.compressedSize <= local.remaining else {
            throw .badOffsets(path: path, tensor: member.displayName,
                              reason: "its \(member.compressedSize) bytes at offset \(dataStart) run into the central directory at \(directoryOffset)")
        }
        return dataStart..<(dataStart + member.compressedSize)
    }

    /// A 64-bit offset or size from the archive, which must be at most `limit`.
    private static func checked(_ value: UInt64, _ what: String, limit: Int, path: String) throws(TensorFileError) -> Int {
        guard let int = Int(exactly: value), limit >= 0, int <= limit else {
            throw .invalidHeader(path: path, reason: "\(what): \(value) lies outside the archive (at most \(max(0, limit)))")
        }
        return int
    }

    /// The ZIP64 extended-information values (extra field 0x0001), in order.
    private static func zip64Fields(_ extra: UnsafeRawBufferPointer, path: String) throws(TensorFileError) -> [UInt64] {
        var cursor = ByteCursor(extra, path: path)
        while cursor.remaining >= 4 {
            let id = try cursor.read(UInt16.self, "an extra field")
            let size = Int(try cursor.read(UInt16.self, "an extra field"))
            var field = ByteCursor(try cursor.readBytes(size, "an extra field"), path: path)
            guard id == 1 else { continue }
            var values: [UInt64] = []
            while field.remaining >= 8 { values.append(try field.read(UInt64.self, "the ZIP64 extra field")) }
            return values
        }
        return []
    }

    /// Code page 437, bytes 0x80…0xFF (0x00…0x7F are ASCII).
    private static let codePage437High = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}"
            .unicodeScalars)

    private static func decodeName(_ bytes: [UInt8], utf8: Bool) -> String? {
        if utf8 { return String(validating: bytes, as: UTF8.self) }
        var view = String.UnicodeScalarView()
        for byte in bytes { view.append(byte < 0x80 ? Unicode.Scalar(byte) : codePage437High[Int(byte - 0x80)]) }
        return String(view)
    }
}

extension ZIPDirectory {
    /// What stopped an inflate early.
    enum InflateFailure: Error {
        /// The deflate stream did not end within the member's compressed bytes.
        case truncated
        /// zlib rejected the stream.
        case corrupt
    }

    /// Inflates a raw deflate stream, handing each piece of output to
    /// `consume` until it returns false or the stream ends.
    /// - Parameters:
    ///   - compressed: the member's compressed bytes, and nothing after them.
    ///   - chunkSize: bytes of input per read and of output per piece.
    ///   - computeCRC: whether to return the CRC-32 of the output.
    ///   - consume: takes each piece; returns false to stop.
    /// - Returns: the CRC-32 of the whole output when the stream ended, nil when `consume` stopped it.
    /// - Throws: `InflateFailure`.
    ///
    /// zlib is handed whole chunks, the last one zero-padded, because
    /// ZIPFoundation's Linux loop tells it every chunk is `chunkSize` long.
    /// A stream cut short may therefore read padding as data and come out as
    /// `.corrupt`, or end with the wrong length or CRC, rather than as
    /// `.truncated`: an error either way once the caller checks both.
    static func inflate(_ compressed: UnsafeRawBufferPointer, chunkSize: Int, computeCRC: Bool,
                        _ consume: (UnsafeRawBufferPointer) -> Bool) throws(InflateFailure) -> UInt32? {
        struct Stop: Error {}
        struct PastEnd: Error {}
        do {
            let crc = try Data.decompress(
                size: Int64(compressed.count), bufferSize: chunkSize, skipCRC32: !computeCRC,
                provider: { position, size in
                    // Exactly `size` bytes, zero-padded past the member's end: zlib is
                    // told the chunk is that long. Asked again after the end, the
                    // stream has run out.
                    guard size > 0 else { return Data() }
                    guard position >= 0, position < Int64(compressed.count) else { throw PastEnd() }
                    let start = Int(position)
                    let real = min(size, compressed.count - start)
                    var chunk = Data(count: size)
                    chunk.withUnsafeMutableBytes { out in
                        out.copyMemory(from: UnsafeRawBufferPointer(rebasing: compressed[start..<(start + real)]))
                    }
                    return chunk
                },
                consumer: { piece in
                    let more = piece.withUnsafeBytes { consume($0) }
                    if !more { throw Stop() }
                })
            return crc
        } catch is Stop {
            return nil
        } catch is PastEnd {
            throw .truncated
        } catch {
            throw .corrupt
        }
    }
}
