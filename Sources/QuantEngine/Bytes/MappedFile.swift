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
/// write to the input. Every mapping is listed in `MappingRegistry`, so that
/// a program's SIGBUS handler can name the file when another process
/// truncates it while it is mapped (docs/contract.md §7).
public final class MappedFile: @unchecked Sendable {
    public let path: String
    /// The whole file. Valid for the lifetime of this object.
    public let bytes: UnsafeRawBufferPointer
    private let mapping: UnsafeMutableRawPointer?

    /// Maps `path`.
    ///
    /// The file is opened with `O_NONBLOCK`, so that a FIFO or a device is
    /// refused by the regular-file check instead of blocking in `open`
    /// (a FIFO with no writer would wait forever).
    /// - Throws: `TensorFileError.cannotOpen` when the file cannot be opened,
    ///   is not a regular file (a directory, FIFO, socket or device), or
    ///   cannot be mapped.
    public init(path: String) throws(TensorFileError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .cannotOpen(path: path, reason: "not a regular file (\(MappedFile.kind(info.st_mode)))")
        }
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
        MappingRegistry.register(start: address, count: size, path: path)
    }

    public var count: Int { bytes.count }

    /// The bytes in `range`, which the caller has checked lies inside the file.
    public func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count)
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    deinit {
        if let mapping {
            MappingRegistry.unregister(start: mapping)
            munmap(mapping, bytes.count)
        }
    }

    /// What a file that is not regular is, for the error message.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        default: return "not a plain file"
        }
    }
}
