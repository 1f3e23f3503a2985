/// A dense Float32 tensor in row-major order: what every quantizer takes.
///
/// Files hold many stored types; readers decode a tensor into this once,
/// and everything downstream works on contiguous Float32.
public struct Tensor: Sendable {
    /// The shape, row-major (numpy order): the last axis is contiguous.
    public var shape: [Int]
    public var values: [Float]

    /// Creates a tensor; `values.count` must equal the product of `shape`.
    public init(shape: [Int], values: [Float]) {
        precondition(Tensor.elementCount(shape) == values.count, "shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
    }

    public var count: Int { values.count }
    public var rank: Int { shape.count }

    /// The product of the dimensions (1 for a scalar of shape []). Readers
    /// have checked that the product of the non-zero dimensions fits an Int,
    /// so a zero anywhere gives 0 without overflowing on the others.
    public static func elementCount(_ shape: [Int]) -> Int {
        shape.contains(0) ? 0 : shape.reduce(1, *)
    }

    /// The product of the non-zero dimensions, or nil when it overflows: what
    /// readers check before trusting a shape from a file.
    public static func checkedElementCount(_ shape: [Int]) -> Int? {
        var product = 1
        for dim in shape {
            guard dim >= 0 else { return nil }
            if dim == 0 { continue }
            let (p, overflow) = product.multipliedReportingOverflow(by: dim)
            if overflow { return nil }
            product = p
        }
        return shape.contains(0) ? 0 : product
    }
}
