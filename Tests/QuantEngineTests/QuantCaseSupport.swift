import Foundation
import Testing
@testable import QuantEngine

/// One case of `affine/`, `floatscheme/`, `nf4/` or `mx/cases.json`: the
/// request (scheme, granularity, shape, input) and what numpy computed.
struct QuantCase {
    let directory: String
    let fields: [String: Any]
    let name: String
    let scheme: Scheme
    /// nil when the case's `granularity` is null: the scheme's default.
    let granularity: Granularity?
    let shape: [Int]
    let tensor: Tensor

    init(_ directory: String, _ name: String) throws {
        self.directory = directory
        self.name = name
        fields = try Fixtures.namedCase("\(directory)/cases.json", name)
        scheme = try Scheme(parsing: try #require(fields.string("scheme")))
        if let text = fields.string("granularity") {
            granularity = try Granularity(parsing: text)
        } else {
            granularity = nil
        }
        shape = try #require(fields.ints("shape"))
        let input = try Fixtures.f32("\(directory)/" + (try #require(fields.string("input"))))
        try #require(input.count == shape.reduce(1, *), "\(name): input holds \(input.count) values for shape \(shape)")
        tensor = Tensor(shape: shape, values: input)
    }

    /// The fixture path a field names, e.g. `affine/int8_channel0.codes.i16`.
    func path(_ key: String) throws -> String {
        "\(directory)/" + (try #require(fields.string(key), "\(name) has no \(key)"))
    }

    func quantize() throws -> QuantizedTensor {
        try Quantizer.quantize(tensor, scheme: scheme, granularity: granularity)
    }

    private func input(_ i: Int) -> String { Show.float(tensor.values[i]) }

    /// Compares codes, scales, zero-points and dequantized values bit-exactly
    /// (dequantized with ==, so −0 == +0) and the metrics within 1e-5.
    func verify(_ q: QuantizedTensor) throws {
        let groups = try #require(fields.int("groups"))
        #expect(q.scales.count == groups, "\(name): \(q.scales.count) scales for \(groups) groups")
        #expect(q.layout.groupCount == groups, "\(name): layout has \(q.layout.groupCount) groups, expected \(groups)")
        #expect(q.shape == shape)

        let codesPath = try path("codes")
        let expectedCodes = try Fixtures.codes(codesPath)
        let signed = codesPath.hasSuffix(".i16")
        try #require(q.codes.count == expectedCodes.count, "\(name): \(q.codes.count) codes, expected \(expectedCodes.count)")
        var codes = Mismatches("\(name) codes")
        for i in expectedCodes.indices {
            let actual = signed ? q.code(at: i) : Int(q.codes[i])
            codes.check(actual == expectedCodes[i],
                        "element \(i) (input \(input(i)), group \(q.group(ofElement: i))): expected \(expectedCodes[i]) "
                            + "(\(Show.hex(UInt8(truncatingIfNeeded: expectedCodes[i])))), got \(actual) "
                            + "(\(Show.hex(q.codes[i])))")
        }
        codes.expectNone()

        let expectedScales = try Fixtures.f32(try path("scales"))
        try #require(q.scales.count == expectedScales.count, "\(name): \(q.scales.count) scales, expected \(expectedScales.count)")
        var scales = Mismatches("\(name) scales")
        for g in expectedScales.indices {
            scales.check(sameBits(q.scales[g], expectedScales[g]),
                         "group \(g): expected \(Show.float(expectedScales[g])), got \(Show.float(q.scales[g]))")
        }
        scales.expectNone()

        let expectedZeros = try Fixtures.i32(try path("zero_points"))
        let zeros = try #require(q.zeroPoints, "\(name): no zero points")
        try #require(zeros.count == expectedZeros.count, "\(name): \(zeros.count) zero points, expected \(expectedZeros.count)")
        var zeroMismatches = Mismatches("\(name) zero points")
        for g in expectedZeros.indices {
            zeroMismatches.check(zeros[g] == expectedZeros[g], "group \(g): expected \(expectedZeros[g]), got \(zeros[g])")
        }
        zeroMismatches.expectNone()

        let expectedValues = try Fixtures.f32(try path("dequantized"))
        try #require(q.dequantized.count == expectedValues.count)
        var values = Mismatches("\(name) dequantized")
        for i in expectedValues.indices {
            values.check(sameValue(q.dequantized[i], expectedValues[i]),
                         "element \(i) (input \(input(i))): expected \(Show.float(expectedValues[i])), "
                             + "got \(Show.float(q.dequantized[i]))")
        }
        values.expectNone()

        checkMetrics(q.metrics, try #require(fields.object("metrics")), label: name)
    }
}

/// Checks docs/contract.md §6 metrics against a fixture's `metrics` object: counts exactly,
/// sums within a relative 1e-5 (our sums run in Float32 over short runs,
/// then Float64; numpy's are pairwise Float64). `sqnr_db` is a logarithm,
/// so it may also be off by the 10·log10(1 + 1e-5) dB that a 1e-5 relative
/// error in its ratio gives (this matters where the expected value is 0 dB).
func checkMetrics(_ m: ErrorMetrics, _ expected: [String: Any], label: String,
                  sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(m.elements == expected.int("elements"), "\(label): elements \(m.elements), expected \(expected.int("elements") ?? -1)",
            sourceLocation: sourceLocation)
    #expect(m.nonfinite == expected.int("nonfinite"), "\(label): nonfinite \(m.nonfinite), expected \(expected.int("nonfinite") ?? -1)",
            sourceLocation: sourceLocation)
    let pairs: [(String, Double)] = [("mse", m.mse), ("rmse", m.rmse), ("mae", m.mae), ("max_abs_err", m.maxAbsError)]
    for (key, actual) in pairs {
        let want = expected.double(key) ?? .nan
        #expect(relativelyClose(actual, want), "\(label): \(key) \(actual), expected \(want)", sourceLocation: sourceLocation)
    }
    let sqnr = expected.double("sqnr_db") ?? .nan
    let sqnrSlack = 10 * log10(1 + 1e-5)
    let sqnrOK = relativelyClose(m.sqnrDecibels, sqnr)
        || (sqnr.isFinite && m.sqnrDecibels.isFinite && abs(m.sqnrDecibels - sqnr) <= sqnrSlack)
    #expect(sqnrOK, "\(label): sqnr_db \(m.sqnrDecibels), expected \(sqnr)", sourceLocation: sourceLocation)
    if expected.isNull("cosine") {
        #expect(m.cosine == nil, "\(label): cosine \(String(describing: m.cosine)), expected null", sourceLocation: sourceLocation)
    } else {
        let want = expected.double("cosine") ?? .nan
        let ok = m.cosine.map { relativelyClose($0, want) } ?? false
        #expect(ok, "\(label): cosine \(String(describing: m.cosine)), expected \(want)", sourceLocation: sourceLocation)
    }
}
