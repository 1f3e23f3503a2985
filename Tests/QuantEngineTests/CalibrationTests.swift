import Foundation
import Testing
@testable import QuantEngine

/// Calibration (docs/contract.md §12) against numpy: percentiles of |x| and
/// the symmetric per-tensor quantizer's MSE at the coarse grid's clips
/// (fixtures by tools/make_calibration_fixtures.py). Tolerances: 1e-12
/// relative on percentiles (both float64 from the same float32 values),
/// 1e-6 relative on MSE (our sums run in float32 lanes of 256, then float64).
@Suite("Calibration against numpy")
struct CalibrationTests {
    static var cases: [[String: Any]] { (try? Fixtures.objects("calibration/cases.json")) ?? [] }

    static func tensor(_ file: String) throws -> Tensor {
        let checkpoint = try Checkpoint.open(Fixtures.url("calibration/" + file).path)
        return try checkpoint.load(checkpoint.tensors[0])
    }

    static func heavy() throws -> (Tensor, [String: Any]) {
        let c = try #require(cases.first { $0.string("file") == "heavy.npy" })
        return (try tensor("heavy.npy"), c)
    }

    @Test func bothCasesAreThere() { #expect(Self.cases.count == 2) }

    @Test(arguments: ["heavy.npy", "nan.npy"])
    func percentilesMatchNumpyLinear(_ file: String) throws {
        let c = try #require(Self.cases.first { $0.string("file") == file })
        let x = try Self.tensor(file)
        let expected = try #require(c.object("percentiles"))
        let ps = expected.keys.compactMap(Double.init).sorted()
        let measured = x.values.withUnsafeBufferPointer { AbsolutePercentile($0, percentiles: ps) }
        #expect(Float(measured.maxAbs) == c.double("max_abs").map(Float.init), "\(file): max |x| (JSON read a few Float64 ulps off on Linux)")
        for (p, value) in zip(ps, measured.values) {
            let want = try #require(expected.double("\(p)"))
            let got = try #require(value)
            #expect(abs(got - want) <= 1e-12 * want, "\(file): percentile \(p): \(got) vs numpy \(want)")
        }
    }

    @Test(arguments: ["int8", "int4"])
    func curveMatchesNumpy(_ spelling: String) throws {
        let (x, c) = try Self.heavy()
        let clips = try #require(c["clips"] as? [Double]).map(Float.init)
        let want = try #require(c.object("schemes")?[spelling] as? [Double])
        let scheme = try Scheme(parsing: spelling)
        let curve = try Calibrator.curve(x, scheme: scheme, granularity: .tensor, clips: clips)
        #expect(curve.points.count == clips.count)
        // calibrate()'s own curve holds the same coarse grid.
        let result = try Calibrator.calibrate(x, method: .mse, scheme: scheme, granularity: .tensor)
        for (clip, mse) in zip(clips, want) {
            let got = try #require(curve.point(at: clip)?.mse)
            #expect(abs(got - mse) <= 1e-6 * mse, "\(spelling) clip \(clip): \(got) vs numpy \(mse)")
            let searched = try #require(result.curve.point(at: clip)?.mse)
            #expect(abs(searched - mse) <= 1e-6 * mse, "\(spelling) clip \(clip) in the search: \(searched) vs numpy \(mse)")
        }
        // The search's answer is at least as good as numpy's best grid point.
        let gridBest = want.min() ?? 0
        #expect(try #require(result.mse) <= gridBest * (1 + 1e-6))
    }

    @Test(arguments: ["int8", "int4"])
    func mseBeatsMinMaxAndPercentile(_ spelling: String) throws {
        let (x, c) = try Self.heavy()
        let scheme = try Scheme(parsing: spelling)
        let minmax = try Calibrator.calibrate(x, method: .minmax, scheme: scheme)
        let mse = try Calibrator.calibrate(x, method: .mse, scheme: scheme)
        let minmaxMSE = try #require(minmax.mse), best = try #require(mse.mse)
        // numpy's MSE at clip 1 is min-max's.
        let numpyMinMax = try #require((c.object("schemes")?[spelling] as? [Double])?.first)
        #expect(abs(minmaxMSE - numpyMinMax) <= 1e-6 * numpyMinMax)
        #expect(minmax.clip == 1 && minmax.threshold == minmax.maxAbs)
        #expect(best < minmaxMSE * 0.9, "\(spelling): mse \(best) vs min-max \(minmaxMSE)")
        for p in [99.9, 99.99] {
            let percentile = try Calibrator.calibrate(x, method: .percentile(p), scheme: scheme)
            let percentileMSE = try #require(percentile.mse)
            #expect(best <= percentileMSE, "\(spelling): mse \(best) vs percentile \(p) \(percentileMSE)")
            let want = try #require(c.object("percentiles")?.double("\(p)"))
            #expect(abs(percentile.threshold - want) <= 1e-12 * want, "percentile \(p) threshold")
        }
        // Quantizing at the chosen clip gives the reported MSE.
        let q = try Quantizer.quantize(x, scheme: scheme, clip: mse.clip)
        #expect(q.metrics.mse == best)
        #expect(mse.marks.map(\.symbol) == ["M", "P", "*"])
        #expect(mse.curve.points.count <= 50)
    }

    @Test func parsing() throws {
        #expect(try Calibration(parsing: "minmax") == .minmax)
        #expect(try Calibration(parsing: "MSE") == .mse)
        #expect(try Calibration(parsing: "percentile:99.9") == .percentile(99.9))
        #expect(Calibration.percentile(99.99).description == "percentile:99.99")
        for bad in ["percentile", "percentile:0", "percentile:101", "percentile:nan", "p99", "max", ""] {
            #expect(throws: QuantizationError.unknownCalibration(bad)) { try Calibration(parsing: bad) }
        }
        #expect(QuantizationError.unknownCalibration("p99").description.contains("percentile:P"))
        var stops: [String] = []
        var c: Calibration? = nil
        repeat { c = Calibration.next(after: c); stops.append(c?.brief ?? "none") } while c != nil
        #expect(stops == ["minmax", "p99.9", "p99.99", "mse", "none"])
    }

    @Test func ggufIsRefused() throws {
        let x = Tensor(shape: [1, 256], values: (0..<256).map { Float($0) })
        #expect(throws: QuantizationError.calibrationNotSupported(scheme: "q4_0")) {
            try Calibrator.calibrate(x, method: .mse, scheme: try Scheme(parsing: "q4_0"))
        }
    }

    /// Degenerate tensors: a clear answer, never NaN.
    @Test(arguments: ["empty", "zeros", "constant", "nan", "allnan"])
    func degenerateTensors(_ kind: String) throws {
        let x: Tensor
        switch kind {
        case "empty": x = Tensor(shape: [0, 4], values: [])
        case "zeros": x = Tensor(shape: [8, 8], values: Array(repeating: 0, count: 64))
        case "constant": x = Tensor(shape: [8, 8], values: Array(repeating: -2.5, count: 64))
        case "nan": x = try Self.tensor("nan.npy")
        default: x = Tensor(shape: [3], values: [.nan, .infinity, .nan])
        }
        for method in [Calibration.minmax, .percentile(99.9), .mse] {
            for spelling in ["int8", "int4-asym", "fp8-e4m3", "nf4"] {
                let r = try Calibrator.calibrate(x, method: method, scheme: try Scheme(parsing: spelling))
                #expect(r.clip > 0 && r.clip <= 1, "\(kind) \(method) \(spelling): clip \(r.clip)")
                #expect(r.threshold.isFinite && r.maxAbs.isFinite, "\(kind) \(method) \(spelling)")
                #expect(r.mse.map { $0.isFinite && $0 >= 0 } ?? true, "\(kind) \(method) \(spelling): mse")
                #expect(r.curve.points.allSatisfy { $0.mse.map(\.isFinite) ?? true })
                switch kind {
                case "empty", "allnan":
                    #expect(r.mse == nil && r.curve.points.isEmpty && r.clip == 1 && r.maxAbs == 0)
                case "zeros":
                    #expect(r.mse == 0 && r.clip == 1 && r.threshold == 0)
                case "constant":
                    #expect(r.maxAbs == 2.5 && r.mse != nil)
                default:
                    #expect(r.mse != nil && r.maxAbs > 0)
                }
            }
        }
    }

    /// A cancelled token stops the search.
    @Test func cancels() throws {
        let (x, _) = try Self.heavy()
        let token = WorkToken()
        token.cancel()
        #expect(throws: QuantizationError.cancelled) { try Calibrator.calibrate(x, method: .mse, scheme: .integer(IntegerScheme(bits: 4, mode: .symmetric)), token: token) }
    }
}
