import Dispatch
import Foundation

/// Splits index ranges over the machine's cores.
///
/// Kernels hand it a count and a minimum chunk; each worker gets one
/// contiguous range, so a worker's output never shares a cache line with
/// another's except at the seams.
public enum Parallel {
    /// The number of workers used: the active processor count, at least 1.
    /// Read once: asking Foundation costs ~16 µs, more than a small kernel.
    public static let workerCount: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Runs `body` over `0..<count` split into at most `workerCount` ranges
    /// of at least `minimumChunk` items; returns the per-range results in order.
    public static func map<T>(count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> T) -> [T] {
        guard count > 0 else { return [] }
        let workers = min(workerCount, max(1, count / max(1, minimumChunk)))
        if workers == 1 { return [body(0..<count)] }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: workers)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let slots = UnsafeSendable(results)
        withoutActuallyEscaping(body) { body in
            let work = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let lower = count * w / workers, upper = count * (w + 1) / workers
                slots.value[w] = work.value(lower..<upper)
            }
        }
        return results.map { $0! }
    }

    /// Runs `body` over `0..<count` split across the cores, with no result.
    public static func forEach(count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        _ = map(count: count, minimumChunk: minimumChunk, body)
    }
}

/// Carries a non-Sendable value (a buffer pointer, a closure) into workers
/// that touch disjoint parts of it.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
