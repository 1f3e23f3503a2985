/// A compressed-tensors `pack-quantized` weight as stored: `weight_packed`
/// I32 [out, ⌈in·bits/32⌉] packed along **in** from the low bits, signed
/// codes stored + 2^(bits−1); `weight_scale` [out, groups]; `weight_shape`
/// [out, in]; asymmetric adds `weight_zero_point` I32 [⌈out·bits/32⌉,
/// groups] packed along **out**, also offset: w = scale·((q − 8) − zero)
/// for 4 bits (docs/contract.md §8).
struct PackedIntStoredTensor: ElementwiseStored {
    let source: PrequantSource
    let name: String
    let module: String
    let bits: Int
    let rows: Int
    let columns: Int
    let groups: Int
    let groupLength: Int
    let packed: PackedWords
    let zeros: PackedWords?
    /// Read by `loaded()`: opening a checkpoint reads no scales.
    private(set) var scales: [Float] = []
    let scalesInfo: TensorInfo

    init(module: String, source: PrequantSource, config: QuantizationConfig?) throws(TensorFileError) {
        self.source = source
        self.module = module
        self.name = module + ".weight"
        let packedInfo = try source.info(module + ".weight_packed")
        scalesInfo = try source.info(module + ".weight_scale")
        guard packedInfo.shape.count == 2 else { throw source.fail(packedInfo, "has shape \(packedInfo.shape), expected [out, in·bits/32]") }
        var shape = [packedInfo.shape[0], packedInfo.shape[1] * 8]
        if let shapeInfo = source.infos[module + ".weight_shape"] {
            let stored = try source.integers(shapeInfo)
            guard stored.count == 2, stored.allSatisfy({ $0 >= 0 }) else { throw source.fail(shapeInfo, "holds \(stored), expected [out, in]") }
            shape = stored
        }
        rows = shape[0]
        columns = shape[1]
        let bits = config?.bits ?? (columns > 0 ? (packedInfo.shape[1] * 32) / columns : 4)
        guard [2, 4, 8].contains(bits) else { throw source.fail(packedInfo, "\(bits)-bit packing is not supported (2, 4 and 8 bits are)") }
        self.bits = bits
        guard packedInfo.shape == [rows, (columns * bits + 31) / 32] else {
            throw source.fail(packedInfo, "shape \(packedInfo.shape) does not hold [\(rows), \(columns)] at \(bits) bits")
        }
        let scaleShape = scalesInfo.shape.count == 2 ? scalesInfo.shape : [rows, scalesInfo.elementCount == 1 ? 1 : scalesInfo.elementCount / max(1, rows)]
        groups = max(1, scaleShape[1])
        guard scalesInfo.elementCount == rows * groups || (scalesInfo.elementCount == 1 && rows * groups == rows) else {
            throw source.fail(scalesInfo, "shape \(scalesInfo.shape) does not fit a [\(rows), \(columns)] weight")
        }
        groupLength = (columns + groups - 1) / groups
        packed = try PackedWords(packedInfo, bits: bits, source: source)
        if let zeroInfo = source.infos[module + ".weight_zero_point"] {
            guard zeroInfo.shape == [(rows * bits + 31) / 32, groups] else {
                throw source.fail(zeroInfo, "shape \(zeroInfo.shape), expected [\((rows * bits + 31) / 32), \(groups)] (packed along the output axis)")
            }
            zeros = try PackedWords(zeroInfo, bits: bits, source: source)
        } else {
            zeros = nil
        }
    }

    func loaded() throws(TensorFileError) -> Self {
        var copy = self
        let values = try source.floats(scalesInfo)
        copy.scales = values.count == 1 ? [Float](repeating: values[0], count: rows) : values
        return copy
    }

    var offsetCode: Int { 1 << (bits - 1) }
    var codeBits: Int? { bits }
    var groupSize: Int? { groupLength }
    var symmetric: Bool? { zeros == nil }

    var formatName: String {
        "compressed-tensors int\(bits) " + (groups == 1 ? "channel" : "g\(groupLength)") + (zeros == nil ? " sym" : " asym")
    }
    var shape: [Int] { [rows, columns] }
    var blockCount: Int { rows * groups }
    var blockElements: Int { groupLength }
    var sideTensors: [String] {
        [module + ".weight_packed", module + ".weight_scale"]
            + [module + ".weight_zero_point", module + ".weight_shape"].filter(source.has)
    }
    var formula: String { zeros == nil ? "w = scale·(q − \(offsetCode))" : "w = scale·((q − \(offsetCode)) − zero)" }

    func blockIndex(ofElement element: Int) -> Int { (element / columns) * groups + (element % columns) / groupLength }

    func elements(ofBlock index: Int) -> [Int] {
        let row = index / groups, start = (index % groups) * groupLength
        return (start..<min(columns, start + groupLength)).map { row * columns + $0 }
    }

    /// The signed zero point of (row, group); 0 when symmetric.
    func zero(_ row: Int, _ group: Int) -> Int {
        guard let zeros else { return 0 }
        return zeros.code(row / zeros.perWord, group, slot: row % zeros.perWord) - offsetCode
    }

    func code(ofElement element: Int) -> Int {
        let column = element % columns
        return packed.code(element / columns, column / packed.perWord, slot: column % packed.perWord)
    }

    func value(ofElement element: Int) -> Float {
        let row = element / columns, group = (element % columns) / groupLength
        return scales[row * groups + group] * Float(code(ofElement: element) - offsetCode - zero(row, group))
    }

    func params(ofBlock index: Int) -> [JSONValue.Member] {
        let row = index / groups, group = index % groups
        var members: [JSONValue.Member] = [.init("row", .integer(Int64(row))), .init("group", .integer(Int64(group))),
                                           .init("scale", .float(scales[row * groups + group]))]
        if zeros != nil { members.append(.init("zero", .integer(Int64(zero(row, group))))) }
        return members
    }

    func levels(ofBlock index: Int) -> [Float] {
        let row = index / groups, group = index % groups
        let scale = scales[row * groups + group], z = zero(row, group) + offsetCode
        return Self.finiteSorted((0..<(1 << bits)).map { scale * Float($0 - z) })
    }

    func raw(ofBlock index: Int, elements: [Int]) -> [StoredBytes] {
        let row = index / groups, group = index % groups
        var words = [Int]()
        for e in elements where words.last != (e % columns) / packed.perWord { words.append((e % columns) / packed.perWord) }
        let scaleWidth = scalesInfo.storage.elementSize ?? 2
        var raw = words.prefix(8).map { packed.raw(row, $0, source: source) }
        if let zeros { raw.append(zeros.raw(row / zeros.perWord, group, source: source)) }
        raw.append(source.rawBytes(scalesInfo, label: "\(scalesInfo.storage) weight_scale[\(row), \(group)]",
                                   start: scalesInfo.elementCount == 1 ? 0 : scaleWidth * (row * groups + group), count: scaleWidth))
        return raw
    }
}

extension PackedIntStoredTensor {
    func worked(_ block: StoredBlock, at position: Int) -> String {
        guard block.codes.indices.contains(position) else { return formula }
        let s = storedNumber(block.number("scale") ?? 0), q = block.codes[position], v = storedNumber(block.values[position])
        guard zeros != nil else { return "w = scale·(q − \(offsetCode)) = \(s)·(\(q) − \(offsetCode)) = \(v)" }
        return "w = scale·((q − \(offsetCode)) − zero) = \(s)·((\(q) − \(offsetCode)) − \(Int(block.number("zero") ?? 0))) = \(v)"
    }
}

extension PackedIntStoredTensor {
    func codeLocation(_ block: StoredBlock, at position: Int) -> String {
        guard block.elements.indices.contains(position) else { return "" }
        let e = block.elements[position], column = e % columns, slot = column % packed.perWord
        return "weight_packed[\(e / columns), \(column / packed.perWord)] bits \(slot * bits)…\(slot * bits + bits - 1)"
    }
}
