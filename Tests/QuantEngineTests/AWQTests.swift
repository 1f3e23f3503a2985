import Foundation
import Testing
@testable import QuantEngine

/// AWQ (docs/contract.md §16.4) against numpy (`tools/make_awq_fixtures.py`)
/// and against its plain twin `AWQReference`.
///
/// The hand case `awq-hand`: W = [[.3, −.2, .1, .05], [−.4, .25, .15, −.07]],
/// three tokens with inputs 0–2 at ±0.5 and input 3 at ±8, int3-asym per row,
/// α ∈ {0, .25, .5, .75}. a = [.5, .5, .5, 8]; at α = .5, s = a^.5 /
/// √(√8·√.5) = [.5, .5, .5, 2]: input 3's weights double in the scaled row
/// (their rounding error, which the output feels ×8, is halved once mapped
/// back) while inputs 0–2 halve (their step doubles, felt ×0.5). numpy's loss
/// drops from 0.0310 (α = 0, plain RTN) to 0.00062 at α = .5, the choice.
@Suite struct AWQTests {
    static let path = "methods/awq-smoothquant.json"
    static let numpyCases = ["awq-hand", "awq-int4-asym-g16-clip", "awq-int3-asym-channel", "awq-int4-sym-g32", "awq-int3-asym-g16-clip"]

    static func floats(_ c: [String: Any], _ key: String) -> [Float] {
        ((c[key] as? [Any]) ?? []).map { Float(JSONNumber.double($0) ?? .nan) }
    }

    static func doubles(_ c: [String: Any], _ key: String) -> [Double] {
        ((c[key] as? [Any]) ?? []).map { JSONNumber.double($0) ?? .nan }
    }

    static func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    @Test(arguments: numpyCases)
    func matchesNumpy(_ name: String) throws {
        let c = try Fixtures.namedCase(Self.path, name)
        let n = try #require(c.int("n")), k = try #require(c.int("k")), m = try #require(c.int("m"))
        let bits = try #require(c.int("bits")), group = try #require(c.int("group")), grid = try #require(c.int("grid"))
        let asym = c["asym"] as? Bool ?? false, clip = c["clip"] as? Bool ?? false
        let scheme = IntegerScheme(bits: bits, mode: asym ? .asymmetric : .symmetric)
        let granularity: Granularity = group >= k ? .channel(axis: 0) : .group(size: group)
        let r = try AWQ.quantize(weight: Self.floats(c, "w"), rows: n, columns: k, activations: Self.floats(c, "x"), tokens: m,
                                 scheme: scheme, granularity: granularity, options: AWQOptions(gridSize: grid, clipSearch: clip))
        #expect(r.trace.activationMagnitude == Self.floats(c, "a"))
        #expect(r.trace.chosenIndex == c.int("chosen"))
        #expect(r.trace.scales == Self.floats(c, "scales"))
        let losses = Self.doubles(c, "losses")
        #expect(losses.count == grid)
        for (mine, theirs) in zip(r.trace.gridLosses, losses) {
            #expect(abs(mine - theirs) <= 1e-4 * theirs, "loss \(mine) vs numpy \(theirs)")
        }
        #expect(r.weight == Self.floats(c, "weight"), "Ŵ differs from numpy by up to \(Self.maxAbsDifference(r.weight, Self.floats(c, "weight")))")
        if clip {
            #expect(r.trace.clipRatios == Self.floats(c, "clip_ratios"))
            let clipped = try #require(c.double("clipped_loss"))
            #expect(abs((r.trace.clippedLoss ?? .nan) - clipped) <= 1e-4 * clipped)
        }
    }

    @Test func handCaseChoosesHalf() throws {
        let c = try Fixtures.namedCase(Self.path, "awq-hand")
        #expect(c.int("chosen") == 2)
        #expect(Self.floats(c, "scales") == [0.5, 0.5, 0.5, 2])
    }

    /// Random layers with two loud input columns, for every bit width and
    /// both modes, at `channel` and `group:16`, with and without the clip search.
    static let referenceCases: [(bits: Int, mode: IntegerScheme.Mode, group: Int?, clip: Bool)] = [
        (2, .asymmetric, 16, false), (3, .symmetric, nil, false), (4, .asymmetric, 32, true), (4, .asymmetric, nil, true),
        (5, .unsigned, 16, false), (6, .symmetric, 16, true), (8, .symmetric, nil, false), (3, .asymmetric, 16, true),
    ]

    @Test(arguments: referenceCases.indices)
    func matchesReference(_ index: Int) throws {
        let c = Self.referenceCases[index]
        let n = 10, k = 64, m = 40
        let w = EngineBenchmark.gaussian(rows: n, columns: k, seed: 100 + UInt64(index)).values.map { $0 * 0.05 }
        let x = SyntheticActivations.outliers(tokens: m, features: k, seed: 200 + UInt64(index)).values
        let scheme = IntegerScheme(bits: c.bits, mode: c.mode)
        let options = AWQOptions(gridSize: 20, clipSearch: c.clip)
        let fast = try AWQ.quantize(weight: w, rows: n, columns: k, activations: x, tokens: m, scheme: scheme,
                                    granularity: c.group.map { .group(size: $0) } ?? .channel(axis: 0), options: options)
        let slow = AWQReference.quantize(weight: w, rows: n, columns: k, activations: x, tokens: m, scheme: scheme,
                                         group: c.group ?? k, options: options)
        #expect(fast.trace.activationMagnitude == slow.trace.activationMagnitude)
        #expect(fast.trace.chosenIndex == slow.trace.chosenIndex)
        #expect(fast.trace.scales == slow.trace.scales)
        #expect(fast.trace.clipRatios == slow.trace.clipRatios)
        #expect(fast.weight == slow.weight, "Ŵ differs by up to \(Self.maxAbsDifference(fast.weight, slow.weight))")
        for (a, b) in zip(fast.trace.gridLosses, slow.trace.gridLosses) {
            #expect(abs(a - b) <= 1e-4 * b, "loss \(a) vs reference \(b)")
        }
    }

    /// α = 0 makes every s_j 1: the first grid point is plain RTN, so the
    /// chosen loss is never above RTN's.
    @Test func firstGridPointIsRoundToNearest() throws {
        let n = 8, k = 48, m = 32
        let w = EngineBenchmark.gaussian(rows: n, columns: k, seed: 3).values
        let x = SyntheticActivations.outliers(tokens: m, features: k, seed: 4).values
        let scheme = IntegerScheme(bits: 4, mode: .asymmetric)
        let one = try AWQ.quantize(weight: w, rows: n, columns: k, activations: x, tokens: m, scheme: scheme,
                                   granularity: .group(size: 16), options: AWQOptions(gridSize: 1))
        let rtn = try Quantizer.quantize(Tensor(shape: [n, k], values: w), scheme: .integer(scheme), granularity: .group(size: 16))
        #expect(one.weight == rtn.dequantized)
        let full = try AWQ.quantize(weight: w, rows: n, columns: k, activations: x, tokens: m, scheme: scheme, granularity: .group(size: 16))
        #expect(full.trace.gridLosses[0] == one.trace.gridLosses[0])
        #expect(full.trace.loss <= full.trace.roundToNearestLoss)
    }

    @Test func deterministic() throws {
        let w = Tensor(shape: [16, 64], values: EngineBenchmark.gaussian(rows: 16, columns: 64, seed: 9).values)
        let problem = try LayerProblem.synthetic(weight: w, scheme: .integer(IntegerScheme(bits: 3, mode: .asymmetric)),
                                                 granularity: .group(size: 32), tokens: 64, testTokens: 32, seed: 11)
        let a = try Methods.run(.awq(AWQOptions(clipSearch: true)), on: problem)
        let b = try Methods.run(.awq(AWQOptions(clipSearch: true)), on: problem)
        #expect(a.weight == b.weight)
        #expect(a.awqTrace == b.awqTrace)
        #expect(a.codes == b.codes)
    }

    /// The outcome's codes are those of W·diag(s): dequantized and divided
    /// by their column scales they give Ŵ.
    @Test func outcomeCodesGiveTheWeight() throws {
        let w = Tensor(shape: [12, 64], values: EngineBenchmark.gaussian(rows: 12, columns: 64, seed: 5).values)
        for clip in [false, true] {
            let problem = try LayerProblem.synthetic(weight: w, scheme: .integer(IntegerScheme(bits: 4, mode: .asymmetric)),
                                                     granularity: .group(size: 16), tokens: 48, testTokens: 16, seed: 6)
            let outcome = try Methods.run(.awq(AWQOptions(clipSearch: clip)), on: problem)
            let s = try #require(outcome.codes.columnScales)
            #expect(s == outcome.awqTrace?.scales)
            var back = outcome.codes.dequantized()
            AWQ.unscale(&back, columns: 64, by: s)
            #expect(back == outcome.weight)
            #expect(outcome.awqTrace?.clipRatios?.count == (clip ? 12 * 4 : nil))
            #expect(outcome.activationScales == nil && !outcome.activationsQuantized)
        }
    }

    /// Degenerate layers: one weight, a dead input channel (a_j = 0, and
    /// s_j clamped to 1e-4 before normalising), a constant weight, `tensor`
    /// granularity. No NaN, and never worse than RTN on the calibration set.
    @Test func degenerateLayersStayFinite() throws {
        let cases: [(w: [Float], x: [Float], n: Int, k: Int, m: Int, g: Granularity)] = [
            ([0.5], [2], 1, 1, 1, .channel(axis: 0)),
            ([0.5, -0.25, 1, 0.75], [0, 3, 0, -1, 0, 2], 2, 2, 3, .channel(axis: 0)),
            ([Float](repeating: 0.3, count: 32), (0..<64).map { Float($0 % 7) - 3 }, 2, 16, 4, .group(size: 8)),
            (EngineBenchmark.gaussian(rows: 6, columns: 24, seed: 8).values,
             SyntheticActivations.outliers(tokens: 10, features: 24, seed: 9).values, 6, 24, 10, .tensor),
        ]
        for c in cases {
            for clip in [false, true] {
                let r = try AWQ.quantize(weight: c.w, rows: c.n, columns: c.k, activations: c.x, tokens: c.m,
                                         scheme: IntegerScheme(bits: 3, mode: .asymmetric), granularity: c.g,
                                         options: AWQOptions(clipSearch: clip))
                #expect(r.weight.allSatisfy { $0.isFinite } && r.trace.scales.allSatisfy { $0.isFinite && $0 > 0 })
                #expect(r.trace.loss <= r.trace.roundToNearestLoss)
                #expect(r.trace.gridLosses.allSatisfy { $0.isFinite })
            }
        }
        #expect(throws: QuantizationError.self) {
            try AWQ.quantize(weight: [1, 2, 3, 4], rows: 2, columns: 2, activations: [1, 1], tokens: 1,
                             scheme: IntegerScheme(bits: 4, mode: .asymmetric), granularity: .block(rows: 2, columns: 2))
        }
    }

    /// More tokens than one product takes (`AWQ.tokenChunk`) and more than
    /// twice the clip search's 512: the loss is summed over chunks, and the
    /// clip search looks at every ⌊1100/512⌋ = 2nd token, as the reference does.
    @Test func manyTokens() throws {
        let n = 4, k = 16, m = 1100
        let w = EngineBenchmark.gaussian(rows: n, columns: k, seed: 31).values
        let x = SyntheticActivations.outliers(tokens: m, features: k, seed: 32).values
        let scheme = IntegerScheme(bits: 3, mode: .asymmetric)
        let options = AWQOptions(clipSearch: true)
        #expect(AWQ.sampledTokens(x, tokens: m, columns: k).count == 550)
        let fast = try AWQ.quantize(weight: w, rows: n, columns: k, activations: x, tokens: m, scheme: scheme,
                                    granularity: .group(size: 8), options: options)
        let slow = AWQReference.quantize(weight: w, rows: n, columns: k, activations: x, tokens: m, scheme: scheme, group: 8, options: options)
        #expect(fast.trace.chosenIndex == slow.trace.chosenIndex)
        #expect(fast.trace.clipRatios == slow.trace.clipRatios)
        #expect(fast.weight == slow.weight)
        for (a, b) in zip(fast.trace.gridLosses, slow.trace.gridLosses) { #expect(abs(a - b) <= 1e-4 * b) }
    }

    /// Progress counts the 20 grid points and 10 clip steps to 1; a
    /// cancelled token stops the method with `.cancelled`.
    @Test func progressAndCancellation() throws {
        let w = Tensor(shape: [8, 32], values: EngineBenchmark.gaussian(rows: 8, columns: 32, seed: 41).values)
        let p = try LayerProblem.synthetic(weight: w, scheme: .integer(IntegerScheme(bits: 4, mode: .asymmetric)),
                                           granularity: .group(size: 16), tokens: 16, testTokens: 4, correlated: false)
        let token = WorkToken()
        _ = try Methods.run(.awq(AWQOptions(clipSearch: true)), on: p, token: token)
        #expect(token.fraction == 1)
        let cancelled = WorkToken()
        cancelled.cancel()
        #expect(throws: MethodError.cancelled) { try Methods.run(.awq(AWQOptions()), on: p, token: cancelled) }
        #expect(throws: MethodError.cancelled) { try Methods.run(.smoothQuant(alpha: 0.5), on: p, token: cancelled) }
    }
}

