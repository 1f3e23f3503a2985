/// Every scheme quantscope knows at the granularities a sweep tries
/// (docs/contract.md §7, `sweep`): each catalog scheme at tensor, channel,
/// group:32, group:64 and group:128 where its rule allows them; the
/// bitsandbytes formats at blocks of 32, 64 and 128; MX and GGUF at their
/// own blocks. Asymmetric and unsigned integers are included: the point is
/// to see which format buys the most accuracy per bit. The seed's own
/// conventions (`intB-full`, `intB-asym-exact`, docs/contract.md §10) are
/// left out: they are there to compare with the text, not candidates.
public enum SchemeSweep {
    public static let groupSizes = [32, 64, 128]

    public static func settings(rank: Int) -> [ModelScan.Setting] {
        var out = [ModelScan.Setting]()
        for entry in SchemeCatalog.entries {
            if case .integer(let s) = entry.scheme, s.mode == .full || s.mode == .asymmetricExact { continue }
            switch entry.rule {
            case .fixedGroup:
                out.append(.init(scheme: entry.scheme, granularity: nil))
            case .flattenedGroups:
                for size in groupSizes { out.append(.init(scheme: entry.scheme, granularity: .group(size: size))) }
            case .any:
                var granularities: [Granularity] = [.tensor]
                if rank >= 2 { granularities.append(.channel(axis: 0)) }
                granularities += groupSizes.map { .group(size: $0) }
                for g in granularities { out.append(.init(scheme: entry.scheme, granularity: g)) }
            }
        }
        return out
    }
}
