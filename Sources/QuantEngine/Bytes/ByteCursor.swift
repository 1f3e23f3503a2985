/// Reads little-endian values from untrusted bytes, checking every read
/// against what remains: a lying length becomes a `TensorFileError`, never a
/// trap or an out-of-bounds read.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    let path: String
    private(set) var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, path: String, offset: Int = 0) {
        self.bytes = bytes
        self.path = path
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    /// Checks that `count` more bytes exist for `what`.
    func require(_ count: Int, _ what: @autoclosure () -> String) throws(TensorFileError) {
        guard count >= 0 && count <= remaining else {
            throw .truncated(path: path, what: what(), needed: count, available: max(remaining, 0))
        }
    }

    mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws(TensorFileError) -> T {
        let size = MemoryLayout<T>.size
        try require(size, what())
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    mutating func readFloat(_ what: @autoclosure () -> String) throws(TensorFileError) -> Float {
        Float(bitPattern: try read(UInt32.self, what()))
    }

    mutating func readDouble(_ what: @autoclosure () -> String) throws(TensorFileError) -> Double {
        Double(bitPattern: try read(UInt64.self, what()))
    }

    /// A count stored as u64, checked to fit Int and to need no more than the
    /// bytes left when each item takes at least `minimumItemSize` bytes.
    mutating func readCount(_ what: @autoclosure () -> String, minimumItemSize: Int) throws(TensorFileError) -> Int {
        let raw = try read(UInt64.self, what())
        let limit = remaining / max(minimumItemSize, 1)
        guard raw <= UInt64(limit) else {
            throw .invalidHeader(path: path, reason: "\(what()) is \(raw), but only \(remaining) bytes remain")
        }
        return Int(raw)
    }

    /// Raw bytes of a checked length.
    mutating func readBytes(_ count: Int, _ what: @autoclosure () -> String) throws(TensorFileError) -> UnsafeRawBufferPointer {
        try require(count, what())
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return slice
    }

    mutating func skip(_ count: Int, _ what: @autoclosure () -> String) throws(TensorFileError) {
        try require(count, what())
        offset += count
    }
}
