/// The synthetic task the PTQ-vs-QAT demo trains on (docs/contract.md §13):
/// three interleaved spiral arms in the plane, one class each, with a
/// little noise. Seeded, so the same seed gives the same points everywhere.
///
/// Arm c holds points at radius r = t (t uniform in [0.05, 1)) and angle
/// θ = 2π·c/3 + 2π·turns·t, each coordinate jittered by `noise` times a
/// sum of four uniforms (a bell with σ ≈ 0.58·noise). The train and test
/// splits are independent draws from the same distribution.
public struct SpiralTask: Sendable, Equatable {
    /// Points as [count, 2] row-major (x, y), within about [−1.1, 1.1].
    public var trainInputs: [Float]
    public var trainLabels: [Int]
    public var testInputs: [Float]
    public var testLabels: [Int]
    public let classes: Int
    /// `spirals-3`: what the CLI's JSON calls the task.
    public var name: String { "spirals-\(classes)" }

    public static let features = 2

    /// Draws `train` and `test` points (rounded down to a multiple of `classes`).
    public init(seed: UInt64, classes: Int = 3, train: Int = 900, test: Int = 300,
                turns: Double = 1.25, noise: Double = 0.035) {
        precondition(classes >= 2 && train >= classes && test >= classes)
        self.classes = classes
        var rng = SplitMix64(seed: seed ^ 0x5350_4952_414C_5321)
        (trainInputs, trainLabels) = Self.draw(train / classes, classes, turns, noise, &rng)
        (testInputs, testLabels) = Self.draw(test / classes, classes, turns, noise, &rng)
    }

    /// `perClass` points of every class, interleaved class by class so any
    /// prefix is balanced.
    private static func draw(_ perClass: Int, _ classes: Int, _ turns: Double, _ noise: Double,
                             _ rng: inout SplitMix64) -> ([Float], [Int]) {
        var inputs: [Float] = []
        var labels: [Int] = []
        inputs.reserveCapacity(perClass * classes * 2)
        labels.reserveCapacity(perClass * classes)
        for _ in 0..<perClass {
            for c in 0..<classes {
                let t = 0.05 + 0.95 * SeededMath.unit(&rng)
                let angle = 2 * Double.pi * (Double(c) / Double(classes) + turns * t)
                let x = t * SeededMath.cos(angle) + noise * bell(&rng)
                let y = t * SeededMath.sin(angle) + noise * bell(&rng)
                inputs.append(Float(x))
                inputs.append(Float(y))
                labels.append(c)
            }
        }
        return (inputs, labels)
    }

    /// A sum of four uniforms in [−0.5, 0.5): mean 0, σ = 1/√3 ≈ 0.58.
    private static func bell(_ rng: inout SplitMix64) -> Double {
        var s = 0.0
        for _ in 0..<4 { s += SeededMath.unit(&rng) - 0.5 }
        return s
    }
}
