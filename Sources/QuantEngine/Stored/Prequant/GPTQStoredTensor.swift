/// A GPTQ linear weight (AutoGPTQ / GPTQModel / optimum layout) as stored:
/// `qweight` I32 [in·bits/32, out] packed along **in**, `qzeros` I32
/// [groups, out·bits/32] packed along **out**, `scales` [groups, out], and
/// `g_idx` I32 [in] naming each input column's group (permuted under
/// `desc_act`). Zeros are stored minus one in the original format:
/// w = scale·(q − (zero + 1)) (docs/contract.md §8).
struct GPTQStoredTensor: ElementwiseStored {
    let source: PrequantSource
    let name: String
    let module: String
    let bits: Int
    let rows: Int
    let columns: Int
    let groups: Int
    let groupLength: Int
    let descAct: Bool
    let symmetric: Bool?
    /// 1 for the original format (zeros stored minus one), 0 for `gptq_v2`.
    let zeroOffset: Int
    let qweight: PackedWords
    let qzeros: PackedWords
    /// Read by `loaded()`: opening a checkpoint reads no scales.
    private(set) var scales: [Float] = []
    let scalesInfo: TensorInfo
    let groupOfColumn: [Int]
    let columnsOfGroup: [[Int]]

    init(module: String, source: PrequantSource, config: QuantizationConfig?) throws(TensorFileError) {
        self.source = source
        self.module = module
        self.name = module + ".weight"
        let qweightInfo = try source.info(module + ".qweight")
        let qzerosInfo = try source.info(module + ".qzeros")
        scalesInfo = try source.info(module + ".scales")
        let gIdxInfo = source.infos[module + ".g_idx"]
        guard qweightInfo.shape.count == 2, scalesInfo.shape.count == 2 else {
            throw source.fail(qweightInfo, "GPTQ qweight and scales must be 2-D, found \(qweightInfo.shape) and \(scalesInfo.shape)")
        }
        rows = scalesInfo.shape[1]
        groups = scalesInfo.shape[0]
        let gIdx = try gIdxInfo.map { info throws(TensorFileError) in try source.integers(info) }
        let packedRows = qweightInfo.shape[0]
        var bits = config?.bits ?? 4
        if let gIdx, config?.bits == nil, !gIdx.isEmpty, (packedRows * 32) % gIdx.count == 0 { bits = packedRows * 32 / gIdx.count }
        guard [2, 4, 8].contains(bits) else {
            throw source.fail(qweightInfo, "GPTQ \(bits)-bit packing is not supported (2, 4 and 8 bits are)")
        }
        self.bits = bits
        columns = gIdx?.count ?? packedRows * (32 / bits)
        guard qweightInfo.shape[1] == rows, packedRows == (columns * bits + 31) / 32, groups >= 1 else {
            throw source.fail(qweightInfo, "shape \(qweightInfo.shape) does not fit scales \(scalesInfo.shape) at \(bits) bits")
        }
        guard qzerosInfo.shape == [groups, (rows * bits + 31) / 32] else {
            throw source.fail(qzerosInfo, "shape \(qzerosInfo.shape), expected [\(groups), \((rows * bits + 31) / 32)] for \(rows) outputs at \(bits) bits")
        }
        qweight = try PackedWords(qweightInfo, bits: bits, source: source)
        qzeros = try PackedWords(qzerosInfo, bits: bits, source: source)
        let size = config?.groupSize.flatMap { $0 > 0 ? $0 : nil } ?? (columns + groups - 1) / groups
        groupLength = size
        let map = gIdx ?? (0..<columns).map { $0 / max(1, size) }
        let groupCount = scalesInfo.shape[0]
        if let bad = map.firstIndex(where: { $0 < 0 || $0 >= groupCount }) {
            throw source.fail(gIdxInfo ?? qweightInfo, "column \(bad) names group \(map[bad]), outside 0..<\(groupCount)")
        }
        groupOfColumn = map
        var members = [[Int]](repeating: [], count: groups)
        for (column, group) in map.enumerated() { members[group].append(column) }
        columnsOfGroup = members
        let permuted = gIdx.map { g in zip(g, g.dropFirst()).contains { pair in pair.0 > pair.1 } } ?? false
        descAct = config?.descAct ?? permuted
        symmetric = config?.symmetric
        zeroOffset = config?.checkpointFormat == "gptq_v2" ? 0 : 1
    }

    var codeBits: Int? { bits }
    var groupSize: Int? { groupLength }

    func loaded() throws(TensorFileError) -> Self {
        var copy = self
        copy.scales = try source.floats(scalesInfo)
        return copy
    }

    var formatName: String {
        var parts = ["gptq", "int\(bits)", groupLength >= columns ? "channel" : "g\(groupLength)"]
        if let symmetric { parts.append(symmetric ? "sym" : "asym") }
        if descAct { parts.append("act-order") }
        return parts.joined(separator: " ")
    }

    var shape: [Int] { [rows, columns] }
    var blockCount: Int { rows * groups }
    var blockElements: Int { groupLength }
    var sideTensors: [String] { [module + ".qweight", module + ".qzeros", module + ".scales"] + (source.has(module + ".g_idx") ? [module + ".g_idx"] : []) }
    var formula: String { zeroOffset == 1 ? "w = scale·(q − (zero + 1))" : "w = scale·(q − zero)" }

    func blockIndex(ofElement element: Int) -> Int { (element / columns) * groups + groupOfColumn[element % columns] }

    func elements(ofBlock index: Int) -> [Int] {
        let row = index / groups
        return columnsOfGroup[index % groups].map { row * columns + $0 }
    }

    func zero(_ row: Int, _ group: Int) -> Int { qzeros.code(group, row / qzeros.perWord, slot: row % qzeros.perWord) }

    func code(ofElement element: Int) -> Int {
        let column = element % columns
        return qweight.code(column / qweight.perWord, element / columns, slot: column % qweight.perWord)
    }

    func value(ofElement element: Int) -> Float {
        let row = element / columns, group = groupOfColumn[element % columns]
        return scales[group * rows + row] * Float(code(ofElement: element) - (zero(row, group) + zeroOffset))
    }

    func params(ofBlock index: Int) -> [JSONValue.Member] {
        let row = index / groups, group = index % groups
        return [.init("row", .integer(Int64(row))), .init("group", .integer(Int64(group))),
                .init("scale", .float(scales[group * rows + row])), .init("zero", .integer(Int64(zero(row, group))))]
    }

    func levels(ofBlock index: Int) -> [Float] {
        let row = index / groups, group = index % groups
        let scale = scales[group * rows + row], z = zero(row, group) + zeroOffset
        return Self.finiteSorted((0..<(1 << bits)).map { scale * Float($0 - z) })
    }

    func raw(ofBlock index: Int, elements: [Int]) -> [StoredBytes] {
        let row = index / groups, group = index % groups
        var packedRows = [Int]()
        for e in elements {
            let r = (e % columns) / qweight.perWord
            if packedRows.last != r && !packedRows.contains(r) { packedRows.append(r) }
            if packedRows.count == 8 { break }
        }
        let scaleWidth = scalesInfo.storage.elementSize ?? 2
        return packedRows.map { qweight.raw($0, row, source: source) }
            + [qzeros.raw(group, row / qzeros.perWord, source: source),
               source.rawBytes(scalesInfo, label: "\(scalesInfo.storage) scales[\(group), \(row)]",
                               start: scaleWidth * (group * rows + row), count: scaleWidth)]
    }
}

extension GPTQStoredTensor {
    func worked(_ block: StoredBlock, at position: Int) -> String {
        guard block.codes.indices.contains(position) else { return formula }
        let s = storedNumber(block.number("scale") ?? 0), z = Int(block.number("zero") ?? 0), q = block.codes[position]
        let v = storedNumber(block.values[position])
        return zeroOffset == 1 ? "w = scale·(q − (zero + 1)) = \(s)·(\(q) − (\(z) + 1)) = \(v)" : "w = scale·(q − zero) = \(s)·(\(q) − \(z)) = \(v)"
    }
}

extension GPTQStoredTensor {
    func codeLocation(_ block: StoredBlock, at position: Int) -> String {
        guard block.elements.indices.contains(position) else { return "" }
        let e = block.elements[position], column = e % columns, slot = column % qweight.perWord
        return "qweight[\(column / qweight.perWord), \(e / columns)] bits \(slot * bits)…\(slot * bits + bits - 1)"
    }
}
