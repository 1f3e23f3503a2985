import QuantEngine
import Testing
@testable import QuantScopeUI

/// The explorer's scheme keys walk exactly the engine's catalog: `s` / `S`
/// visit `SchemeCatalog.cycle` in order, `+` / `-` / `a` reach every
/// integer entry, and the granularity keys only offer what the catalog allows.
@Suite struct SchemeCycleTests {
    static func press(_ state: inout AppState, _ key: Character) {
        _ = state.handle(.input(.key(.character(key))))
    }

    @Test func sVisitsExactlyTheCatalogCycleInOrder() throws {
        var state = try TestStates.state(settings: QuantSettings(), comparisons: false)
        var forward: [SchemeCatalog.Stop] = []
        repeat {
            forward.append(state.settings.stop)
            Self.press(&state, "s")
        } while state.settings.stop != .integer && forward.count <= SchemeCatalog.cycle.count
        #expect(forward == SchemeCatalog.cycle)
        var backward: [SchemeCatalog.Stop] = []
        repeat {
            Self.press(&state, "S")
            backward.append(state.settings.stop)
        } while state.settings.stop != .integer && backward.count <= SchemeCatalog.cycle.count
        #expect(Array(backward.reversed()) == SchemeCatalog.cycle)
    }

    @Test func everySchemeReachableByKeysIsInTheCatalogAndViceVersa() throws {
        var settings = QuantSettings()
        var seen = Set<String>()
        for _ in SchemeCatalog.cycle {
            if settings.isInteger {
                for _ in QuantSettings.Symmetry.allCases {
                    while settings.changeBits(by: -1) {}
                    repeat { seen.insert(settings.scheme.description) } while settings.changeBits(by: 1)
                    _ = settings.cycleSymmetry()
                }
            } else {
                seen.insert(settings.scheme.description)
            }
            settings.nextScheme(forward: true)
        }
        #expect(seen == Set(SchemeCatalog.entries.map(\.spelling)))
    }

    @Test(arguments: SchemeCatalog.cycle)
    func granularityKeysOfferOnlyWhatTheCatalogAllows(_ stop: SchemeCatalog.Stop) {
        var settings = QuantSettings()
        settings.stop = stop
        let rule = SchemeCatalog.rule(for: settings.scheme)
        for _ in 0..<6 {
            #expect(rule.allows(settings.granularity(rank: 2)), "\(settings.spelling(rank: 2))")
            _ = settings.cycleGranularity()
            _ = settings.changeSize(larger: true)
            _ = settings.cycleAxis(rank: 2)
        }
        #expect(settings.granularityIsFixed == rule.isFixed)
    }
}
