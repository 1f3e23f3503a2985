/// What a checkpoint's weights take in memory under each storage format
/// (docs/contract.md §15, the tour's first lesson): counted from the shapes
/// alone with `StorageCost`, so a multi-GB model costs nothing to measure.
/// The weights are those `scan` covers (rank ≥ 2); norms and biases stay in
/// float in every real format, so they are left out of every row alike.
public struct ModelFootprint: Sendable {
    public struct Row: Sendable, Equatable {
        /// `f32`, `int4 group:128`…
        public var format: String
        public var bitsPerWeight: Double
        public var bytes: Int
    }

    public var weights: Int
    public var elements: Int
    public var rows: [Row]

    /// The formats the lesson compares, in falling size: each with the
    /// granularity real toolkits use for it.
    public static let formats: [(name: String, scheme: Scheme?, bits: Int, granularity: Granularity)] = [
        ("f32", nil, 32, .tensor),
        ("bf16", nil, 16, .tensor),
        ("int8 channel", .integer(IntegerScheme(bits: 8, mode: .symmetric)), 8, .channel(axis: 0)),
        ("fp8-e4m3 tensor", .float(.e4m3fn), 8, .tensor),
        ("int4 group:128", .integer(IntegerScheme(bits: 4, mode: .symmetric)), 4, .group(size: 128)),
        ("nf4 (blocks of 64)", .nf4, 4, .group(size: 64)),
    ]

    public init(_ checkpoint: Checkpoint) {
        let infos = ModelScan.weights(of: checkpoint)
        let total = infos.reduce(0) { $0 + $1.elementCount }
        weights = infos.count
        elements = total
        rows = ModelFootprint.formats.map { format in
            var bytes = 0
            for info in infos {
                let n = info.elementCount
                guard let scheme = format.scheme else { bytes += n * format.bits / 8; continue }
                let height = info.shape.first ?? 1, columns = n / max(height, 1)
                let groups: Int
                switch format.granularity {
                case .channel: groups = height
                case .group(let g) where scheme == .nf4: groups = (n + g - 1) / g
                case .group(let g): groups = height * ((columns + g - 1) / g)
                default: groups = 1
                }
                bytes += StorageCost(scheme: scheme, elements: n, groups: groups).bytes
            }
            let bits = total == 0 ? 0 : Double(bytes * 8) / Double(total)
            return Row(format: format.name, bitsPerWeight: bits, bytes: bytes)
        }
    }
}
