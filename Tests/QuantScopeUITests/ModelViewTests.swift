import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// The Model view (heat map of layers × roles) and the Sweep view, with the
/// background work run synchronously by the code the worker runs
/// (`BackgroundWork`), so every number on screen is checked against
/// `ModelScan`, the code `quantscope scan`/`sweep` run (docs/contract.md §11).
@Suite struct ModelViewTests {
    /// A three-layer Llama-shaped model: q/k/v/o/gate/up/down, embeddings and a
    /// head; layer 1's `o_proj` has outlier columns (its SQNR is the worst),
    /// layer 2's `up_proj` is constant (lossless: inf) and a norm (1-D) is not mapped.
    static func modelFile() throws -> OpenFile {
        var entries = [SafetensorsWriter.Entry]()
        func weight(_ name: String, _ rows: Int, _ columns: Int, seed: UInt64, outliers: Bool = false) {
            var w = TestStates.weight(rows: rows, columns: columns, seed: seed)
            if !outliers { for r in 0..<rows { for c in [5, 61] where c < columns { w.values[r * columns + c] /= 12 } } }
            entries.append(.float32(name, shape: [rows, columns], w.values))
        }
        weight("model.embed_tokens.weight", 96, 64, seed: 1)
        for layer in 0..<3 {
            let p = "model.layers.\(layer)."
            weight(p + "self_attn.q_proj.weight", 64, 64, seed: UInt64(10 * layer + 2))
            weight(p + "self_attn.k_proj.weight", 32, 64, seed: UInt64(10 * layer + 3))
            weight(p + "self_attn.v_proj.weight", 32, 64, seed: UInt64(10 * layer + 4))
            weight(p + "self_attn.o_proj.weight", 64, 64, seed: UInt64(10 * layer + 5), outliers: layer == 1)
            weight(p + "mlp.gate_proj.weight", 128, 64, seed: UInt64(10 * layer + 6))
            if layer == 2 {
                entries.append(.float32(p + "mlp.up_proj.weight", shape: [128, 64], [Float](repeating: 0.25, count: 128 * 64)))
            } else {
                weight(p + "mlp.up_proj.weight", 128, 64, seed: UInt64(10 * layer + 7))
            }
            weight(p + "mlp.down_proj.weight", 64, 128, seed: UInt64(10 * layer + 8))
            entries.append(.float32(p + "input_layernorm.weight", shape: [64], [Float](repeating: 1, count: 64)))
        }
        weight("lm_head.weight", 96, 64, seed: 9)
        // A folder of its own per call (tests run in parallel), a fixed file name (it shows on screen).
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-ui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("llama-3-layers.safetensors").path
        try SafetensorsWriter.write(entries, to: path)
        return OpenFile(checkpoint: try Checkpoint.open(path))
    }

    /// The model open on `tensor` (analysed synchronously), then `keys` typed,
    /// with every background job the keys start run to its end.
    static func state(keys: [Key], tensor name: String = "model.layers.1.self_attn.q_proj.weight", settings: QuantSettings = QuantSettings(),
                      width: Int = 80, height: Int = 24, file: OpenFile? = nil, against: OpenFile? = nil) throws -> AppState {
        let file = try file ?? modelFile()
        var s = AppState(files: [file], width: width, height: height, against: against)
        let index = try #require(file.checkpoint.tensors.firstIndex { $0.name == name })
        let ref = TensorRef(file: 0, tensor: index)
        let info = file.checkpoint.tensors[index]
        let loaded = LoadedTensor(ref: ref, info: info, fileName: file.name, tensor: try file.checkpoint.load(info),
                                  stored: try file.checkpoint.storedQuantization(for: info))
        s.tensor = loaded
        s.settings = settings
        if let stored = loaded.stored { s.settings.showsStored = s.settings.selectFresh(of: stored) }
        if let row = s.browser.rows.firstIndex(where: { $0.ref == ref }) { s.browser.selected = row }
        var analysis = try Analyzer.analyze(AnalysisRequest(tensor: loaded, settings: s.settings))
        analysis.milliseconds = 1.25
        s.analysis = analysis
        s.lastRecompute = 1.25
        for key in keys { settle(&s, s.handle(.input(.key(key)))) }
        return s
    }

    /// Runs the analyses and every background job among `commands` (and
    /// those their results start) to the end, as the worker would.
    static func settle(_ s: inout AppState, _ commands: [AppCommand]) {
        var pending = commands
        while !pending.isEmpty {
            switch pending.removeFirst() {
            case .background(let request, let generation):
                var pieces = [BackgroundPiece]()
                BackgroundWork.run(request, files: s.files, against: s.against, token: WorkToken(), post: { pieces.append($0) }, progress: { _ in })
                for piece in pieces { pending += s.handle(.background(piece, generation: generation)) }
                pending += s.handle(.backgroundDone(generation: generation, cancelled: false))
            case .analyze(let request, let generation):
                guard var analysis = try? Analyzer.analyze(request) else { continue }
                analysis.milliseconds = 1.25
                pending += s.handle(.analyzed(analysis, generation: generation))
            default:
                continue
            }
        }
    }

    static func text(_ s: AppState) -> String { ScreenRenderer.render(s, theme: .monochrome).text }

    @Test func goldenScreens() throws {
        let file = try Self.modelFile()
        let small = try Self.state(keys: [.character("7")], file: file)
        Golden.check(ScreenRenderer.render(small, theme: .monochrome), "model-80x24-int8")
        let wide = try Self.state(keys: [.character("7"), .character("-"), .character("-"), .character("-"), .character("-"), .character("c")],
                                  width: 160, height: 48, file: file)
        Golden.check(ScreenRenderer.render(wide, theme: .monochrome), "model-160x48-int4-channel")
        Golden.checkStyles(wide, "model-160x48-int4-channel")
        let bits = try Self.state(keys: [.character("7")], tensor: "blk.0.ffn_down.weight", file: OpenFile(checkpoint: try Checkpoint.open(Self.sampleGGUF)))
        Golden.check(ScreenRenderer.render(bits, theme: .monochrome), "model-80x24-gguf-stored-bits")
        let sweep = try Self.state(keys: [.character("8")], file: file)
        Golden.check(ScreenRenderer.render(sweep, theme: .monochrome), "sweep-80x24-int8")
        let sweepWide = try Self.state(keys: [.character("8")], width: 160, height: 48, file: file)
        Golden.check(ScreenRenderer.render(sweepWide, theme: .monochrome), "sweep-160x48-int8")
        Golden.checkStyles(sweepWide, "sweep-160x48-int8")
    }

    static var sampleGGUF: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples/minilm-l6-layer0.gguf").path
    }

    @Test func theHeatMapShowsWhatScanMeasures() throws {
        // Every cell's number is ModelScan's (the code `quantscope scan` runs) for that weight, to the printed digit.
        let file = try Self.modelFile()
        let s = try Self.state(keys: [.character("7")], file: file)
        let weights = ModelScan.weights(of: file.checkpoint)
        #expect(weights.count == 23, "3 layers × 7 roles, embeddings and head; the 1-D norms are not weights")
        let (results, skipped) = try ModelScan.run(file.checkpoint, tensors: weights,
                                                   settings: [.init(scheme: s.settings.scheme, granularity: s.settings.granularity(rank: 2))])
        #expect(skipped.isEmpty)
        let table = try #require(s.currentScan)
        #expect(table.complete && table.results.count == 23)
        for r in results {
            let ours = try #require(table.results[r.tensor])
            #expect(ours.metrics.mse == r.metrics.mse && ours.metrics.sqnrDecibels == r.metrics.sqnrDecibels, "\(r.tensor)")
            #expect(ours.cost == r.cost)
        }
        // The worst weight is the one with outliers, and the headline names it.
        let worst = try #require(results.filter { $0.metrics.sqnrDecibels.isFinite }.min { $0.metrics.sqnrDecibels < $1.metrics.sqnrDecibels })
        #expect(worst.tensor == "model.layers.1.self_attn.o_proj.weight")
        let text = Self.text(s)
        #expect(text.contains(String(format: "%.1f", worst.metrics.sqnrDecibels)))
        // The constant weight is lossless, shown as inf (not NaN, not a crash).
        #expect(table.results["model.layers.2.mlp.up_proj.weight"]?.metrics.sqnrDecibels == .infinity)
        #expect(text.contains("inf"))
        // A narrowed clip and another granularity scan again, with exactly that setting.
        let clipped = try Self.state(keys: [.character("7"), .character("-"), .character("-"), .character("-"), .character("-"),
                                            .character("c"), .character("c"), .character("[")], file: file)
        #expect(clipped.scanKey.hasPrefix("int4 group:") && clipped.scanKey.contains("clip"), "\(clipped.scanKey)")
        let (again, _) = try ModelScan.run(file.checkpoint, tensors: weights, settings: [.init(scheme: clipped.settings.scheme,
                                            granularity: clipped.settings.granularity(rank: 2))], clip: clipped.settings.clip)
        let clippedTable = try #require(clipped.currentScan)
        for r in again { #expect(clippedTable.results[r.tensor]?.metrics.mse == r.metrics.mse, "\(r.tensor) under \(clipped.scanKey)") }
    }

    @Test func gridPutsLayersInRowsAndRolesInColumns() throws {
        let s = try Self.state(keys: [.character("7")])
        let g = s.model.grid
        #expect(g.rows == ["other", "0", "1", "2"])
        #expect(g.columns == ["embed", "q", "k", "v", "o", "gate", "up", "down", "output"])
        // The cursor starts on the open tensor: layer 1, q.
        #expect(s.model.row == 2 && s.model.column == 1)
        #expect(s.model.selectedCell?.name == "model.layers.1.self_attn.q_proj.weight")
    }

    @Test func keysMoveTheCursorAndEnterOpensTheWeight() throws {
        var s = try Self.state(keys: [.character("7")])
        #expect(s.focus == .view && s.view == .model)
        _ = s.handle(.input(.key(.down)))
        _ = s.handle(.input(.key(.right)))
        _ = s.handle(.input(.key(.right)))
        #expect(s.model.selectedCell?.name == "model.layers.2.self_attn.v_proj.weight")
        // Up from layer 0's q into the "other" row lands on nothing: the cursor stays where a weight is.
        _ = s.handle(.input(.key(.character("g"))))
        #expect(s.model.row == 0 && s.model.selectedCell != nil)
        _ = s.handle(.input(.key(.character("G"))))
        #expect(s.model.row == 3)
        let commands = s.handle(.input(.key(.enter)))
        let cell = try #require(s.model.selectedCell)
        #expect(s.view == .histogram)
        #expect(commands.contains { if case .load(let ref, _) = $0 { return ref == TensorRef(file: 0, tensor: cell.tensor) } else { return false } })
        #expect(s.browser.selectedRef == TensorRef(file: 0, tensor: cell.tensor))
    }

    @Test func changingTheSchemeScansAgainAndComingBackReusesTheScan() throws {
        var s = try Self.state(keys: [.character("7")])
        let first = s.scanKey
        let commands = s.handle(.input(.key(.character("-"))))
        guard case .background(.scan(let key, _, _, let tensors), _)? = commands.first(where: { if case .background = $0 { return true } else { return false } }) else {
            Issue.record("no scan started for the new scheme: \(commands)")
            return
        }
        #expect(key == "int7 tensor" && tensors.count == 23)
        Self.settle(&s, commands)
        #expect(s.model.scans[key]?.complete == true)
        let back = s.handle(.input(.key(.character("+"))))
        #expect(s.scanKey == first)
        #expect(!back.contains { if case .background = $0 { return true } else { return false } }, "the first scan is complete: nothing to run")
    }

    @Test func escStopsTheScanAndItDoesNotRestartUntilTheSchemeChanges() throws {
        var s = try Self.state(keys: [])
        let started = s.handle(.input(.key(.character("7"))))
        #expect(started.contains { if case .background = $0 { return true } else { return false } })
        #expect(s.background != nil)
        _ = s.handle(.input(.key(.escape)))
        #expect(s.background == nil)
        #expect(s.message?.contains("stopped") == true)
        // A tick (or any key) must not start it again by itself.
        let after = s.handle(.tick(progress: nil)) + s.handle(.input(.key(.right)))
        #expect(!after.contains { if case .background = $0 { return true } else { return false } })
        let next = s.handle(.input(.key(.character("a"))))
        #expect(next.contains { if case .background = $0 { return true } else { return false } }, "a new scheme scans again")
    }

    @Test func vCyclesTheColouringAndTheDiffNeedsAnOriginal() throws {
        var s = try Self.state(keys: [.character("7")])
        #expect(s.model.coloring == .sqnr)
        _ = s.handle(.input(.key(.character("v"))))
        #expect(s.model.coloring == .storedBits)
        #expect(Self.text(s).contains("32.00"), "float32 weights spend 32 bits each")
        _ = s.handle(.input(.key(.character("v"))))
        #expect(s.model.coloring == .sqnr, "no --against: no diff colouring")
    }

    @Test func theDiffAgainstTheOriginalIsWhatDiffMeasures() throws {
        // The Llama fixture and the GGUF gguf-py wrote of it (the CLI's diff tests check these against numpy).
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("QuantEngineTests/Fixtures/diff")
        let gguf = OpenFile(checkpoint: try Checkpoint.open(folder.appendingPathComponent("llama.gguf").path))
        let original = OpenFile(checkpoint: try Checkpoint.open(folder.appendingPathComponent("llama.safetensors").path))
        let s = try Self.state(keys: [.character("7")], tensor: "blk.0.attn_q.weight", file: gguf, against: original)
        #expect(s.model.coloring == .diff)
        let (pairs, _, _) = CheckpointDiff.match(original: original.checkpoint, quantized: gguf.checkpoint)
        for pair in pairs {
            let want = try CheckpointDiff.compare(pair, original: original.checkpoint, quantized: gguf.checkpoint)
            #expect(s.model.diffResults[pair.quantized.name]?.metrics.sqnrDecibels == want.metrics.sqnrDecibels, "\(pair.quantized.name)")
        }
        #expect(s.model.grid.cells.allSatisfy { s.model.diffResults[$0.name] != nil }, "every weight of the GGUF has its original")
        Golden.check(ScreenRenderer.render(s, theme: .monochrome), "model-80x24-diff")
    }

    @Test func sweepPointsAreSweepsAndTheFrontIsMarked() throws {
        let s = try Self.state(keys: [.character("8")])
        let t = try #require(s.tensor)
        let table = try #require(s.model.sweeps[t.ref])
        let (results, skipped) = try ModelScan.run(try Self.modelFile().checkpoint, tensors: [t.info], settings: SchemeSweep.settings(rank: 2))
        #expect(table.complete && table.points.count == results.count && table.skipped.count == skipped.count)
        for (a, b) in zip(table.points, results) {
            #expect(a.scheme == b.scheme && a.granularity == b.granularity && a.metrics.mse == b.metrics.mse)
        }
        let text = Self.text(s)
        #expect(text.contains("◆ now int8 tensor"))
        // The cheapest front point is listed first, and it is the cheapest point of all.
        let cheapest = try #require(results.min { ($0.cost.bitsPerWeight, $0.metrics.mse) < ($1.cost.bitsPerWeight, $1.metrics.mse) })
        #expect(text.contains(String(format: "%7.3f", cheapest.cost.bitsPerWeight)))
    }

    @Test func theTensorListShowsTheScansSQNR() throws {
        let s = try Self.state(keys: [.character("e")], width: 160, height: 48)
        let table = try #require(s.currentScan)
        #expect(table.complete, "e scans the model under the current scheme")
        let r = try #require(table.results["model.layers.1.self_attn.o_proj.weight"])
        let rendered = Self.text(s)
        let line = try #require(rendered.split(separator: "\n").first { $0.contains("o_proj") && $0.contains(String(format: "%.1f", r.metrics.sqnrDecibels)) })
        #expect(line.contains("F32"))
        #expect(rendered.split(separator: "\n").contains { $0.contains("input_layernorm") && $0.contains("—") }, "a norm is not a weight the scan covers")
    }

    @Test func edgeCases() throws {
        // A file with no weights of rank ≥ 2, and an empty tensor's Sweep view.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-ui-no-weights.safetensors").path
        try SafetensorsWriter.write([.float32("norm.weight", shape: [8], [Float](repeating: 1, count: 8)), .float32("empty", shape: [0, 4], [])], to: path)
        let file = OpenFile(checkpoint: try Checkpoint.open(path))
        let model = try Self.state(keys: [.character("7")], tensor: "norm.weight", file: file)
        #expect(Self.text(model).contains("no weights of rank ≥ 2"))
        let sweep = try Self.state(keys: [.character("8")], tensor: "empty", file: file)
        #expect(Self.text(sweep).contains("nothing to sweep"))
        #expect(sweep.background == nil)
        // A terminal shrunk while the Model view shows: every size renders.
        var s = try Self.state(keys: [.character("7")])
        for (w, h) in [(80, 24), (60, 10), (100, 30), (200, 60)] {
            _ = s.handle(.input(.resize(width: w, height: h)))
            _ = ScreenRenderer.render(s, theme: .monochrome)
        }
    }
}
