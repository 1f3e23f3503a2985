import Foundation
import Testing
@testable import QuantEngine

/// The MLP's backward pass and the fake quantizer with its straight-through
/// gradient, against numpy's float64 values (`tools/make_qat_fixtures.py`),
/// and against finite differences of our own loss (docs/contract.md §13).
@Suite struct QATGradientTests {
    private struct BadFixture: Error, CustomStringConvertible {
        let key: String
        var description: String { "qat fixture: '\(key)' is missing or malformed" }
    }

    /// The model of a fixture object.
    private static func model(_ object: [String: Any]) throws -> MLP {
        guard let m = object["model"] as? [String: Any], let sizes = m.ints("sizes") else { throw BadFixture(key: "model") }
        let weights = try doubles2(m, "weights").map { $0.map(Float.init) }
        let biases = try doubles2(m, "biases").map { $0.map(Float.init) }
        return MLP(sizes: sizes, weights: weights, biases: biases)
    }

    private static func floats(_ object: [String: Any], _ key: String) throws -> [Float] {
        guard let list = object[key] as? [Any] else { throw BadFixture(key: key) }
        let values = list.compactMap(JSONNumber.double).map(Float.init)
        guard values.count == list.count else { throw BadFixture(key: key) }
        return values
    }

    private static func doubles2(_ object: [String: Any], _ key: String) throws -> [[Double]] {
        guard let rows = object[key] as? [Any] else { throw BadFixture(key: key) }
        return try rows.map { row in
            guard let list = row as? [Any] else { throw BadFixture(key: key) }
            let values = list.compactMap(JSONNumber.double)
            guard values.count == list.count else { throw BadFixture(key: key) }
            return values
        }
    }

    private static func labels(_ object: [String: Any]) throws -> [Int] {
        guard let labels = object.ints("labels") else { throw BadFixture(key: "labels") }
        return labels
    }

    private static func loss(_ object: [String: Any]) throws -> Double {
        guard let loss = object.double("loss") else { throw BadFixture(key: "loss") }
        return loss
    }

    private static func gradientCase() throws -> [String: Any] {
        guard let object = try Fixtures.json("qat/gradients.json") as? [String: Any] else { throw BadFixture(key: "gradients.json") }
        return object
    }

    /// Float32 forward/backward against float64: a relative bound of 1e-4
    /// of the largest gradient in the layer, plus 1e-6.
    private static func expectClose(_ got: [[Float]], _ want: [[Double]], _ what: String) {
        #expect(got.count == want.count, "\(what): layer count")
        for (l, (g, w)) in zip(got, want).enumerated() {
            #expect(g.count == w.count, "\(what) layer \(l): size")
            let scale = w.map(abs).max() ?? 0
            for (i, (a, b)) in zip(g, w).enumerated() where abs(Double(a) - b) > 1e-4 * scale + 1e-6 {
                Issue.record("\(what) layer \(l) [\(i)]: \(a), numpy \(b)")
                return
            }
        }
    }

    @Test func lossAndGradientsMatchNumpy() throws {
        let object = try Self.gradientCase()
        let model = try Self.model(object)
        let inputs = try Self.floats(object, "inputs")
        let labels = try Self.labels(object)
        let step = model.lossAndGradients(inputs: inputs, labels: labels)
        let loss = try Self.loss(object)
        #expect(abs(step.loss - loss) <= 1e-6 * max(1, loss), "loss \(step.loss), numpy \(loss)")
        Self.expectClose(step.gradients.weights, try Self.doubles2(object, "grad_weights"), "∂L/∂W")
        Self.expectClose(step.gradients.biases, try Self.doubles2(object, "grad_biases"), "∂L/∂b")
    }

    /// Central differences of the loss in every parameter (h = 1e-2; the
    /// fixture's points are at least 1e-3 from ReLU's kink, and the loss is
    /// smooth between kinks, so the bound is loose only for float32 noise).
    @Test func gradientsMatchFiniteDifferences() throws {
        let object = try Self.gradientCase()
        let model = try Self.model(object)
        let inputs = try Self.floats(object, "inputs")
        let labels = try Self.labels(object)
        let analytic = model.lossAndGradients(inputs: inputs, labels: labels).gradients
        let h: Float = 1e-3
        func loss(_ m: MLP) -> Double { m.evaluate(inputs: inputs, labels: labels).loss }
        var worst = 0.0
        for l in 0..<model.layerCount {
            for i in 0..<model.weights[l].count {
                var up = model, down = model
                up.weights[l][i] += h
                down.weights[l][i] -= h
                let numeric = (loss(up) - loss(down)) / Double(2 * h)
                worst = max(worst, abs(numeric - Double(analytic.weights[l][i])))
            }
            for j in 0..<model.biases[l].count {
                var up = model, down = model
                up.biases[l][j] += h
                down.biases[l][j] -= h
                let numeric = (loss(up) - loss(down)) / Double(2 * h)
                worst = max(worst, abs(numeric - Double(analytic.biases[l][j])))
            }
        }
        #expect(worst < 2e-3, "largest |finite difference − backprop| = \(worst)")
    }

    @Test(arguments: [2, 3, 4]) func fakeQuantizationAndStraightThroughMatchNumpy(bits: Int) throws {
        let cases = try Fixtures.objects("qat/fake_quant.json")
        guard let object = cases.first(where: { $0.int("bits") == bits }) else { throw BadFixture(key: "bits \(bits)") }
        let model = try Self.model(object)
        let quantizer = FakeQuantizer(bits: bits)
        let expected = try Self.doubles2(object, "quantized_weights")
        let got = quantizer.quantizedWeights(of: model)
        for l in 0..<model.layerCount {
            let want = expected[l].map(Float.init)
            // Equal as numbers: numpy's s·q is −0 where q rounds to −0, ours +0.
            if let bad = zip(got[l], want).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
                Issue.record("int\(bits) layer \(l): Ŵ[\(bad.offset)] = \(bad.element.0), numpy \(bad.element.1)")
            }
        }
        let step = quantizer.straightThroughStep(model, inputs: try Self.floats(object, "inputs"),
                                                 labels: try Self.labels(object))
        let loss = try Self.loss(object)
        #expect(abs(step.loss - loss) <= 1e-6 * max(1, loss), "loss \(step.loss), numpy \(loss)")
        Self.expectClose(step.gradients.weights, try Self.doubles2(object, "ste_grad_weights"), "STE ∂L/∂W int\(bits)")
        Self.expectClose(step.gradients.biases, try Self.doubles2(object, "ste_grad_biases"), "STE ∂L/∂b int\(bits)")
    }

    /// The seeded exp, log, sin and cos agree with the platform's libm to a
    /// few ULP over the ranges training uses.
    @Test func seededMathAgreesWithLibm() {
        var worst = 0.0
        for i in 0..<2001 {
            let x = -40 + Double(i) * 0.04
            worst = max(worst, abs(SeededMath.exp(x) - Foundation.exp(x)) / Foundation.exp(x))
            let y = Double(i + 1) * 0.37
            worst = max(worst, abs(SeededMath.log(y) - Foundation.log(y)) / max(1e-300, abs(Foundation.log(y))))
            let t = -20 + Double(i) * 0.02
            worst = max(worst, abs(SeededMath.sin(t) - Foundation.sin(t)))
            worst = max(worst, abs(SeededMath.cos(t) - Foundation.cos(t)))
        }
        #expect(worst < 1e-13, "worst relative difference \(worst)")
        #expect(SeededMath.exp(-800) == 0 && SeededMath.exp(800) == .infinity && SeededMath.log(0) == -.infinity)
        #expect(SeededMath.log(-1).isNaN && SeededMath.exp(.nan).isNaN)
    }
}
