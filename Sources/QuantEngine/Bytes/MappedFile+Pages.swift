#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MappedFile {
    /// Hands the pages of `range` back to the kernel once a reader has
    /// decoded them: a mapped file's pages count in the resident size while
    /// they stay cached, so a 94 MB Q4_K tensor decoded to 640 MB of Float32
    /// would otherwise cost both. The mapping is private and never written,
    /// so the pages hold nothing but the file: reading them again faults
    /// them back in from the file. Whole pages only (those partly outside
    /// `range` are kept).
    public func releasePages(_ range: Range<Int>) {
        guard let base = bytes.baseAddress, range.lowerBound >= 0, range.upperBound <= bytes.count else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0 else { return }
        let start = (range.lowerBound + page - 1) / page * page, end = range.upperBound / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, Int32(MADV_DONTNEED))
    }
}
