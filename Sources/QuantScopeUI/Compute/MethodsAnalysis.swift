import QuantEngine

/// The Methods view's numbers for the open weight (docs/contract.md §16.6):
/// each weight method's weight and held-out output error, its time and
/// trace, filled in one method at a time.
public struct MethodsAnalysis: Sendable {
    public struct Entry: Sendable {
        public var method: WeightMethod
        public var weight: ErrorMetrics
        public var output: ErrorMetrics
        public var milliseconds: Double
        public var trace: MethodTrace?
        /// Why the method has no figures (nil when it ran).
        public var failure: String?
    }

    /// The settings these are for: a new one is asked for when they change.
    public var key: String
    /// `int4 group:128`.
    public var setting: String
    public var activationsLabel: String
    public var calibrationTokens: Int
    public var heldOutTokens: Int
    public var rows: Int
    public var columns: Int
    public var entries: [Entry]
    /// True once every method ran.
    public var complete: Bool
}

/// What to run: the open weight under an integer scheme and granularity.
public struct MethodsRequest: Sendable {
    public var weight: LoadedTensor
    public var scheme: Scheme
    public var granularity: Granularity
    public var key: String
    /// Calibration tokens, and as many held out (fewer than the CLI's 512: the explorer stays quick).
    public var tokens = 128
    public var methods: [WeightMethod] = WeightMethod.spellings.compactMap { try? WeightMethod(parsing: $0) }

    /// The explorer's settings as a method setting: an intB scheme as it is
    /// (int4 when the scheme is not an integer one), its granularity when a
    /// method takes it, else group:128 (channel for rows of 128 or fewer).
    public init(weight: LoadedTensor, settings: QuantSettings) {
        self.weight = weight
        let columns = weight.columns
        let fallback: Granularity = columns > 128 ? .group(size: 128) : .channel(axis: 0)
        if case .integer = settings.scheme {
            scheme = settings.scheme
            switch settings.granularity(rank: 2) {
            case .channel(axis: 0): granularity = .channel(axis: 0)
            case .group(let g): granularity = .group(size: g)
            case .tensor: granularity = .tensor
            default: granularity = fallback
            }
        } else {
            scheme = .integer(IntegerScheme(bits: 4, mode: .symmetric))
            granularity = fallback
        }
        key = "\(weight.ref.file).\(weight.ref.tensor) \(scheme) \(granularity)"
    }
}

/// Runs the methods one after another (off the UI thread), handing back
/// the analysis so far after each.
public enum MethodsAnalyzer {
    public static func run(_ request: MethodsRequest, token: WorkToken? = nil, post: (MethodsAnalysis) -> Void) throws(MethodError) {
        let w = request.weight.tensor
        let k = request.weight.columns
        let a = MethodActivations.synthetic(.correlated, tokens: request.tokens, features: k)
        let problem = try LayerProblem(weight: Tensor(shape: [request.weight.rows, k], values: w.values),
                                       calibration: Tensor(shape: [a.calibrationTokens, k], values: a.calibration),
                                       test: Tensor(shape: [a.heldOutTokens, k], values: a.heldOut),
                                       scheme: request.scheme, granularity: request.granularity, activationSource: a.label)
        var result = MethodsAnalysis(key: request.key, setting: "\(request.scheme) \(request.granularity)", activationsLabel: a.label,
                                     calibrationTokens: a.calibrationTokens, heldOutTokens: a.heldOutTokens,
                                     rows: request.weight.rows, columns: k, entries: [], complete: false)
        for method in request.methods {
            if token?.isCancelled == true { throw .cancelled }
            do throws(MethodError) {
                let (outcome, evaluation) = try Methods.evaluate(method, on: problem, token: token)
                result.entries.append(.init(method: method, weight: evaluation.weight, output: evaluation.output,
                                            milliseconds: outcome.milliseconds, trace: outcome.trace, failure: nil))
            } catch .cancelled {
                throw .cancelled
            } catch {
                result.entries.append(.init(method: method, weight: .empty, output: .empty, milliseconds: 0, trace: nil, failure: error.description))
            }
            result.complete = result.entries.count == request.methods.count
            post(result)
        }
    }
}
