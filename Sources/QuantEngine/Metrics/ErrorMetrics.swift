import Foundation

/// How far dequantized values are from the originals: docs/contract.md §6.
///
/// Computed over finite originals only; non-finite ones are counted in
/// `nonfinite`. When a finite original's approximation is ±Inf or NaN (a
/// GGUF block whose Float16 d overflowed, docs/contract.md §4, or a kernel
/// output that overflowed) the error is not a number: such elements are
/// counted in `nonfiniteOutput`, and then `mse`, `mae`, `maxAbsError`,
/// `sqnrDecibels` and `errorEnergy` are NaN and `cosine` nil, so that no
/// caller can mistake them for a measurement (docs/contract.md §6). Check
/// `isFinite` before printing them. Sums run in Float32 SIMD lanes over runs of at most 256
/// elements and are then carried in Float64 (`MetricsAccumulator`), which
/// keeps the relative error of every sum near 1e-7 without giving up the
/// SIMD speed of the quantize loop.
public struct ErrorMetrics: Sendable, Equatable {
    /// Every element, finite or not.
    public var elements: Int
    public var nonfinite: Int
    /// Finite originals whose approximation is ±Inf or NaN.
    public var nonfiniteOutput: Int
    public var mse: Double
    public var mae: Double
    public var maxAbsError: Double
    /// Σx² / Σ(x − x̂)² in decibels; +∞ when the error is exactly zero.
    public var sqnrDecibels: Double
    /// Σx·x̂ / (‖x‖‖x̂‖); 1 when x̂ equals x exactly, nil when one norm is 0 and they differ.
    public var cosine: Double?
    /// Σx² over finite elements, kept so callers can weigh groups.
    public var signalEnergy: Double
    /// Σ(x − x̂)² over finite elements.
    public var errorEnergy: Double

    public var rmse: Double { mse.squareRoot() }

    /// Whether every finite original has a finite approximation, so that the
    /// error figures are numbers (docs/contract.md §6).
    public var isFinite: Bool { nonfiniteOutput == 0 }

    /// Finite originals, whose errors the figures are over.
    public var finite: Int { elements - nonfinite }

    /// The metrics of an empty tensor (docs/contract.md §6).
    public static let empty = ErrorMetrics(elements: 0, nonfinite: 0, nonfiniteOutput: 0, mse: 0, mae: 0, maxAbsError: 0,
                                           sqnrDecibels: .infinity, cosine: 1, signalEnergy: 0, errorEnergy: 0)

    /// Compares two equal-length buffers directly (for schemes without a fused
    /// kernel); a plain Float64 loop split over the cores.
    public static func compare(_ original: UnsafeBufferPointer<Float>, _ approximation: UnsafeBufferPointer<Float>) -> ErrorMetrics {
        precondition(original.count == approximation.count)
        let parts = Parallel.map(count: original.count, minimumChunk: 1 << 16) { range -> MetricsAccumulator in
            var acc = MetricsAccumulator()
            for i in range {
                let x = original[i]
                if x.isFinite { acc.add(x, approximation[i]) } else { acc.nonfinite += 1 }
            }
            return acc
        }
        var total = MetricsAccumulator()
        for part in parts { total.merge(part) }
        return total.metrics(elements: original.count)
    }
}
