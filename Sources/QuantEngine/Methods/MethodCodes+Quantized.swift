/// `MethodCodes` from a `QuantizedTensor` of the problem's weight shape, for
/// methods whose last step is the plain quantizer (AWQ, SmoothQuant).
extension MethodCodes {
    /// The codes, scales and zero-points of `q` in the [out, groupsPerRow]
    /// layout (`tensor`'s one scale repeated per row), the natural group order.
    init(quantized q: QuantizedTensor, problem: LayerProblem, columnScales: [Float]?) {
        let rows = problem.outputs, g = problem.groupSize
        var scales = q.scales, zeros = q.zeroPoints ?? [Int32](repeating: 0, count: q.scales.count)
        if case .tensor = problem.granularity {
            scales = [Float](repeating: q.scales[0], count: rows)
            zeros = [Int32](repeating: zeros[0], count: rows)
        }
        self.init(scheme: problem.scheme, granularity: problem.granularity, shape: problem.weight.shape,
                  codes: q.codes, scales: scales, zeroPoints: zeros, groupsPerRow: problem.groupsPerRow,
                  groupIndex: (0..<problem.inputs).map { Int32($0 / g) }, columnScales: columnScales)
    }
}
