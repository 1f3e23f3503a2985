/// A bitsandbytes 4-bit weight (NF4 or FP4) as transformers saves it:
/// `weight` U8 holding the flattened tensor two codes a byte, **first
/// element in the high nibble**; `weight.absmax` F32, one per block of
/// `blocksize`; `weight.quant_map` F32 [16]; and
/// `weight.quant_state.bitsandbytes__nf4` (or `__fp4`), a U8 tensor of JSON
/// text with the shape, block size and nesting. With double quantisation
/// `absmax` is U8 codes: absmax = nested_quant_map[c]·nested_absmax[b/256] +
/// nested_offset, in float32 as bitsandbytes computes it (docs/contract.md §8).
struct BitsAndBytes4BitStoredTensor: ElementwiseStored {
    let source: PrequantSource
    let name: String
    let quantType: String
    let blockSize: Int
    let shape: [Int]
    let weightInfo: TensorInfo
    let stateInfo: TensorInfo
    let absmaxInfo: TensorInfo
    let quantMapInfo: TensorInfo
    let nestedInfos: [TensorInfo]
    let packed: UnsafeSendable<UnsafeRawBufferPointer>
    let quantMap: [Float]
    /// Blocks in the tensor.
    let blocks: Int
    /// Double quantisation's offset and nested block size (from the quant_state), when it is used.
    let nesting: (offset: Float, blockSize: Int)?
    /// Each block's absmax, already un-nested; read by `loaded()`.
    private(set) var absmax: [Float] = []
    /// Double quantisation: each block's absmax code, the nested absmax per 256 blocks, the map; read by `loaded()`.
    private(set) var nested: (codes: [Int], absmax: [Float], map: [Float], offset: Float, blockSize: Int)?

    init(weight: String, stateName: String, source: PrequantSource) throws(TensorFileError) {
        self.source = source
        self.name = weight
        weightInfo = try source.info(weight)
        stateInfo = try source.info(stateName)
        absmaxInfo = try source.info(weight + ".absmax")
        quantMapInfo = try source.info(weight + ".quant_map")
        let text = String(decoding: try source.byteArray(stateInfo), as: UTF8.self)
        let state: JSONValue
        do { state = try JSONParser.parse(text, rejectDuplicateKeys: false) } catch {
            throw source.fail(stateInfo, "is not the JSON quant_state bitsandbytes writes: \(error.description)")
        }
        guard let type = state["quant_type"]?.stringValue, ["nf4", "fp4"].contains(type),
              let blocks = state["blocksize"]?.intValue, blocks > 0,
              let shape = state["shape"]?.arrayValue?.compactMap(\.intValue), !shape.isEmpty, shape.allSatisfy({ $0 >= 0 }) else {
            throw source.fail(stateInfo, "quant_state lacks quant_type nf4/fp4, a positive blocksize or a shape")
        }
        quantType = type
        blockSize = blocks
        self.shape = shape
        var count = 1
        for extent in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw source.fail(stateInfo, "quant_state shape \(shape) is too large") }
            count = product
        }
        guard weightInfo.storage == .uint8, weightInfo.elementCount == (count + 1) / 2 else {
            throw source.fail(weightInfo, "holds \(weightInfo.elementCount) \(weightInfo.dtype) bytes; \(shape) at two codes a byte needs \((count + 1) / 2) U8")
        }
        let nBlocks = (count + blocks - 1) / blocks
        quantMap = try source.floats(quantMapInfo)
        guard quantMap.count == 16 else { throw source.fail(quantMapInfo, "holds \(quantMap.count) values, expected 16") }
        guard absmaxInfo.elementCount == nBlocks else {
            throw source.fail(absmaxInfo, "holds \(absmaxInfo.elementCount) values for \(nBlocks) blocks of \(blocks)")
        }
        self.blocks = nBlocks
        if absmaxInfo.storage == .uint8 {
            let nestedAbsmaxInfo = try source.info(weight + ".nested_absmax")
            let nestedMapInfo = try source.info(weight + ".nested_quant_map")
            let nestedBlock = state["nested_blocksize"]?.intValue ?? 256
            let offset = Float(state["nested_offset"].flatMap { v -> Double? in
                if case .number(let d) = v { return d }
                return v.intValue.map(Double.init)
            } ?? 0)
            let nestedCount = nestedAbsmaxInfo.elementCount, mapCount = nestedMapInfo.elementCount
            guard mapCount == 256, nestedBlock > 0, nestedCount == (nBlocks + nestedBlock - 1) / nestedBlock else {
                throw source.fail(nestedAbsmaxInfo, "nested_absmax holds \(nestedCount) values and nested_quant_map \(mapCount); \(nBlocks) blocks need \((nBlocks + nestedBlock - 1) / nestedBlock) and 256")
            }
            nestedInfos = [nestedAbsmaxInfo, nestedMapInfo]
            nesting = (offset, nestedBlock)
        } else {
            nestedInfos = []
            nesting = nil
        }
        packed = UnsafeSendable(try source.bytes(weightInfo))
    }

    func loaded() throws(TensorFileError) -> Self {
        var copy = self
        if let nesting, nestedInfos.count == 2 {
            let codes = try source.integers(absmaxInfo)
            let nestedAbsmax = try source.floats(nestedInfos[0])
            let map = try source.floats(nestedInfos[1])
            copy.nested = (codes, nestedAbsmax, map, nesting.offset, nesting.blockSize)
            copy.absmax = (0..<blocks).map { b in map[codes[b]] * nestedAbsmax[b / nesting.blockSize] + nesting.offset }
        } else {
            copy.absmax = try source.floats(absmaxInfo)
        }
        return copy
    }

    var codeBits: Int? { 4 }
    var groupSize: Int? { blockSize }
    var symmetric: Bool? { true }

    var formatName: String { "bnb \(quantType) b\(blockSize)" + (nesting == nil ? "" : " double-quant") }
    var blockCount: Int { blocks }
    var blockElements: Int { blockSize }
    var sideTensors: [String] { [weightInfo.name, absmaxInfo.name, quantMapInfo.name, stateInfo.name] + nestedInfos.map(\.name) }
    var formula: String {
        nesting == nil ? "w = quant_map[q]·absmax"
            : "w = quant_map[q]·absmax,  absmax = nested_quant_map[c]·nested_absmax + offset"
    }

    func blockIndex(ofElement element: Int) -> Int { element / blockSize }

    func elements(ofBlock index: Int) -> [Int] {
        let start = index * blockSize
        return Array(start..<min(shape.reduce(1, *), start + blockSize))
    }

    func code(ofElement element: Int) -> Int {
        let byte = packed.value[element / 2]
        return Int(element % 2 == 0 ? byte >> 4 : byte & 0x0F)
    }

    func value(ofElement element: Int) -> Float { quantMap[code(ofElement: element)] * absmax[element / blockSize] }

    func params(ofBlock index: Int) -> [JSONValue.Member] {
        var members: [JSONValue.Member] = [.init("absmax", .float(absmax[index]))]
        if let nested {
            members += [.init("absmax_code", .integer(Int64(nested.codes[index]))),
                        .init("nested_absmax", .float(nested.absmax[index / nested.blockSize])),
                        .init("nested_offset", .float(nested.offset))]
        }
        return members
    }

    func levels(ofBlock index: Int) -> [Float] { Self.finiteSorted(quantMap.map { $0 * absmax[index] }) }

    func raw(ofBlock index: Int, elements: [Int]) -> [StoredBytes] {
        let start = (elements.first ?? 0) / 2
        var raw = [source.rawBytes(weightInfo, label: "U8 weight[\(start)…] (high nibble first)", start: start, count: min(32, (elements.count + 1) / 2))]
        let width = absmaxInfo.storage.elementSize ?? 4
        raw.append(source.rawBytes(absmaxInfo, label: "\(absmaxInfo.dtype) weight.absmax[\(index)]", start: index * width, count: width))
        if let nested, let info = nestedInfos.first {
            raw.append(source.rawBytes(info, label: "\(info.dtype) weight.nested_absmax[\(index / nested.blockSize)]",
                                       start: (index / nested.blockSize) * 4, count: 4))
        }
        return raw
    }
}

extension BitsAndBytes4BitStoredTensor {
    func worked(_ block: StoredBlock, at position: Int) -> String {
        guard block.codes.indices.contains(position) else { return formula }
        let q = block.codes[position]
        return "w = quant_map[q]·absmax = quant_map[\(q)]·\(storedNumber(block.number("absmax") ?? 0)) = "
            + "\(storedNumber(quantMap[q]))·\(storedNumber(block.number("absmax") ?? 0)) = \(storedNumber(block.values[position]))"
    }
}

extension BitsAndBytes4BitStoredTensor {
    func codeLocation(_ block: StoredBlock, at position: Int) -> String {
        guard block.elements.indices.contains(position) else { return "" }
        let e = block.elements[position]
        return "weight[\(e / 2)] " + (e % 2 == 0 ? "bits 4…7 (high nibble: even elements come first)" : "bits 0…3 (low nibble)")
    }
}
