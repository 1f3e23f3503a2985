import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// Every view drawn for tensors that break naive arithmetic — empty, one
/// element, constant, all zero, all NaN, ±Inf — at three sizes, under
/// several schemes. A `Int(NaN)` or an index out of range traps and fails
/// the run; the test also checks that something was drawn.
@Suite struct EdgeTensorViewTests {
    /// [name, tensor]: small enough to run every scheme.
    static var tensors: [(String, Tensor)] {
        var mixed = [Float](repeating: 0.25, count: 8 * 16)
        mixed[3] = .infinity
        mixed[17] = -.infinity
        mixed[40] = -0.5
        return [
            ("empty", Tensor(shape: [0, 384], values: [])),
            ("empty-1d", Tensor(shape: [0], values: [])),
            ("one", Tensor(shape: [1, 1], values: [0.375])),
            ("one-1d", Tensor(shape: [1], values: [-2])),
            ("constant", Tensor(shape: [8, 16], values: [Float](repeating: 0.5, count: 128))),
            ("zeros", Tensor(shape: [8, 16], values: [Float](repeating: 0, count: 128))),
            ("nan", Tensor(shape: [8, 16], values: [Float](repeating: .nan, count: 128))),
            ("inf", Tensor(shape: [8, 16], values: mixed)),
            ("bias-zeros", Tensor(shape: [64], values: [Float](repeating: 0, count: 64))),
        ]
    }

    static var schemes: [QuantSettings] {
        var list: [QuantSettings] = []
        for stop in [SchemeCatalog.Stop.integer, .scheme(.float(.e4m3fn)), .scheme(.nf4), .scheme(.microscaling(.e2m1)), .scheme(.gguf(.q4_0)), .scheme(.gguf(.q4_1))] {
            for kind in [QuantSettings.GranularityKind.tensor, .channel] {
                var s = QuantSettings()
                s.stop = stop
                s.granularityKind = kind
                list.append(s)
            }
        }
        var asym = QuantSettings()
        asym.bits = 4
        asym.symmetry = .asymmetric
        asym.granularityKind = .group
        asym.groupSize = 16
        list.append(asym)
        // The seed's conventions (docs/contract.md §10): 0 may not be on asym-exact's grid.
        for symmetry in [QuantSettings.Symmetry.full, .asymmetricExact] {
            var s = asym
            s.symmetry = symmetry
            list.append(s)
        }
        return list
    }

    /// A state with `tensor` open and, when the engine accepts the settings,
    /// analysed (both passes) with the matmul kernels run for 2-D weights.
    static func state(_ tensor: Tensor, _ settings: QuantSettings, matmul: Bool) throws -> AppState {
        let file = try TestStates.file(tensor, name: "edge.weight")
        var state = AppState(files: [file], width: 120, height: 40)
        let loaded = LoadedTensor(ref: TensorRef(file: 0, tensor: 0), info: file.checkpoint.tensors[0], fileName: file.name, tensor: tensor)
        state.tensor = loaded
        state.settings = settings
        state.focus = .view
        state.cursor = tensor.count / 2
        let request = AnalysisRequest(tensor: loaded, settings: settings)
        if var analysis = try? Analyzer.analyze(request) {
            if let details = try? Analyzer.details(request, of: analysis) { analysis.add(details) }
            state.analysis = analysis
        }
        if matmul, tensor.shape.count == 2, tensor.count > 0 {
            state.matmul = try? MatmulAnalyzer.analyze(MatmulRequest(weight: loaded, choice: .gaussian))
        }
        return state
    }

    /// Draws every view full screen at 120×40 and 80×24, alone in a 20×6
    /// rect, and with the cursor moved over the whole tensor.
    static func drawEverywhere(_ base: AppState, cursors: [Int]) -> Int {
        var drawn = 0
        for view in ViewKind.tensorViews {
            for cursor in cursors {
                var state = base
                state.view = view
                state.cursor = cursor
                for (w, h) in [(120, 40), (80, 24), (200, 50)] {
                    state.width = w
                    state.height = h
                    let buffer = ScreenRenderer.render(state, theme: .monochrome)
                    drawn += buffer.text.isEmpty ? 0 : 1
                }
                for (w, h) in [(20, 6), (118, 36), (78, 20), (1, 1)] {
                    var buffer = CellBuffer(width: w, height: h)
                    ScreenRenderer.renderView(view, state: state, rect: Rect(x: 0, y: 0, width: w, height: h), theme: .monochrome,
                                              focused: true, into: &buffer)
                    drawn += 1
                }
            }
        }
        return drawn
    }

    @Test func everyViewDrawsEdgeTensorsWithoutTrapping() throws {
        for (name, tensor) in Self.tensors {
            for settings in Self.schemes {
                let state = try Self.state(tensor, settings, matmul: settings == Self.schemes[0])
                let cursors = Array(Set([0, tensor.count / 2, max(tensor.count - 1, 0)])).sorted()
                #expect(Self.drawEverywhere(state, cursors: cursors) > 0, "\(name) \(settings.spelling(rank: tensor.shape.count))")
            }
        }
    }

    /// The error histogram of an exact quantization has no width: the axis
    /// must still place 0 (this trapped on `Int(NaN)`).
    @Test func errorViewOfAnExactQuantization() throws {
        for values in [[Float](repeating: 0, count: 128), [Float](repeating: 0.5, count: 128), [Float](repeating: .nan, count: 128)] {
            var state = try Self.state(Tensor(shape: [8, 16], values: values), QuantSettings(), matmul: false)
            state.view = .error
            let text = ScreenRenderer.render(state, theme: .monochrome).text
            #expect(text.contains("error x̂ − x"))
        }
    }

    /// An empty tensor gets a result from the worker's code path and every
    /// view says so, instead of "quantizing…" forever.
    @Test func emptyTensorsAreAnalysedAndSaySo() throws {
        for shape in [[0, 384], [384, 0], [0]] {
            let tensor = Tensor(shape: shape, values: [])
            for settings in Self.schemes {
                let file = try TestStates.file(tensor, name: "empty.bias")
                let loaded = LoadedTensor(ref: TensorRef(file: 0, tensor: 0), info: file.checkpoint.tensors[0], fileName: file.name, tensor: tensor)
                let request = AnalysisRequest(tensor: loaded, settings: settings)
                let analysis = try Analyzer.analyze(request)
                #expect(analysis.quantized.codes.isEmpty)
                var state = AppState(files: [file], width: 120, height: 40)
                _ = state.handle(.loaded(loaded, generation: state.generation))
                _ = state.handle(.analyzed(analysis, generation: state.generation))
                #expect(!state.computing)
                for view in ViewKind.tensorViews {
                    state.view = view
                    let text = ScreenRenderer.render(state, theme: .monochrome).text
                    #expect(text.contains("empty tensor (shape \(Format.shape(shape))) — nothing to quantize"), "\(view) \(shape)")
                    #expect(!text.contains("quantizing…"))
                }
            }
        }
    }

    /// Settings the engine refused leave no analysis: the views give the
    /// reason instead of "quantizing…" forever.
    @Test func aRefusedAnalysisSaysWhy() throws {
        var state = try Self.state(Tensor(shape: [8, 16], values: [Float](repeating: 1, count: 128)), QuantSettings(), matmul: false)
        state.analysis = nil
        state.computing = false
        state.analysisFailure = "granularity group:1 makes 128 groups"
        for view in ViewKind.tensorViews {
            state.view = view
            let text = ScreenRenderer.render(state, theme: .monochrome).text
            #expect(text.contains("no result for \(state.settings.spelling(rank: 2)):"))
            #expect(text.contains("granularity group:1 makes 128 groups"))
            #expect(!text.contains("quantizing…"))
        }
    }

    /// A large tensor's shown analysis goes back to the worker when the next
    /// one starts, so the explorer never holds two (memory budget).
    @Test func aLargeTensorHoldsOneAnalysisAtATime() throws {
        let side = 2900  // 8.4M elements, just over the limit
        #expect(side * side > AppState.keepWhileRecomputingLimit)
        for (rows, columns, released) in [(side, side, true), (64, 64, false)] {
            var state = try TestStates.state(Tensor(shape: [rows, columns], values: [Float](repeating: 0.5, count: rows * columns)),
                                             comparisons: false)
            let commands = state.handle(.input(.key(.character("c"))))
            #expect((state.analysis == nil) == released)
            let recycled = commands.contains { if case .recycle = $0 { return true } else { return false } }
            #expect(recycled == released)
            #expect(commands.contains { if case .analyze = $0 { return true } else { return false } })
        }
    }

    /// A 4096×4096 tensor, at tensor and channel granularity.
    @Test func everyViewDrawsALargeTensor() throws {
        let tensor = TestStates.weight(rows: 4096, columns: 4096, seed: 3)
        for kind in [QuantSettings.GranularityKind.tensor, .channel] {
            var settings = QuantSettings()
            settings.granularityKind = kind
            let state = try Self.state(tensor, settings, matmul: false)
            #expect(Self.drawEverywhere(state, cursors: [0, 4096 * 2048 + 61, tensor.count - 1]) > 0)
        }
    }
}
