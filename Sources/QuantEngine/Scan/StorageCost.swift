/// What one quantization of a tensor costs to store (docs/contract.md §7,
/// `scan`): codes packed densely at their width (3-bit codes take 3 bits,
/// as GPTQ and llama.cpp pack them), a 32-bit float scale per group (an
/// E8M0 byte for MX), an integer zero-point per group at the code's width
/// for asymmetric schemes; GGUF types cost their blocks' bytes.
///
/// `scan`, `sweep` and `recipe` rank schemes by this. The Packing view shows
/// quantscope's own byte layout instead, where 3-, 5-, 6- and 7-bit codes
/// take a byte each.
public struct StorageCost: Sendable, Equatable {
    public var elements: Int
    /// Bits one code occupies as stored.
    public var storedCodeBits: Int
    /// Bits of every scale and zero-point together.
    public var parameterBits: Int
    /// Bytes on disk: the codes, then the parameters.
    public var bytes: Int

    public init(scheme: Scheme, elements: Int, groups: Int) {
        self.elements = elements
        if case .gguf(let block) = scheme {
            let blocks = (elements + block.blockSize - 1) / block.blockSize
            storedCodeBits = block.codeBits
            bytes = blocks * block.typeSize
            parameterBits = bytes * 8 - elements * block.codeBits
            return
        }
        storedCodeBits = scheme.codeBits
        var scaleBits = 32, zeroBits = 0
        switch scheme {
        case .microscaling: scaleBits = 8
        case .integer(let s) where s.hasZeroPoint: zeroBits = s.bits
        default: break
        }
        parameterBits = groups * (scaleBits + zeroBits)
        bytes = (elements * storedCodeBits + 7) / 8 + groups * scaleBits / 8 + (groups * zeroBits + 7) / 8
    }

    /// Bits per weight, parameters included (0 for an empty tensor).
    public var bitsPerWeight: Double { elements == 0 ? 0 : Double(bytes * 8) / Double(elements) }
}
