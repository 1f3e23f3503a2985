/// One character cell of the screen: a Unicode scalar, an optional
/// combining mark over it (the hat of x̂), and its style.
///
/// Every glyph quantscope draws (box drawing, eighth blocks, ×, −, √) is one
/// scalar of width 1, so a cell holds exactly one.
public struct Cell: Hashable, Sendable {
    public var scalar: Unicode.Scalar
    /// A combining mark drawn over `scalar` (U+0302 for x̂), or nil.
    public var mark: Unicode.Scalar?
    public var style: Style

    public init(_ scalar: Unicode.Scalar = " ", mark: Unicode.Scalar? = nil, style: Style = .plain) {
        self.scalar = scalar
        self.mark = mark
        self.style = style
    }

    public static let blank = Cell()
}
