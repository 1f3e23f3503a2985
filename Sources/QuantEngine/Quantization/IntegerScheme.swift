/// An integer affine scheme (docs/contract.md §1): `intB` (symmetric), `intB-asym`,
/// `uintB`, and the seed's own two conventions `intB-full` and `intB-asym-exact`
/// (docs/contract.md §10), B = 2…8.
public struct IntegerScheme: Hashable, Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// [-(2^(B-1)-1), 2^(B-1)-1], S = max|x| / qmax, Z = 0.
        case symmetric
        /// [-2^(B-1), 2^(B-1)-1], S = (vmax − vmin)/(qmax − qmin), Z from vmin,
        /// the range stretched to hold 0 and Z clamped into the codes.
        case asymmetric
        /// [0, 2^B − 1], S and Z as for asymmetric.
        case unsigned
        /// The seed's full signed range [-2^(B-1), 2^(B-1)-1] (int4 [−8, 7]) over
        /// [−a, a]: S = 2a / (qmax − qmin), Z = 0; +a lands on qmax + ½ and clips.
        case full
        /// The seed's asymmetric mapping over the exact [min, max]: no stretching
        /// to hold 0, and Z = qmin − round(min/S) kept even outside the codes.
        case asymmetricExact = "asym-exact"
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
        case .asymmetric, .full, .asymmetricExact: return -(1 << (bits - 1))
        case .unsigned: return 0
        }
    }

    public var qmax: Int {
        mode == .unsigned ? (1 << bits) - 1 : (1 << (bits - 1)) - 1
    }

    /// `int8`, `int4-asym`, `uint8`, `int4-full`, `int8-asym-exact`.
    public var name: String {
        switch mode {
        case .symmetric: return "int\(bits)"
        case .asymmetric: return "int\(bits)-asym"
        case .unsigned: return "uint\(bits)"
        case .full: return "int\(bits)-full"
        case .asymmetricExact: return "int\(bits)-asym-exact"
        }
    }

    /// Codes are signed (stored as Int8, two's complement) unless `uintB`.
    public var signedCodes: Bool { mode != .unsigned }

    /// Whether each group carries a zero-point (stored and counted in bits per weight).
    public var hasZeroPoint: Bool { mode == .asymmetric || mode == .unsigned || mode == .asymmetricExact }

    /// Whether the range is the group's exact [min, max] rather than one holding 0.
    public var usesExactRange: Bool { mode == .asymmetricExact }
}
