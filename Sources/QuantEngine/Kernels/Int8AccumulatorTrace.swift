/// One W8A8 output taken apart, for teaching: every product, the Int32
/// accumulator both ways (element-wise zero-point and row-sum correction),
/// and the final scaling.
///
/// ```
///  products[k]  = q_w[n, k]·(q_x[m, k] − Z_x[m])
///  accumulator  = Σ products = rawDot − Z_x·weightRowSum,   rawDot = Σ q_w·q_x,   weightRowSum = Σ q_w
///  output       = Float(accumulator)·(S_x[m]·S_w[n])
/// ```
/// The accumulator and output equal what `W8A8Matmul` computes for the same
/// element, bit for bit.
public struct Int8AccumulatorTrace: Sendable {
    /// The token (m) and the output channel (n).
    public let token: Int
    public let channel: Int
    public let weightCodes: [Int8]
    public let activationCodes: [Int8]
    public let zeroPoint: Int32
    public let products: [Int32]
    /// Σ products after each k (what an accumulator register holds step by step).
    public let runningSums: [Int32]
    public let rawDot: Int32
    public let weightRowSum: Int32
    public let accumulator: Int32
    public let activationScale: Float
    public let weightScale: Float
    public let output: Float

    /// Traces output [token, channel] of `activations`·`weights`ᵀ.
    public init(activations a: Int8Activations, weights w: Int8ChannelWeights, token: Int, channel: Int) {
        precondition(a.columns == w.columns && (0..<a.rows).contains(token) && (0..<w.rows).contains(channel))
        self.token = token
        self.channel = channel
        weightCodes = (0..<w.columns).map { w.code(row: channel, column: $0) }
        activationCodes = (0..<a.columns).map { a.code(row: token, column: $0) }
        zeroPoint = a.zeroPoints[token]
        let z = zeroPoint
        products = zip(weightCodes, activationCodes).map { Int32($0) * (Int32($1) - z) }
        var running: Int32 = 0
        runningSums = products.map { running += $0; return running }
        rawDot = zip(weightCodes, activationCodes).reduce(0) { $0 + Int32($1.0) * Int32($1.1) }
        weightRowSum = w.rowSums[channel]
        accumulator = running
        activationScale = a.scales[token]
        weightScale = w.scales[channel]
        output = Float(accumulator) * (activationScale * weightScale)
    }
}
