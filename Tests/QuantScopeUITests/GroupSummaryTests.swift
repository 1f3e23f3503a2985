import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// A frame must cost what the screen shows: the views get the cursor's
/// group as a `GroupSummary`, precomputed on the worker when groups are
/// large. These tests pin that structure (no timing).
@Suite struct GroupSummaryTests {
    static func analysis(_ tensor: Tensor, _ settings: QuantSettings) throws -> (LoadedTensor, Analysis) {
        let file = try TestStates.file(tensor, name: "summary.weight")
        let loaded = LoadedTensor(ref: TensorRef(file: 0, tensor: 0), info: file.checkpoint.tensors[0], fileName: file.name, tensor: tensor)
        return (loaded, try Analyzer.analyze(AnalysisRequest(tensor: loaded, settings: settings)))
    }

    static func settings(_ kind: QuantSettings.GranularityKind, symmetry: QuantSettings.Symmetry = .symmetric,
                         stop: SchemeCatalog.Stop = .integer, axis: Int = 0) -> QuantSettings {
        var s = QuantSettings()
        s.stop = stop
        s.granularityKind = kind
        s.symmetry = symmetry
        s.channelAxis = axis
        s.bits = 4
        return s
    }

    /// What a frame reads for the cursor's group stays under the on-demand
    /// limit whatever the tensor's size and granularity, and the summary a
    /// view gets is the same size for 262,144 and 16.7M elements.
    @Test func aFrameReadsABoundedNumberOfElements() throws {
        var footprints: Set<Int> = []
        for side in [512, 4096] {
            let tensor = TestStates.weight(rows: side, columns: side, seed: 11)
            for kind in [QuantSettings.GranularityKind.tensor, .channel, .group] {
                let (loaded, analysis) = try Self.analysis(tensor, Self.settings(kind))
                for index in [0, tensor.count / 2 + 7, tensor.count - 1] {
                    let g = analysis.quantized.group(ofElement: index)
                    let s = analysis.summary(ofGroup: g, original: loaded.tensor.values)
                    #expect(s.readsPerFrame <= GroupSummary.onDemandLimit, "\(side)² \(kind): \(s.readsPerFrame) reads")
                    if kind == .tensor {
                        #expect(s.readsPerFrame == 0 && s.source == nil)
                        footprints.insert(MemoryLayout<GroupSummary>.size + 4 * (s.fine?.count ?? 0))
                    }
                }
            }
        }
        #expect(footprints.count == 1)
    }

    /// The worker's two parallel passes agree with reading the group
    /// directly and with the engine's `rangeSetters` (first index on ties).
    @Test func precomputedSummariesMatchTheDirectOnes() throws {
        // Two columns of 300,000: per channel along axis 1 each group is over
        // the on-demand limit, and the worker's passes split the tensor in two.
        var values = TestStates.weight(rows: 300_000, columns: 2, seed: 5).values
        values[12_345] = .nan
        values[99_999] = -.infinity
        // Ties for the extremes in both halves (and both columns): the first index wins.
        for (i, v) in [(10, 5), (20, -5), (400_000, 5), (400_002, -5), (11, 5), (450_001, 5)] as [(Int, Float)] { values[i] = v }
        let tensor = Tensor(shape: [300_000, 2], values: values)
        let cases: [QuantSettings] = [
            Self.settings(.tensor), Self.settings(.channel, symmetry: .asymmetric, axis: 1), Self.settings(.tensor, stop: .scheme(.float(.e4m3fn))),
        ]
        for settings in cases {
            let (loaded, analysis) = try Self.analysis(tensor, settings)
            let q = analysis.quantized
            #expect(!analysis.groupSummaries.isEmpty, "\(settings.spelling(rank: 2)) should be precomputed")
            for g in 0..<q.layout.groupCount {
                let pre = analysis.groupSummaries[g]
                let direct = GroupSummary.summarize(q, group: g, original: loaded.tensor.values)
                #expect(pre.count == direct.count && pre.first == direct.first && pre.last == direct.last)
                #expect(pre.finite == direct.finite && pre.usedCodes == direct.usedCodes && pre.clipped == direct.clipped)
                #expect(pre.minimum == direct.minimum && pre.maximum == direct.maximum)
                #expect(pre.argmin == direct.argmin && pre.argmax == direct.argmax && pre.argabs == direct.argabs)
                #expect(pre.setters(scheme: q.scheme) == q.rangeSetters(group: g, original: loaded.tensor.values))
                #expect(pre.histogramRange == direct.histogramRange)
                let exact = direct.histogram(bins: 64)
                #expect(exact.reduce(0, +) == Double(direct.finite))
                if q.layout.groupCount > 1 {
                    #expect(abs(pre.histogram(bins: 64).reduce(0, +) - Double(direct.finite)) < 1e-6)
                }
                // Both paths share the SIMD accumulator: check it against plain loops.
                let xs = loaded.tensor.values, members = q.layout.elements(ofGroup: g).filter { xs[$0].isFinite }
                let edges = GroupSummary.clipEdges(q.levels(group: g))
                #expect(pre.finite == members.count)
                #expect(pre.argmin == members.min { xs[$0] < xs[$1] } && pre.argmax == members.max { xs[$0] < xs[$1] || (xs[$0] == xs[$1] && $0 > $1) })
                #expect(pre.argabs == members.max { abs(xs[$0]) < abs(xs[$1]) || (abs(xs[$0]) == abs(xs[$1]) && $0 > $1) })
                #expect(pre.clipped == members.filter { xs[$0] < edges.low || xs[$0] > edges.high }.count)
                #expect(pre.usedCodes == Set(q.layout.elements(ofGroup: g).map { q.codes[$0] }).count)
            }
        }
    }

    /// "Clipped" is beyond half an end step past the grid: a value exactly on
    /// an edge rounds to the end level with half a step's error, as any tie
    /// does, and is not clipped. Checked on both of the accumulator's paths:
    /// a run of 5 (scalar) and one of 21 (16 in SIMD lanes + a scalar tail of 5),
    /// with the edges at ±1 and the counts written out by hand.
    @Test func valuesOnTheClipEdgesAreNotClipped() {
        let edges: (low: Float, high: Float) = (-1, 1)
        let short: [Float] = [1, -1, 1.5, -2, 0.5]  // clipped: 1.5, −2
        var tail = [Float](repeating: 0.25, count: 21)
        for (i, v) in [(0, 1), (3, -1), (9, 1.25), (16, 1), (18, -1), (20, -1.5)] as [(Int, Float)] { tail[i] = v }  // clipped: 1.25, −1.5
        for (values, clipped) in [(short, 2), (tail, 2)] {
            let codes = [UInt8](repeating: 0, count: values.count)
            var sums = GroupSummary.Accumulator()
            values.withUnsafeBufferPointer { xs in
                codes.withUnsafeBufferPointer { cs in sums.add(0..<values.count, xs, cs, edges) }
            }
            #expect(sums.clipped == clipped, "\(values.count) values")
            #expect(sums.finite == values.count)
        }
    }

    /// Small groups are not precomputed: the worker keeps nothing per group.
    @Test func smallGroupsAreSummarisedOnDemand() throws {
        let tensor = TestStates.weight(rows: 600, columns: 300, seed: 5)
        for kind in [QuantSettings.GranularityKind.channel, .group] {
            let (loaded, analysis) = try Self.analysis(tensor, Self.settings(kind))
            #expect(analysis.groupSummaries.isEmpty)
            let s = analysis.summary(ofGroup: 3, original: loaded.tensor.values)
            #expect(s.count == analysis.quantized.layout.count(ofGroup: 3))
        }
    }

    /// The views never walk a group or the tensor themselves: the calls that
    /// do (and cost O(group) per frame) appear nowhere under Views/.
    @Test func viewsDoNotWalkGroups() throws {
        let views = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/QuantScopeUI/Views").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: views.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 5)
        for name in files {
            let text = try String(contentsOf: views.appendingPathComponent(name), encoding: .utf8)
            for call in ["elements(ofGroup:", "rangeSetters(", "tensor.values.map", "tensor.values.filter", "Set<UInt8>"] {
                #expect(!text.contains(call), "\(name) calls \(call) in a frame")
            }
        }
    }
}
