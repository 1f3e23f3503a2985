/// A pre-quantized weight whose every element can be decoded on its own
/// from the side tensors: GPTQ, AWQ, compressed-tensors, bitsandbytes and
/// FP8 (docs/contract.md §8). Each format says where an element's code and
/// parameters are; `block(_:)` and `decode()` are written once, here.
protocol ElementwiseStored: StoredQuantization {
    var source: PrequantSource { get }
    /// Flat row-major indices of block `index`'s elements in the logical tensor.
    func elements(ofBlock index: Int) -> [Int]
    /// The stored integer (or FP8 bit pattern) of the element at flat index `element`.
    func code(ofElement element: Int) -> Int
    /// The decoded value of the element at flat index `element`.
    func value(ofElement element: Int) -> Float
    /// The block's parameters under the format's own names.
    func params(ofBlock index: Int) -> [JSONValue.Member]
    /// Every value block `index`'s parameters can represent, ascending.
    func levels(ofBlock index: Int) -> [Float]
    /// The file's bytes that hold block `index` (codes first, then parameters).
    func raw(ofBlock index: Int, elements: [Int]) -> [StoredBytes]
    /// Where block `index`'s codes start in the file.
    func offset(ofBlock index: Int, elements: [Int]) -> Int?
}

extension ElementwiseStored {
    public var blockBytes: Int? { nil }

    public var bitsPerWeight: Double {
        let elements = shape.reduce(1, *)
        return elements == 0 ? 0 : Double(8 * source.storedBytes(sideTensors)) / Double(elements)
    }

    func offset(ofBlock index: Int, elements: [Int]) -> Int? { raw(ofBlock: index, elements: elements).first?.offset }

    public func block(_ index: Int) throws(TensorFileError) -> StoredBlock {
        guard index >= 0, index < blockCount else {
            throw .invalidTensor(path: source.path, tensor: name, reason: "block \(index) is outside 0..<\(blockCount)")
        }
        let elements = elements(ofBlock: index)
        let raw = raw(ofBlock: index, elements: elements)
        let levels = levels(ofBlock: index)
        return StoredBlock(index: index, offset: raw.first?.offset, params: params(ofBlock: index),
                           codes: elements.map(code(ofElement:)), values: elements.map(value(ofElement:)),
                           elements: elements, raw: raw, levels: levels.isEmpty ? [] : [levels])
    }

    public func decode() throws(TensorFileError) -> Tensor {
        let count = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        let me = self
        values.withUnsafeMutableBufferPointer { out in
            let target = UnsafeSendable(out)
            Parallel.forEach(count: count, minimumChunk: 1 << 15) { range in
                for e in range { target.value[e] = me.value(ofElement: e) }
            }
        }
        return Tensor(shape: shape, values: values)
    }

    /// `value` rounded away from a NaN scale: never a NaN level in the Histogram's grid.
    static func finiteSorted(_ values: [Float]) -> [Float] {
        Array(Set(values.filter { !$0.isNaN })).sorted()
    }
}
