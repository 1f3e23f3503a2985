import QuantEngine

/// The tensor browser: every open file's tensors grouped by layer prefix,
/// a name filter, and the highlighted row.
public struct BrowserState: Sendable, Equatable {
    /// One line of the browser.
    public enum Row: Sendable, Equatable {
        case file(index: Int, name: String)
        case group(name: String)
        case tensor(ref: TensorRef, label: String, dtype: String, shape: [Int], decodable: Bool)

        public var ref: TensorRef? { if case .tensor(let r, _, _, _, _) = self { return r } else { return nil } }
    }

    public var rows: [Row] = []
    /// The highlighted row (always a tensor row when there is one).
    public var selected = 0
    /// The first row shown (scrolling).
    public var top = 0
    public var filter = ""
    /// True while `/` is taking typed text.
    public var editingFilter = false

    public init() {}

    /// Rebuilds the rows for `files`, keeping `keep` highlighted if it is still listed.
    public mutating func rebuild(files: [OpenFile], keep: TensorRef?) {
        let needle = filter.lowercased()
        var rows: [Row] = []
        for (f, file) in files.enumerated() {
            let matching = file.checkpoint.tensors.enumerated().filter { needle.isEmpty || $0.element.name.lowercased().contains(needle) }
            if matching.isEmpty { continue }
            if files.count > 1 { rows.append(.file(index: f, name: DisplayText.sanitized(file.name))) }
            var currentGroup: String?
            for (t, info) in matching {
                // Names come from the file: shown with control characters spelled out.
                let (group, label) = BrowserState.split(DisplayText.sanitized(info.name))
                if group != currentGroup {
                    currentGroup = group
                    if !group.isEmpty { rows.append(.group(name: group)) }
                }
                rows.append(.tensor(ref: TensorRef(file: f, tensor: t), label: label,
                                    dtype: DisplayText.sanitized(info.dtype), shape: info.shape, decodable: info.isDecodable))
            }
        }
        self.rows = rows
        if let keep, let i = rows.firstIndex(where: { $0.ref == keep }) {
            selected = i
        } else {
            // Start on the tensor `FirstTensor` picks among those listed.
            let listed = rows.compactMap(\.ref).map { (ref: $0, info: files[$0.file].checkpoint.tensors[$0.tensor]) }
            let first = FirstTensor.choose(listed)
            selected = rows.firstIndex { first != nil && $0.ref == first } ?? rows.firstIndex { $0.ref != nil } ?? 0
        }
    }

    /// Splits a tensor name into its layer prefix (through the first numeric
    /// component: `encoder.layer.0`, `blk.3`) and the rest.
    public static func split(_ name: String) -> (group: String, label: String) {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        if let i = parts.firstIndex(where: { !$0.isEmpty && $0.allSatisfy(\.isNumber) }), i + 1 < parts.count {
            return (parts[0...i].joined(separator: "."), parts[(i + 1)...].joined(separator: "."))
        }
        return ("", name)
    }

    public var selectedRef: TensorRef? { rows.indices.contains(selected) ? rows[selected].ref : nil }

    /// Moves the highlight by `delta` tensor rows (skipping headers), clamped.
    public mutating func move(by delta: Int) {
        let tensorRows = rows.indices.filter { rows[$0].ref != nil }
        guard !tensorRows.isEmpty else { return }
        let position = tensorRows.firstIndex { $0 >= selected } ?? 0
        selected = tensorRows[min(max(position + delta, 0), tensorRows.count - 1)]
    }

    public mutating func moveToEnd(_ last: Bool) {
        let tensorRows = rows.indices.filter { rows[$0].ref != nil }
        if let target = last ? tensorRows.last : tensorRows.first { selected = target }
    }

    /// Keeps the highlight within `visible` rows of the top.
    public mutating func scroll(visible: Int) {
        guard visible > 0 else { return }
        if selected < top { top = selected }
        if selected >= top + visible { top = selected - visible + 1 }
        top = max(0, min(top, max(0, rows.count - visible)))
        // Show the group header of the first row when it is just above.
        if top > 0, selected - top < visible - 1, case .group = rows[top - 1] { top -= 1 }
    }
}
