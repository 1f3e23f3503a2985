/// A weight stored as one int8 or FP8 code per element with a float scale
/// per tensor, per row (group) or per 2-D tile (docs/contract.md §8):
/// compressed-tensors `naive-quantized` int8 and `float-quantized` FP8
/// (`weight_scale`, multiplies), FBGEMM FP8 (`weight_scale` [out, 1]),
/// FineGrainedFP8 (`weight_scale_inv` [out/128, in/128], which multiplies
/// despite its name) and bitsandbytes int8 (`SCB` [out]: w = q·SCB/127).
struct ScaledStoredTensor: ElementwiseStored {
    enum Kind: Sendable {
        case compressedInt8, compressedFP8, fbgemmFP8, fineGrainedFP8, bitsandbytesInt8
    }

    /// Which scale an element uses.
    enum Layout: Sendable, Equatable {
        case tensor
        /// `groups` scales per row, each over `size` consecutive columns.
        case rowGroups(groups: Int, size: Int)
        /// One scale per `rows × columns` tile, tiles row-major.
        case tiles(rows: Int, columns: Int)
    }

    /// bitsandbytes' 1/127, as `int8_vectorwise_dequant` writes it (a float32 multiply).
    static let bitsandbytesReciprocal = Float(7.874015718698502e-3)

    let source: PrequantSource
    let name: String
    let module: String
    let kind: Kind
    let layout: Layout
    let rows: Int
    let columns: Int
    let weightInfo: TensorInfo
    let scaleInfo: TensorInfo
    let zeroInfo: TensorInfo?
    let codes: UnsafeSendable<UnsafeRawBufferPointer>
    /// Read by `loaded()`: opening a checkpoint reads no scales or zero points.
    private(set) var scales: [Float] = []
    private(set) var zeros: [Int] = []
    /// FP8 decode table; nil for int8 codes.
    let table: [Float]?
    let format: FloatFormat?

    init(module: String, kind: Kind, source: PrequantSource, config: QuantizationConfig?) throws(TensorFileError) {
        self.source = source
        self.module = module
        self.kind = kind
        self.name = module + ".weight"
        weightInfo = try source.info(name)
        let scaleName: String = switch kind {
        case .fineGrainedFP8: module + ".weight_scale_inv"
        case .bitsandbytesInt8: module + ".SCB"
        default: module + ".weight_scale"
        }
        scaleInfo = try source.info(scaleName)
        guard weightInfo.shape.count == 2 else { throw source.fail(weightInfo, "has shape \(weightInfo.shape), expected [out, in]") }
        rows = weightInfo.shape[0]
        columns = weightInfo.shape[1]
        switch (kind, weightInfo.storage) {
        case (.compressedInt8, .int8), (.bitsandbytesInt8, .int8):
            format = nil
        case (.compressedFP8, .float8(let f)), (.fbgemmFP8, .float8(let f)), (.fineGrainedFP8, .float8(let f)):
            guard f == .e4m3fn || f == .e5m2 else { throw source.fail(weightInfo, "has dtype \(weightInfo.dtype), which this format does not store") }
            format = f
        default:
            throw source.fail(weightInfo, "has dtype \(weightInfo.dtype), which this format does not store")
        }
        table = format.map(DecodeTable.table(for:))
        let n = scaleInfo.elementCount
        guard n >= 1 else { throw source.fail(scaleInfo, "holds no scales") }
        let block = (config?.blockSize).flatMap { $0.count == 2 && $0.allSatisfy { $0 > 0 } ? $0 : nil } ?? [128, 128]
        if n == 1 {
            layout = .tensor
        } else if kind == .fineGrainedFP8 || config?.strategy == "block"
                    || (scaleInfo.shape.count == 2 && scaleInfo.shape == [(rows + block[0] - 1) / block[0], (columns + block[1] - 1) / block[1]]
                        && scaleInfo.shape[1] > 1) {
            guard block.count == 2, block.allSatisfy({ $0 > 0 }),
                  scaleInfo.shape == [(rows + block[0] - 1) / block[0], (columns + block[1] - 1) / block[1]] else {
                throw source.fail(scaleInfo, "shape \(scaleInfo.shape) does not tile a [\(rows), \(columns)] weight in \(block) blocks")
            }
            layout = .tiles(rows: block[0], columns: block[1])
        } else {
            guard rows > 0, n % rows == 0 else {
                throw source.fail(scaleInfo, "shape \(scaleInfo.shape) does not fit a [\(rows), \(columns)] weight")
            }
            let groups = n / rows
            layout = .rowGroups(groups: groups, size: (columns + groups - 1) / max(1, groups))
        }
        zeroInfo = source.infos[module + ".weight_zero_point"]
        if let zeroInfo, zeroInfo.elementCount != n {
            throw source.fail(zeroInfo, "holds \(zeroInfo.elementCount) zero points for \(n) scales")
        }
        guard scaleInfo.storage.elementSize != nil, ElementDecoder.canDecode(scaleInfo.storage) else {
            throw source.fail(scaleInfo, "has dtype \(scaleInfo.dtype), expected a float tensor")
        }
        codes = UnsafeSendable(try source.bytes(weightInfo))
    }

    var codeBits: Int? { 8 }
    var symmetric: Bool? { zeroInfo == nil }
    var groupSize: Int? {
        switch layout {
        case .tensor: nil
        case .rowGroups(_, let size): size
        case .tiles: nil
        }
    }

    func loaded() throws(TensorFileError) -> Self {
        var copy = self
        copy.scales = try source.floats(scaleInfo)
        copy.zeros = try zeroInfo.map { info throws(TensorFileError) in try source.integers(info) } ?? []
        return copy
    }

    var formatName: String {
        let granularity: String = switch layout {
        case .tensor: "tensor"
        case .rowGroups(let groups, let size): groups == 1 ? "channel" : "g\(size)"
        case .tiles(let r, let c): "block\(r)x\(c)"
        }
        return switch kind {
        case .compressedInt8: "compressed-tensors int8 \(granularity)" + (zeroInfo == nil ? " sym" : " asym")
        case .compressedFP8: "compressed-tensors \(format?.name ?? "fp8") \(granularity)"
        case .fbgemmFP8: "fbgemm \(format?.name ?? "fp8") \(granularity)"
        case .fineGrainedFP8: "finegrained \(format?.name ?? "fp8") \(granularity)"
        case .bitsandbytesInt8: "bnb int8 channel"
        }
    }

    var shape: [Int] { [rows, columns] }

    var blockCount: Int {
        switch layout {
        case .tensor: rows
        case .rowGroups(let groups, _): rows * groups
        case .tiles(let r, let c): ((rows + r - 1) / r) * ((columns + c - 1) / c)
        }
    }

    var blockElements: Int {
        switch layout {
        case .tensor: columns
        case .rowGroups(_, let size): size
        case .tiles(let r, let c): r * c
        }
    }

    var sideTensors: [String] { [weightInfo.name, scaleInfo.name] + (zeroInfo.map { [$0.name] } ?? []) }

    var formula: String {
        let q = format == nil ? "q" : "fp8(q)"
        return switch kind {
        case .bitsandbytesInt8: "w = q·SCB / 127"
        case .fineGrainedFP8: "w = \(q)·weight_scale_inv"
        default: zeroInfo == nil ? "w = \(q)·scale" : "w = scale·(q − zero)"
        }
    }

    /// The scale index of element (row, column).
    @inline(__always)
    func scaleIndex(_ row: Int, _ column: Int) -> Int {
        switch layout {
        case .tensor: 0
        case .rowGroups(let groups, let size): row * groups + column / size
        case .tiles(let r, let c): (row / r) * ((columns + c - 1) / c) + column / c
        }
    }

    func blockIndex(ofElement element: Int) -> Int {
        let row = element / columns, column = element % columns
        return layout == .tensor ? row : scaleIndex(row, column)
    }

    func elements(ofBlock index: Int) -> [Int] {
        switch layout {
        case .tensor:
            return (0..<columns).map { index * columns + $0 }
        case .rowGroups(let groups, let size):
            let row = index / groups, start = (index % groups) * size
            return (start..<min(columns, start + size)).map { row * columns + $0 }
        case .tiles(let r, let c):
            let tileColumns = (columns + c - 1) / c
            let top = (index / tileColumns) * r, left = (index % tileColumns) * c
            var out = [Int]()
            for row in top..<min(rows, top + r) { for column in left..<min(columns, left + c) { out.append(row * columns + column) } }
            return out
        }
    }

    func code(ofElement element: Int) -> Int {
        format == nil ? Int(Int8(bitPattern: codes.value[element])) : Int(codes.value[element])
    }

    func value(ofElement element: Int) -> Float {
        let s = scaleIndex(element / columns, element % columns)
        let raw = codes.value[element]
        if let table { return table[Int(raw)] * scales[s] }
        let q = Float(Int8(bitPattern: raw))
        if kind == .bitsandbytesInt8 { return q * scales[s] * Self.bitsandbytesReciprocal }
        return zeroInfo == nil ? q * scales[s] : scales[s] * (q - Float(zeros[s]))
    }

    func scaleIndex(ofBlock index: Int) -> Int {
        let first = elements(ofBlock: index).first ?? 0
        return scaleIndex(first / columns, first % columns)
    }

    func params(ofBlock index: Int) -> [JSONValue.Member] {
        let s = scaleIndex(ofBlock: index)
        let key = kind == .bitsandbytesInt8 ? "SCB" : kind == .fineGrainedFP8 ? "weight_scale_inv" : "scale"
        var members: [JSONValue.Member] = [.init(key, .float(scales[s]))]
        if zeroInfo != nil { members.append(.init("zero", .integer(Int64(zeros[s])))) }
        if case .tiles = layout { members.insert(.init("tile", .integer(Int64(index))), at: 0) }
        return members
    }

    func levels(ofBlock index: Int) -> [Float] {
        let s = scaleIndex(ofBlock: index)
        let scale = scales[s]
        if let table { return Self.finiteSorted(table.filter { $0.isFinite }.map { $0 * scale }) }
        if kind == .bitsandbytesInt8 { return Self.finiteSorted((-127...127).map { Float($0) * scale * Self.bitsandbytesReciprocal }) }
        let z = zeroInfo == nil ? 0 : Float(zeros[s])
        return Self.finiteSorted((-128...127).map { scale * (Float($0) - z) })
    }

    func raw(ofBlock index: Int, elements: [Int]) -> [StoredBytes] {
        let first = elements.first ?? 0
        let run = elements.prefix { $0 - first < columns && $0 / columns == first / columns }.count
        let s = scaleIndex(ofBlock: index)
        let width = scaleInfo.storage.elementSize ?? 4
        var raw = [source.rawBytes(weightInfo, label: "\(weightInfo.dtype) weight[\(first / columns), \(first % columns)…]", start: first, count: min(run, 32)),
                   source.rawBytes(scaleInfo, label: "\(scaleInfo.dtype) \(PackedWords.shortName(scaleInfo.name))[\(s)]", start: s * width, count: width)]
        if let zeroInfo {
            let zw = zeroInfo.storage.elementSize ?? 4
            raw.append(source.rawBytes(zeroInfo, label: "\(zeroInfo.dtype) weight_zero_point[\(s)]", start: s * zw, count: zw))
        }
        return raw
    }
}

extension ScaledStoredTensor {
    func worked(_ block: StoredBlock, at position: Int) -> String {
        guard block.codes.indices.contains(position) else { return formula }
        let q = block.codes[position], v = storedNumber(block.values[position])
        switch kind {
        case .bitsandbytesInt8:
            return "w = q·SCB / 127 = \(q)·\(storedNumber(block.number("SCB") ?? 0)) / 127 = \(v)"
        case .fineGrainedFP8:
            return "w = fp8(q)·weight_scale_inv = \(storedNumber(table?[q & 255] ?? 0))·\(storedNumber(block.number("weight_scale_inv") ?? 0)) = \(v)"
        default:
            let s = storedNumber(block.number("scale") ?? 0)
            if let table { return "w = fp8(q)·scale = \(storedNumber(table[q & 255]))·\(s) = \(v)" }
            if zeroInfo == nil { return "w = q·scale = \(q)·\(s) = \(v)" }
            return "w = scale·(q − zero) = \(s)·(\(q) − \(Int(block.number("zero") ?? 0))) = \(v)"
        }
    }
}

extension ScaledStoredTensor {
    func codeLocation(_ block: StoredBlock, at position: Int) -> String {
        guard block.elements.indices.contains(position) else { return "" }
        let e = block.elements[position]
        return "weight[\(e / columns), \(e % columns)] (one \(format == nil ? "int8" : format?.name ?? "fp8") byte)"
    }
}
