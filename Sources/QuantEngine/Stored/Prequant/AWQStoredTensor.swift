/// An AutoAWQ GEMM linear weight as stored: `qweight` I32 [in, out/8],
/// `qzeros` I32 [in/G, out/8], `scales` [in/G, out] — transposed against
/// GPTQ, packed along **out**, nibble p of each word holding output column
/// 8·(column / 8) + order[p] with order = 0, 2, 4, 6, 1, 3, 5, 7; zeros
/// stored as they are: w = scale·(q − zero) (docs/contract.md §8).
struct AWQStoredTensor: ElementwiseStored {
    /// AWQ's nibble order: nibble p holds column offset `order[p]`.
    static let order = [0, 2, 4, 6, 1, 3, 5, 7]
    /// Which nibble holds column offset k: the inverse of `order`.
    static let slot = [0, 4, 1, 5, 2, 6, 3, 7]

    let source: PrequantSource
    let name: String
    let module: String
    let rows: Int
    let columns: Int
    let groups: Int
    let groupLength: Int
    let qweight: PackedWords
    let qzeros: PackedWords
    /// Read by `loaded()`: opening a checkpoint reads no scales.
    private(set) var scales: [Float] = []
    let scalesInfo: TensorInfo

    init(module: String, source: PrequantSource, config: QuantizationConfig?) throws(TensorFileError) {
        self.source = source
        self.module = module
        self.name = module + ".weight"
        let qweightInfo = try source.info(module + ".qweight")
        let qzerosInfo = try source.info(module + ".qzeros")
        scalesInfo = try source.info(module + ".scales")
        if let bits = config?.bits, bits != 4 {
            throw source.fail(qweightInfo, "AWQ GEMM stores 4-bit codes; the config says \(bits) bits")
        }
        guard qweightInfo.shape.count == 2, scalesInfo.shape.count == 2 else {
            throw source.fail(qweightInfo, "AWQ qweight and scales must be 2-D, found \(qweightInfo.shape) and \(scalesInfo.shape)")
        }
        columns = qweightInfo.shape[0]
        rows = scalesInfo.shape[1]
        groups = scalesInfo.shape[0]
        guard groups >= 1, columns % groups == 0, rows % 8 == 0, qweightInfo.shape[1] == rows / 8 else {
            throw source.fail(qweightInfo, "shape \(qweightInfo.shape) does not fit scales \(scalesInfo.shape) (AWQ GEMM: qweight [in, out/8], scales [in/G, out])")
        }
        guard qzerosInfo.shape == [groups, rows / 8] else {
            throw source.fail(qzerosInfo, "shape \(qzerosInfo.shape), expected [\(groups), \(rows / 8)]")
        }
        groupLength = columns / groups
        qweight = try PackedWords(qweightInfo, bits: 4, source: source)
        qzeros = try PackedWords(qzerosInfo, bits: 4, source: source)
    }

    func loaded() throws(TensorFileError) -> Self {
        var copy = self
        copy.scales = try source.floats(scalesInfo)
        return copy
    }

    var codeBits: Int? { 4 }
    var symmetric: Bool? { false }
    var groupSize: Int? { groupLength }

    var formatName: String { "awq int4 g\(groupLength)" }
    var shape: [Int] { [rows, columns] }
    var blockCount: Int { rows * groups }
    var blockElements: Int { groupLength }
    var sideTensors: [String] { [module + ".qweight", module + ".qzeros", module + ".scales"] }
    var formula: String { "w = scale·(q − zero)" }

    func blockIndex(ofElement element: Int) -> Int { (element / columns) * groups + (element % columns) / groupLength }

    func elements(ofBlock index: Int) -> [Int] {
        let row = index / groups, start = (index % groups) * groupLength
        return (0..<groupLength).map { row * columns + start + $0 }
    }

    func zero(_ row: Int, _ group: Int) -> Int { qzeros.code(group, row / 8, slot: Self.slot[row % 8]) }

    func code(ofElement element: Int) -> Int {
        let row = element / columns
        return qweight.code(element % columns, row / 8, slot: Self.slot[row % 8])
    }

    func value(ofElement element: Int) -> Float {
        let row = element / columns, group = (element % columns) / groupLength
        return scales[group * rows + row] * Float(code(ofElement: element) - zero(row, group))
    }

    func params(ofBlock index: Int) -> [JSONValue.Member] {
        let row = index / groups, group = index % groups
        return [.init("row", .integer(Int64(row))), .init("group", .integer(Int64(group))),
                .init("scale", .float(scales[group * rows + row])), .init("zero", .integer(Int64(zero(row, group)))),
                .init("nibble", .integer(Int64(Self.slot[row % 8])))]
    }

    func levels(ofBlock index: Int) -> [Float] {
        let row = index / groups, group = index % groups
        let scale = scales[group * rows + row], z = zero(row, group)
        return Self.finiteSorted((0..<16).map { scale * Float($0 - z) })
    }

    func raw(ofBlock index: Int, elements: [Int]) -> [StoredBytes] {
        let row = index / groups, group = index % groups
        let scaleWidth = scalesInfo.storage.elementSize ?? 2
        return elements.prefix(8).map { qweight.raw($0 % columns, row / 8, source: source) }
            + [qzeros.raw(group, row / 8, source: source),
               source.rawBytes(scalesInfo, label: "\(scalesInfo.storage) scales[\(group), \(row)]",
                               start: scaleWidth * (group * rows + row), count: scaleWidth)]
    }
}

extension AWQStoredTensor {
    func worked(_ block: StoredBlock, at position: Int) -> String {
        guard block.codes.indices.contains(position) else { return formula }
        let s = storedNumber(block.number("scale") ?? 0), z = Int(block.number("zero") ?? 0)
        return "w = scale·(q − zero) = \(s)·(\(block.codes[position]) − \(z)) = \(storedNumber(block.values[position]))"
    }
}

extension AWQStoredTensor {
    func codeLocation(_ block: StoredBlock, at position: Int) -> String {
        guard block.elements.indices.contains(position) else { return "" }
        let e = block.elements[position], row = e / columns, slot = Self.slot[row % 8]
        return "qweight[\(e % columns), \(row / 8)] bits \(4 * slot)…\(4 * slot + 3) (nibble \(slot): AWQ's order 0 2 4 6 1 3 5 7)"
    }
}
