import Foundation

/// Running sums behind `ErrorMetrics`, mergeable across workers and groups.
public struct MetricsAccumulator: Sendable, Equatable {
    public var finite = 0
    public var nonfinite = 0
    /// Finite originals whose approximation is ±Inf or NaN; they add nothing to the sums.
    public var nonfiniteOutput = 0
    public var sumSquaredError = 0.0
    public var sumAbsError = 0.0
    public var maxAbsError = 0.0
    public var sumSquares = 0.0
    public var sumSquaresApprox = 0.0
    public var sumProducts = 0.0

    public init() {}

    /// Float32 SIMD lanes for one short run (at most 256 elements); `flush` moves them into the Float64 sums.
    struct Partial {
        var squaredError = FloatVector()
        var absError = FloatVector()
        var maxAbsError = FloatVector()
        var squares = FloatVector()
        var squaresApprox = FloatVector()
        var products = FloatVector()

        /// Adds a vector of originals and their approximations (lanes beyond
        /// the data hold 0 and 0); returns the squared errors.
        @inline(__always)
        mutating func add(_ x: FloatVector, _ approx: FloatVector) -> FloatVector {
            let e = x - approx
            let squared = e * e
            squaredError += squared
            let magnitude = FloatVector(bitPattern: WordVector(bitPattern: e) & 0x7FFF_FFFF)
            absError += magnitude
            maxAbsError = maxAbsError.replacing(with: magnitude, where: magnitude .> maxAbsError)
            squares += x * x
            squaresApprox += approx * approx
            products += x * approx
            return squared
        }
    }

    @inline(__always)
    mutating func flush(_ p: inout Partial) {
        sumSquaredError += Double(p.squaredError.treeSum())
        sumAbsError += Double(p.absError.treeSum())
        maxAbsError = max(maxAbsError, Double(p.maxAbsError.treeMax()))
        sumSquares += Double(p.squares.treeSum())
        sumSquaresApprox += Double(p.squaresApprox.treeSum())
        sumProducts += Double(p.products.treeSum())
        p = Partial()
    }

    /// Adds one finite original and its approximation, in Float64; an
    /// approximation that is ±Inf or NaN is only counted.
    @inline(__always)
    public mutating func add(_ x: Float, _ approx: Float) {
        finite += 1
        guard approx.isFinite else {
            nonfiniteOutput += 1
            return
        }
        let xd = Double(x), ad = Double(approx)
        let e = xd - ad
        sumSquaredError += e * e
        sumAbsError += abs(e)
        maxAbsError = max(maxAbsError, abs(e))
        sumSquares += xd * xd
        sumSquaresApprox += ad * ad
        sumProducts += xd * ad
    }

    public mutating func merge(_ other: MetricsAccumulator) {
        finite += other.finite
        nonfinite += other.nonfinite
        nonfiniteOutput += other.nonfiniteOutput
        sumSquaredError += other.sumSquaredError
        sumAbsError += other.sumAbsError
        maxAbsError = max(maxAbsError, other.maxAbsError)
        sumSquares += other.sumSquares
        sumSquaresApprox += other.sumSquaresApprox
        sumProducts += other.sumProducts
    }

    /// The docs/contract.md §6 metrics; `elements` counts every element, finite or not.
    ///
    /// The SIMD runs (`Partial`) do not count non-finite approximations: the
    /// codecs that use them give a finite x̂ for every finite x below 2^50
    /// (their scale is finite by the degenerate-group rule of §1), and larger
    /// groups take the Float64 `add` path, which does count them.
    public func metrics(elements: Int) -> ErrorMetrics {
        guard nonfiniteOutput == 0 else {
            return ErrorMetrics(elements: elements, nonfinite: nonfinite, nonfiniteOutput: nonfiniteOutput,
                                mse: .nan, mae: .nan, maxAbsError: .nan, sqnrDecibels: .nan, cosine: nil,
                                signalEnergy: sumSquares, errorEnergy: .nan)
        }
        guard finite > 0 else {
            var empty = ErrorMetrics.empty
            empty.elements = elements
            empty.nonfinite = nonfinite
            return empty
        }
        let n = Double(finite)
        let exact = maxAbsError == 0
        let sqnr: Double = exact ? .infinity : 10 * log10(sumSquares / sumSquaredError)
        let cosine: Double?
        if exact {
            cosine = 1
        } else if sumSquares == 0 || sumSquaresApprox == 0 {
            cosine = nil
        } else {
            cosine = sumProducts / (sumSquares.squareRoot() * sumSquaresApprox.squareRoot())
        }
        return ErrorMetrics(elements: elements, nonfinite: nonfinite, nonfiniteOutput: 0, mse: sumSquaredError / n, mae: sumAbsError / n,
                            maxAbsError: maxAbsError, sqnrDecibels: sqnr, cosine: cosine,
                            signalEnergy: sumSquares, errorEnergy: sumSquaredError)
    }
}
