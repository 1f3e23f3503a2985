/// AWQ's knobs (Lin et al. 2023; docs/contract.md §16).
public struct AWQOptions: Hashable, Sendable {
    /// Points of the α grid in [0, 1) searched for s = mean|x|^α.
    public var gridSize: Int
    /// Also search a clipping ratio per group after scaling.
    public var clipSearch: Bool

    public init(gridSize: Int = 20, clipSearch: Bool = false) {
        self.gridSize = max(1, gridSize)
        self.clipSearch = clipSearch
    }
}
