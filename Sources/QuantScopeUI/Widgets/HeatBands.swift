/// The Model view's five colour bands: equal steps between the lowest and
/// highest finite number; infinite numbers (a lossless weight) go in the top band.
struct HeatBands {
    /// The four inner edges (empty when there is no finite number).
    let edges: [Double]
    /// How many numbers there were (finite or not).
    let count: Int

    init(_ values: [Double]) {
        count = values.count
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else {
            edges = []
            return
        }
        edges = (1...4).map { lo + (hi - lo) * Double($0) / 5 }
    }

    func band(of v: Double) -> Int {
        if v == .infinity { return 4 }
        guard edges.count == 4, edges[3] > edges[0] else { return 2 }
        return edges.firstIndex { v < $0 } ?? 4
    }
}
