import Foundation

/// The address ranges of every live `MappedFile` and the file each one
/// maps, readable from a signal handler.
///
/// When another process truncates a mapped file, touching a page past the
/// new end raises SIGBUS at an address inside the mapping. A handler (the
/// CLI installs one) looks that address up here to say which file changed,
/// instead of the process dying from the signal.
///
/// This is process-wide state on purpose: a signal handler can reach nothing
/// else. Writers (`register`, `unregister`) take a lock; `lookup` takes none
/// and allocates nothing, so it is async-signal-safe. A slot is filled
/// before its start address is published and emptied start first, and every
/// field is one aligned machine word.
public enum MappingRegistry {
    /// One mapping: `[start, end)`, and its path's bytes (sanitized, capped).
    struct Slot {
        var start: UInt = 0
        var end: UInt = 0
        var text: UnsafeMutablePointer<UInt8>?
        var length = 0
    }

    /// More mappings than this at once (shards of one model) go unlisted:
    /// a SIGBUS in one of them then ends the process as it would without us.
    static let capacity = 4096

    nonisolated(unsafe) static let slots: UnsafeMutablePointer<Slot> = {
        let table = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
        table.initialize(repeating: Slot(), count: capacity)
        return table
    }()
    static let lock = NSLock()

    /// Makes sure the table exists, so that a handler never runs its lazy initializer.
    public static func prepare() { _ = slots }

    /// Lists `[start, start + count)` as the mapping of `path`.
    static func register(start: UnsafeMutableRawPointer, count: Int, path: String) {
        let shown = Array(DisplayText.brief(path).utf8)
        let text = UnsafeMutablePointer<UInt8>.allocate(capacity: max(shown.count, 1))
        text.initialize(from: shown, count: shown.count)
        lock.lock()
        defer { lock.unlock() }
        guard let free = (0..<capacity).first(where: { slots[$0].start == 0 }) else {
            text.deallocate()
            return
        }
        slots[free].text = text
        slots[free].length = shown.count
        slots[free].end = UInt(bitPattern: start) + UInt(count)
        slots[free].start = UInt(bitPattern: start)
    }

    /// Removes the mapping that begins at `start`.
    static func unregister(start: UnsafeMutableRawPointer) {
        lock.lock()
        defer { lock.unlock() }
        let address = UInt(bitPattern: start)
        guard let slot = (0..<capacity).first(where: { slots[$0].start == address }) else { return }
        slots[slot].start = 0
        slots[slot].text?.deallocate()
        slots[slot].text = nil
        slots[slot].length = 0
    }

    /// The path (as UTF-8 bytes) of the mapping that holds `address`, or nil.
    /// Async-signal-safe: no lock, no allocation.
    public static func path(containing address: UInt) -> UnsafeBufferPointer<UInt8>? {
        for i in 0..<capacity {
            let slot = slots[i]
            if slot.start != 0 && address >= slot.start && address < slot.end, let text = slot.text {
                return UnsafeBufferPointer(start: text, count: slot.length)
            }
        }
        return nil
    }

    /// The path of the only live mapping, or nil when there are none or
    /// several. Async-signal-safe. For a SIGBUS that a chained handler
    /// re-raised, which no longer carries the faulting address.
    public static func onlyPath() -> UnsafeBufferPointer<UInt8>? {
        var found: UnsafeBufferPointer<UInt8>?
        for i in 0..<capacity {
            let slot = slots[i]
            guard slot.start != 0, let text = slot.text else { continue }
            if found != nil { return nil }
            found = UnsafeBufferPointer(start: text, count: slot.length)
        }
        return found
    }
}
