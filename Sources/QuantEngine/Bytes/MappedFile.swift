import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory: opening it costs a few system calls
/// whatever its size, and only the pages a reader touches are ever read.
///
/// The mapping is private and read-only, so nothing done through it can
/// write to the input.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    /// The whole file. Valid for the lifetime of this object.
    public let bytes: UnsafeRawBufferPointer
    private let mapping: UnsafeMutableRawPointer?

    /// Maps `path`.
    /// - Throws: `TensorFileError.cannotOpen` when the file cannot be opened,
    ///   is a directory, or cannot be mapped.
    public init(path: String) throws(TensorFileError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .cannotOpen(path: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        if size == 0 {
            mapping = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw .cannotOpen(path: path, reason: "cannot map: " + String(cString: strerror(errno)))
        }
        mapping = address
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    public var count: Int { bytes.count }

    /// The bytes in `range`, which the caller has checked lies inside the file.
    public func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count)
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    deinit {
        if let mapping { munmap(mapping, bytes.count) }
    }
}
