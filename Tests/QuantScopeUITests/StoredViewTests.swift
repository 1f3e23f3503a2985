import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// The `stored:` scheme (docs/contract.md §8): a quantized file's tensor
/// opens as stored; its pages show the block under the cursor; `s` and `o`
/// leave and return; golden screens at 80×24.
@Suite struct StoredViewTests {
    static var sample: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples/minilm-l6-layer0.gguf").path
    }

    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("QuantEngineTests/Fixtures")
    }

    /// `path`'s tensor `name` opened the way the explorer opens it (through
    /// `handle(.loaded)`), analysed synchronously, at a size.
    static func state(_ path: String, _ name: String, view: ViewKind, cursor: Int = 0, width: Int = 80, height: Int = 24) throws -> AppState {
        let file = OpenFile(checkpoint: try Checkpoint.open(path))
        let index = try #require(file.checkpoint.tensors.firstIndex { $0.name == name })
        let info = file.checkpoint.tensors[index]
        var state = AppState(files: [file], width: width, height: height)
        let ref = TensorRef(file: 0, tensor: index)
        let loaded = LoadedTensor(ref: ref, info: info, fileName: file.name, tensor: try file.checkpoint.load(info),
                                  stored: try file.checkpoint.storedQuantization(for: info))
        state.generation = 1
        _ = state.handle(.loaded(loaded, generation: 1))
        state.view = view
        state.focus = .view
        state.cursor = cursor
        var analysis = try Analyzer.analyze(AnalysisRequest(tensor: loaded, settings: state.settings))
        analysis.milliseconds = 1.25
        _ = state.handle(.analyzed(analysis, generation: state.generation))
        state.lastRecompute = 1.25
        return state
    }

    static let q4k = "blk.0.ffn_down.weight"

    @Test func aQuantizedTensorOpensAsStoredOverItsFreshEquivalent() throws {
        let state = try Self.state(Self.sample, Self.q4k, view: .mapping)
        #expect(state.showsStored)
        #expect(state.schemeSpelling == "stored: Q4_K")
        #expect(state.settings.scheme == .gguf(.q4_k))
        #expect(state.storedBlock?.index == 0)
        let plain = try Self.state(Self.sample, "blk.0.attn_v.weight", view: .mapping)
        #expect(!plain.showsStored && plain.tensor?.stored == nil)
    }

    @Test func sAndOLeaveAndReturnWithoutRecomputing() throws {
        var state = try Self.state(Self.sample, Self.q4k, view: .mapping)
        let g = state.generation
        #expect(state.handle(.input(.key(.character("s")))).isEmpty)
        #expect(!state.showsStored && state.settings.scheme == .gguf(.q4_k) && state.generation == g)
        #expect(state.handle(.input(.key(.character("o")))).isEmpty)
        #expect(state.showsStored)
        // Any other choice leaves the stored page and recomputes.
        _ = state.handle(.input(.key(.character("s"))))
        let commands = state.handle(.input(.key(.character("s"))))
        #expect(!state.showsStored && commands.contains { if case .analyze = $0 { true } else { false } })
    }

    @Test func theCursorsBlockFollowsTheCursor() throws {
        var state = try Self.state(Self.sample, Self.q4k, view: .mapping)
        for key: Key in [.character("j"), .character("l"), .end, .character("G")] {
            _ = state.handle(.input(.key(key)))
            let stored = try #require(state.tensor?.stored)
            let block = try #require(state.storedBlock)
            #expect(block.index == stored.blockIndex(ofElement: state.cursor))
            #expect(block.elements.contains(state.cursor))
        }
    }

    @Test func theWorkedFormulaEndsInTheCursorsValue() throws {
        for cursor in [0, 255, 256, 1000, 589_823] {
            let state = try Self.state(Self.sample, Self.q4k, view: .mapping, cursor: cursor)
            let c = try #require(ViewContext(state: state, theme: .monochrome))
            let page = try #require(StoredPages.page(c))
            let line = page.stored.worked(page.block, at: page.position)
            #expect(page.block.values[page.position] == c.x)
            #expect(line.hasSuffix("= \(String(format: "%.6g", Double(c.x)))"), "\(line) vs \(c.x)")
        }
    }

    @Test(arguments: [ViewKind.histogram, .mapping, .packing, .error])
    func q4kGolden(_ view: ViewKind) throws {
        let state = try Self.state(Self.sample, Self.q4k, view: view, cursor: 700)
        Golden.check(ScreenRenderer.render(state, theme: .monochrome), "stored-q4k-\(view)-80x24")
    }

    @Test("every stored page draws at 80×24 and 160×48 and on a shrunk terminal", arguments: [ViewKind.histogram, .mapping, .packing, .error])
    func sizes(_ view: ViewKind) throws {
        var state = try Self.state(Self.sample, Self.q4k, view: view, cursor: 12345)
        for (w, h) in [(80, 24), (160, 48), (40, 10)] {
            _ = state.handle(.input(.resize(width: w, height: h)))
            let text = ScreenRenderer.render(state, theme: .monochrome).text
            #expect(!text.isEmpty)
        }
    }
}

/// Golden `stored:` pages for a GPTQ and a bitsandbytes NF4 weight written
/// by the libraries (Tests/QuantEngineTests/Fixtures/prequant).
@Suite struct StoredPrequantViewTests {
    static func model(_ name: String) -> String {
        StoredViewTests.fixtures.appendingPathComponent("prequant/\(name)/model.safetensors").path
    }

    static let cases = [("gptq", "gptq-int4-g32-asym-descact", "model.layers.0.mlp.up_proj.weight", 1000),
                        ("bnb-nf4", "bnb-nf4", "model.layers.0.mlp.down_proj.weight", 777)]

    @Test(arguments: [ViewKind.histogram, .mapping, .packing, .error])
    func golden(_ view: ViewKind) throws {
        for (label, folder, name, cursor) in Self.cases {
            let state = try StoredViewTests.state(Self.model(folder), name, view: view, cursor: cursor)
            #expect(state.showsStored, "\(label) should open as stored")
            Golden.check(ScreenRenderer.render(state, theme: .monochrome), "stored-\(label)-\(view)-80x24")
        }
    }

    @Test func gptqOpensOverItsFreshEquivalent() throws {
        let state = try StoredViewTests.state(Self.model("gptq-int4-g32-asym-descact"), "model.layers.0.mlp.up_proj.weight", view: .error)
        #expect(state.schemeSpelling == "stored: gptq int4 g32 asym act-order")
        #expect(state.settings.spelling(rank: 2) == "int4-asym group:32")
        let nf4 = try StoredViewTests.state(Self.model("bnb-nf4"), "model.layers.0.mlp.down_proj.weight", view: .error)
        #expect(nf4.settings.spelling(rank: 2) == "nf4 group:64")
    }
}

extension StoredViewTests {
    @Test func leavingTheStoredPageTheErrorViewSaysWhatXIs() throws {
        var state = try Self.state(Self.sample, Self.q4k, view: .error)
        _ = state.handle(.input(.key(.character("s"))))
        #expect(!state.showsStored)
        let text = ScreenRenderer.render(state, theme: .monochrome).text
        #expect(text.contains("x = the file's Q4_K values (4.500 bits/weight), decoded"))
    }
}
