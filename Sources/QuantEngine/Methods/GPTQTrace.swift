/// What GPTQ did column by column, in processing order (docs/contract.md §16.3).
public struct GPTQTrace: Sendable, Equatable {
    /// The original column quantized at each step (0, 1, 2 … without act-order).
    public var order: [Int]
    /// Σ over rows of (w − q)², w the column as updated when its turn came.
    public var columnError: [Double]
    /// ‖e‖·‖U[j, j+1…]‖: the Frobenius norm of the update spread to the later columns.
    public var updateNorm: [Double]
    /// Running Σ (w − q)² / (2·U[j,j]²) over rows and steps so far: the
    /// reference code's `Losses`, the proxy for the output error added.
    public var runningProxyError: [Double]

    public init(order: [Int], columnError: [Double], updateNorm: [Double], runningProxyError: [Double]) {
        self.order = order
        self.columnError = columnError
        self.updateNorm = updateNorm
        self.runningProxyError = runningProxyError
    }
}
