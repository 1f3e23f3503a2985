import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing an output file without harming what its path names today.
///
/// The bytes go to a new file created beside the target (`O_EXCL`, so it
/// cannot be a link planted in advance), then `rename` puts it in place in
/// one step: a reader sees the old file or the new one, never half of one.
/// Between the check and the rename another process could put a symlink at
/// the path; `rename` then replaces the link itself, not what it points to.
enum OutputFile {
    /// Refuses a `path` that exists and is not a regular file (symlinks are
    /// not followed: a link is refused whatever it points to).
    static func checkReplaceable(_ path: String) throws(TensorFileError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFLNK: kind = "a symbolic link"
        case S_IFDIR: kind = "a directory"
        case S_IFIFO: kind = "a FIFO"
        case S_IFSOCK: kind = "a socket"
        case S_IFCHR: kind = "a character device"
        case S_IFBLK: kind = "a block device"
        default: kind = "not a regular file"
        }
        throw .cannotWrite(path: path, reason: "it is \(kind); refusing to replace it (name a new or a regular file)")
    }

    /// Writes `bytes` to a temporary file in `path`'s folder and renames it to `path`.
    static func put(_ bytes: [UInt8], at path: String) throws(TensorFileError) {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        var failure: String?
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var done = 0
            while done < raw.count {
                let n = write(fd, base + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                done += n
            }
        }
        if close(fd) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil && rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw .cannotWrite(path: path, reason: failure)
        }
    }
}
