/// RTN: the existing quantizer at the problem's scheme and granularity
/// (docs/contract.md §1–§2), no calibration data used. The baseline every
/// method is measured against.
enum RoundToNearest {
    static func run(_ problem: LayerProblem, token: WorkToken?) throws(MethodError) -> MethodOutcome {
        let start = EngineBenchmark.now()
        let q: QuantizedTensor
        do {
            q = try Quantizer.quantize(problem.weight, scheme: .integer(problem.scheme), granularity: problem.granularity, token: token)
        } catch .cancelled {
            throw .cancelled
        } catch {
            throw .unsupportedGranularity("\(problem.granularity) (\(error))")
        }
        let rows = problem.outputs, perRow = problem.groupsPerRow, g = problem.groupSize
        var scales = q.scales, zeros = q.zeroPoints ?? [Int32](repeating: 0, count: q.scales.count)
        if case .tensor = problem.granularity {
            scales = [Float](repeating: q.scales[0], count: rows)
            zeros = [Int32](repeating: zeros[0], count: rows)
        }
        let codes = MethodCodes(scheme: problem.scheme, granularity: problem.granularity, shape: problem.weight.shape,
                                codes: q.codes, scales: scales, zeroPoints: zeros, groupsPerRow: perRow,
                                groupIndex: (0..<problem.inputs).map { Int32($0 / g) })
        return MethodOutcome(method: .rtn, weight: q.dequantized, codes: codes, milliseconds: EngineBenchmark.now() - start)
    }
}
