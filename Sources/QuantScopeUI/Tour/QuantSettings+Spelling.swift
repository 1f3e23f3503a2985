import QuantEngine

extension QuantSettings {
    /// The settings `quantscope stats --scheme S --granularity G` names, or
    /// nil when the engine does not know them (the tour's presets, tested).
    public init?(scheme text: String, granularity: String?) {
        guard let scheme = try? Scheme(parsing: text) else { return nil }
        self.init()
        select(scheme)
        guard let granularity else { return }
        switch try? Granularity(parsing: granularity) {
        case .tensor?: granularityKind = .tensor
        case .channel(let axis)?: granularityKind = .channel; channelAxis = axis
        case .group(let size)?:
            if case .flattenedGroups = rule { levelBlockSize = size } else { granularityKind = .group; groupSize = size }
        case .block(let rows, _)?: granularityKind = .block; blockSize = rows
        case nil: return nil
        }
    }
}
