/// Writes `GroupedIntCodes` as the tensors a GPTQ or AWQ checkpoint holds,
/// so that quantscope's own readers (`GPTQStoredTensor`, `AWQStoredTensor`)
/// and AutoGPTQ / AutoAWQ read the same weight back (docs/contract.md §7,
/// `quantize --layout`; the packing rules are §8's).
///
/// Scales are written as F32, not the F16 real checkpoints use, so the
/// decoded weight equals the method's Ŵ bit for bit.
public enum PrequantLayout: String, CaseIterable, Sendable {
    /// AutoGPTQ's original format: `qweight` I32 [in·b/32, out] packed along
    /// in, `qzeros` I32 [groups, out·b/32] packed along out holding zero − 1,
    /// `scales` [groups, out], `g_idx` I32 [in].
    case gptq
    /// AutoAWQ GEMM: `qweight` I32 [in, out/8], `qzeros` I32 [groups, out/8],
    /// nibbles in the order 0 2 4 6 1 3 5 7, zeros as they are; `scales` [groups, out].
    case awq

    /// Why `codes` cannot be written in this layout, or nil when they can.
    public func refusal(_ codes: GroupedIntCodes) -> String? {
        let top = Int32(1 << codes.bits)
        switch self {
        case .gptq:
            guard [2, 4, 8].contains(codes.bits) else { return "the GPTQ layout packs 2, 4 or 8 bits per code, not \(codes.bits)" }
            if codes.zeros.contains(where: { $0 < 1 || $0 > top }) {
                return "a zero-point of 0 cannot be stored in GPTQ's original format (it stores zero − 1); use a symmetric scheme"
            }
        case .awq:
            guard codes.bits == 4 else { return "the AWQ layout packs 4-bit codes, not \(codes.bits)" }
            guard codes.rows % 8 == 0 else { return "the AWQ layout packs 8 outputs per word; this weight has \(codes.rows)" }
            guard codes.groupOfColumn == nil, codes.columns % max(codes.groupSize, 1) == 0 else {
                return "the AWQ layout needs groups in order that divide the \(codes.columns) inputs (group size \(codes.groupSize))"
            }
            if codes.zeros.contains(where: { $0 < 0 || $0 >= top }) { return "a zero-point outside 0…\(top - 1) cannot be stored in 4 bits" }
        }
        if codes.codes.contains(where: { $0 < 0 || $0 >= top }) { return "a code outside 0…\(top - 1) cannot be stored in \(codes.bits) bits" }
        return nil
    }

    /// The checkpoint's tensors for the linear layer `module` (`module.qweight`…).
    /// - Precondition: `refusal(codes)` is nil.
    public func entries(_ codes: GroupedIntCodes, module: String) -> [SafetensorsWriter.Entry] {
        let (n, k, g) = (codes.rows, codes.columns, codes.groups)
        // scales [groups, out]: the transpose of the per-row layout.
        var scales = [Float](repeating: 0, count: g * n)
        for r in 0..<n { for j in 0..<g { scales[j * n + r] = codes.scales[r * g + j] } }
        switch self {
        case .gptq:
            let b = codes.bits, per = 32 / b
            let packedRows = (k * b + 31) / 32
            var qweight = [UInt32](repeating: 0, count: packedRows * n)
            for r in 0..<n {
                for c in 0..<k {
                    qweight[(c / per) * n + r] |= UInt32(codes.codes[r * k + c]) << UInt32((c % per) * b)
                }
            }
            let zeroWords = (n * b + 31) / 32
            var qzeros = [UInt32](repeating: 0, count: g * zeroWords)
            for j in 0..<g {
                for r in 0..<n {
                    qzeros[j * zeroWords + r / per] |= UInt32(codes.zeros[r * g + j] - 1) << UInt32((r % per) * b)
                }
            }
            let gIdx = (0..<k).map { Int32(codes.group(ofColumn: $0)) }
            return [.int32(module + ".qweight", shape: [packedRows, n], qweight.map { Int32(bitPattern: $0) }),
                    .int32(module + ".qzeros", shape: [g, zeroWords], qzeros.map { Int32(bitPattern: $0) }),
                    .float32(module + ".scales", shape: [g, n], scales),
                    .int32(module + ".g_idx", shape: [k], gIdx)]
        case .awq:
            let slot = [0, 4, 1, 5, 2, 6, 3, 7]
            var qweight = [UInt32](repeating: 0, count: k * n / 8)
            for r in 0..<n {
                for c in 0..<k {
                    qweight[c * (n / 8) + r / 8] |= UInt32(codes.codes[r * k + c]) << UInt32(4 * slot[r % 8])
                }
            }
            var qzeros = [UInt32](repeating: 0, count: g * n / 8)
            for j in 0..<g {
                for r in 0..<n { qzeros[j * (n / 8) + r / 8] |= UInt32(codes.zeros[r * g + j]) << UInt32(4 * slot[r % 8]) }
            }
            return [.int32(module + ".qweight", shape: [k, n / 8], qweight.map { Int32(bitPattern: $0) }),
                    .int32(module + ".qzeros", shape: [g, n / 8], qzeros.map { Int32(bitPattern: $0) }),
                    .float32(module + ".scales", shape: [g, n], scales)]
        }
    }
}
