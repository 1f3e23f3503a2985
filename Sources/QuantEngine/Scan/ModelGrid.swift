import Foundation

/// A model's weights laid out as layers × tensor roles, the explorer's Model
/// view heat map (docs/contract.md §11): `blk.3.attn_q.weight` and
/// `model.layers.3.self_attn.q_proj.weight` both sit in row 3, column `q`.
/// Hugging Face names go through `TensorNameMap` first, so a Llama reads
/// the same from safetensors and GGUF; names no rule covers fall back to
/// "first numeric component is the layer, the rest is the role". Weights
/// outside the layers (embeddings, the output head) make one row of their own.
public struct ModelGrid: Sendable, Equatable {
    /// One weight: where it sits, and which tensor of the file it is.
    public struct Cell: Sendable, Equatable {
        public var row: Int
        public var column: Int
        public var tensor: Int
        public var name: String
    }

    /// Row labels: `other` for the weights outside the layers, then the layer numbers.
    public private(set) var rows: [String] = []
    /// Column labels: short role names (`q`, `k`, `v`, `o`, `gate`, `up`, `down`, `embed`…).
    public private(set) var columns: [String] = []
    public private(set) var cells: [Cell] = []
    private var index: [Int: Int] = [:]

    /// The order roles take across the grid; roles not listed follow in order of appearance.
    static let roleOrder = ["embed", "pos", "types", "q", "k", "v", "qkv", "o", "gate", "up", "gate_up", "down", "output"]

    /// Short labels of llama.cpp's role names.
    static let shortRoles = [
        "token_embd": "embed", "position_embd": "pos", "token_types": "types", "attn_q": "q", "attn_k": "k", "attn_v": "v",
        "attn_qkv": "qkv", "attn_output": "o", "ffn_gate": "gate", "ffn_up": "up", "ffn_gate_up": "gate_up",
        "ffn_down": "down", "output": "output",
    ]

    /// Lays out `weights` (tensor index in the file, name).
    public init(weights: [(tensor: Int, name: String)], architecture: String? = nil) {
        var placed = [(layer: Int?, role: String, tensor: Int, name: String)]()
        for (tensor, name) in weights {
            let (layer, role) = ModelGrid.place(name, architecture: architecture)
            placed.append((layer, role, tensor, name))
        }
        let layers = Set(placed.compactMap(\.layer)).sorted()
        let hasOthers = placed.contains { $0.layer == nil }
        rows = (hasOthers ? ["other"] : []) + layers.map(String.init)
        var seen = [String]()
        for p in placed where !seen.contains(p.role) { seen.append(p.role) }
        columns = seen.enumerated().sorted { a, b in
            let ra = ModelGrid.roleOrder.firstIndex(of: a.element) ?? Int.max, rb = ModelGrid.roleOrder.firstIndex(of: b.element) ?? Int.max
            return (ra, a.offset) < (rb, b.offset)
        }.map(\.element)
        let rowOf = Dictionary(uniqueKeysWithValues: layers.enumerated().map { ($0.element, $0.offset + (hasOthers ? 1 : 0)) })
        let columnOf = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($0.element, $0.offset) })
        for p in placed {
            let row = p.layer.flatMap { rowOf[$0] } ?? 0, column = columnOf[p.role] ?? 0
            let key = row * columns.count + column
            // Two weights in one cell (one role spelled both ways in one file): the first is shown.
            guard index[key] == nil else { continue }
            index[key] = cells.count
            cells.append(Cell(row: row, column: column, tensor: p.tensor, name: p.name))
        }
    }

    /// The grid of a checkpoint's scanned weights (`ModelScan.weights`).
    public init(_ checkpoint: Checkpoint) {
        let position = Dictionary(checkpoint.tensors.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        self.init(weights: ModelScan.weights(of: checkpoint).compactMap { info in position[info.name].map { ($0, info.name) } },
                  architecture: checkpoint.architecture)
    }

    /// The weight at (row, column), if any.
    public func cell(row: Int, column: Int) -> Cell? {
        guard rows.indices.contains(row), columns.indices.contains(column) else { return nil }
        return index[row * columns.count + column].map { cells[$0] }
    }

    /// Where the file's tensor `tensor` sits, if it is in the grid.
    public func position(ofTensor tensor: Int) -> (row: Int, column: Int)? {
        cells.first { $0.tensor == tensor }.map { ($0.row, $0.column) }
    }

    /// The layer (nil outside the layers) and short role of a weight name.
    public static func place(_ name: String, architecture: String?) -> (layer: Int?, role: String) {
        let gguf = name.hasPrefix("blk.") ? name : (TensorNameMap.ggufName(forHuggingFace: name, architecture: architecture) ?? name)
        var module = gguf
        if module.hasSuffix(".weight") { module = String(module.dropLast(7)) }
        let parts = module.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if let i = parts.firstIndex(where: { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
           i + 1 < parts.count, let layer = Int(parts[i]) {
            let role = parts[(i + 1)...].joined(separator: ".")
            return (layer, shortRoles[role] ?? role)
        }
        return (nil, shortRoles[module] ?? module)
    }
}
