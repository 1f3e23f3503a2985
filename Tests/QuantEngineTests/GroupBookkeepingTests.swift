import QuantEngine
import Testing

/// A granularity whose per-group scales and sums would pass the memory
/// budget is refused with a usage error; small tensors take any granularity.
@Suite struct GroupBookkeepingTests {
    @Test func perElementGroupsOfALargeTensorAreRefused() {
        let n = 1 << 22  // 16 MiB of float32: group:1 would keep 96 MiB of bookkeeping, the limit is 52 MiB
        let tensor = Tensor(shape: [n / 512, 512], values: (0..<n).map { Float($0 % 97) - 48 })
        #expect(throws: QuantizationError.self) {
            _ = try Quantizer.quantize(tensor, scheme: .integer(IntegerScheme(bits: 8, mode: .symmetric)), granularity: .group(size: 1))
        }
        do {
            _ = try Quantizer.quantize(tensor, scheme: .integer(IntegerScheme(bits: 8, mode: .symmetric)), granularity: .group(size: 1))
        } catch {
            #expect(error.description.contains("group:1 makes 4194304 groups"))
            #expect(error.description.contains("use larger groups"))
        }
        let q = try? Quantizer.quantize(tensor, scheme: .integer(IntegerScheme(bits: 8, mode: .symmetric)), granularity: .group(size: 8))
        #expect(q?.scales.count == n / 8)
    }

    @Test func smallTensorsTakeAnyGranularity() throws {
        let tensor = Tensor(shape: [10, 100], values: (0..<1000).map { Float($0) / 1000 })
        let q = try Quantizer.quantize(tensor, scheme: .integer(IntegerScheme(bits: 4, mode: .asymmetric)), granularity: .group(size: 1))
        #expect(q.scales.count == 1000)
        #expect(Quantizer.groupBookkeepingLimit(elements: 1000) == 1000 + (48 << 20))
        #expect(Quantizer.groupBookkeepingLimit(elements: .max) == .max)
    }
}
