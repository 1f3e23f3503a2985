import Synchronization

/// Lets a caller cancel long work and watch its progress from another
/// thread: the explorer hands one to each recompute, so a new keypress can
/// stop an outdated one and the status bar can show how far it got.
public final class WorkToken: Sendable {
    private let cancelled = Atomic<Bool>(false)
    private let done = Atomic<Int>(0)
    private let total = Atomic<Int>(0)

    public init() {}

    public func cancel() { cancelled.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Declares how many units of work there are (elements, usually).
    public func expect(_ units: Int) {
        total.store(units, ordering: .relaxed)
        done.store(0, ordering: .relaxed)
    }

    public func advance(_ units: Int) { done.add(units, ordering: .relaxed) }

    /// Fraction done in [0, 1] (0 when nothing was declared).
    public var fraction: Double {
        let t = total.load(ordering: .relaxed)
        return t > 0 ? min(1, Double(done.load(ordering: .relaxed)) / Double(t)) : 0
    }
}
