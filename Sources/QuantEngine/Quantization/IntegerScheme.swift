/// An integer affine scheme: `intB` (symmetric), `intB-asym` or `uintB`, B = 2…8 (docs/contract.md §1).
public struct IntegerScheme: Hashable, Sendable {
    public enum Mode: String, Sendable {
        /// [-(2^(B-1)-1), 2^(B-1)-1], S = max|x| / qmax, Z = 0.
        case symmetric
        /// [-2^(B-1), 2^(B-1)-1], S = (vmax − vmin)/(qmax − qmin), Z from vmin.
        case asymmetric
        /// [0, 2^B − 1], S and Z as for asymmetric.
        case unsigned
    }

    public let bits: Int
    public let mode: Mode

    public init(bits: Int, mode: Mode) {
        precondition((2...8).contains(bits))
        self.bits = bits
        self.mode = mode
    }

    public var qmin: Int {
        switch mode {
        case .symmetric: return -((1 << (bits - 1)) - 1)
        case .asymmetric: return -(1 << (bits - 1))
        case .unsigned: return 0
        }
    }

    public var qmax: Int {
        mode == .unsigned ? (1 << bits) - 1 : (1 << (bits - 1)) - 1
    }

    /// `int8`, `int4-asym`, `uint8`.
    public var name: String {
        switch mode {
        case .symmetric: return "int\(bits)"
        case .asymmetric: return "int\(bits)-asym"
        case .unsigned: return "uint\(bits)"
        }
    }

    /// Codes are signed (stored as Int8, two's complement) unless `uintB`.
    public var signedCodes: Bool { mode != .unsigned }
}
