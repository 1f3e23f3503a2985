import QuantEngine

/// The Model and Sweep views' state (docs/contract.md §11): the heat map's
/// cursor and colouring, and every whole-model result computed so far, kept
/// per setting so switching back to a scheme shows its map at once.
public struct ModelViewState: Sendable {
    /// What the heat map's cells show.
    public enum Coloring: String, Sendable, CaseIterable {
        /// SQNR of each weight re-quantized under the current scheme.
        case sqnr
        /// What the file spends per weight (a GGUF mix, a pre-quantized checkpoint).
        case storedBits
        /// SQNR of each weight as stored against the `--against` original.
        case diff
    }

    /// One grid per open file (the Model view shows the open tensor's file).
    public var grids: [ModelGrid]
    public var file = 0
    /// The highlighted cell, and the first row and column shown.
    public var row = 0
    public var column = 0
    public var top = 0
    public var left = 0
    public var coloring: Coloring = .sqnr
    /// Scans by `ScanTable.key`, for the model's file.
    public var scans: [String: ScanTable] = [:]
    /// Sweeps of the tensors whose Sweep view was shown.
    public var sweeps: [TensorRef: SweepTable] = [:]
    /// The open file measured against `--against`, by the open file's tensor
    /// name; the weights with no counterpart, with why.
    public var diffResults: [String: CheckpointDiff.Result] = [:]
    public var diffSkipped: [String: String] = [:]
    public var diffComplete = false
    /// The tensor list's SQNR column (`e`).
    public var showsErrorColumn = false

    public init(grids: [ModelGrid]) {
        self.grids = grids
    }

    public var grid: ModelGrid { grids.indices.contains(file) ? grids[file] : ModelGrid(weights: []) }

    /// The weight under the heat map's cursor.
    public var selectedCell: ModelGrid.Cell? { grid.cell(row: row, column: column) }

    /// Moves the cursor: sideways to the next weight in the row (skipping
    /// empty cells), up or down to the weight nearest the column in the new
    /// row, so the embeddings' row is one key away from any layer.
    public mutating func move(rows dr: Int, columns dc: Int) {
        let g = grid
        guard !g.cells.isEmpty else { return }
        if dc != 0 {
            var c = column + dc
            while g.columns.indices.contains(c), g.cell(row: row, column: c) == nil { c += dc.signum() }
            if g.columns.indices.contains(c) { column = c }
        }
        let r = min(max(row + dr, 0), g.rows.count - 1)
        if dr != 0 || g.cell(row: r, column: column) == nil {
            let nearest = g.cells.filter { $0.row == r }.min { abs($0.column - column) < abs($1.column - column) }
            if let nearest { (row, column) = (r, nearest.column) }
        }
    }

    /// Puts the cursor on the file's tensor `tensor` when the grid holds it.
    public mutating func select(tensor: Int) {
        if let p = grid.position(ofTensor: tensor) { (row, column) = p }
    }

    /// Makes room for a job's results (a restarted sweep starts over: it runs every setting again).
    public mutating func begin(_ request: BackgroundRequest) {
        switch request {
        case .scan(let key, _, _, _): if scans[key] == nil { scans[key] = ScanTable(key: key) }
        case .sweep(let t): sweeps[t.ref] = SweepTable(total: SchemeSweep.settings(rank: t.shape.count).count)
        case .diff: break
        }
    }

    /// Files one streamed result.
    public mutating func add(_ piece: BackgroundPiece) {
        switch piece {
        case .scanned(let key, let tensor, let result, let skipped):
            if let result { scans[key, default: ScanTable(key: key)].results[tensor] = result }
            if let skipped { scans[key, default: ScanTable(key: key)].skipped[tensor] = skipped }
        case .swept(let ref, let result, let skipped):
            guard sweeps[ref] != nil else { return }
            if let result { sweeps[ref]?.points.append(result) }
            if let skipped { sweeps[ref]?.skipped.append(skipped) }
        case .diffed(let tensor, let result, let skipped):
            if let result { diffResults[tensor] = result }
            if let skipped { diffSkipped[tensor] = skipped }
        }
    }

    /// Keeps the cursor within `rows` × `columns` visible cells.
    public mutating func scroll(rows visibleRows: Int, columns visibleColumns: Int) {
        if visibleRows > 0 {
            if row < top { top = row }
            if row >= top + visibleRows { top = row - visibleRows + 1 }
            top = max(0, min(top, max(0, grid.rows.count - visibleRows)))
        }
        if visibleColumns > 0 {
            if column < left { left = column }
            if column >= left + visibleColumns { left = column - visibleColumns + 1 }
            left = max(0, min(left, max(0, grid.columns.count - visibleColumns)))
        }
    }
}
