import Foundation
import QuantEngine
import Testing
@testable import QuantScopeUI

/// Golden screens: a rendered `CellBuffer`'s text compared with
/// `Golden/<name>.txt`. Set `QUANTSCOPE_RECORD_GOLDEN=1` to (re)write the
/// files, then review them in the diff: they are the expected screens.
enum Golden {
    static var folder: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden") }
    static var recording: Bool { ProcessInfo.processInfo.environment["QUANTSCOPE_RECORD_GOLDEN"] == "1" }

    static func check(_ buffer: CellBuffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        compare(buffer.text + "\n", file: name + ".txt", sourceLocation: sourceLocation)
    }

    /// Checks what each cell's colour means, as `Golden/<name>.styles`: the
    /// screen rendered with `StyleMap.theme` (every semantic style its own
    /// colour), one character per cell (legend in `StyleMap`). Its text
    /// must equal the monochrome rendering's: only the styles differ.
    static func checkStyles(_ state: AppState, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let probed = ScreenRenderer.render(state, theme: StyleMap.theme)
        #expect(probed.text == ScreenRenderer.render(state, theme: .monochrome).text,
                "\(name): the probe theme changed the text", sourceLocation: sourceLocation)
        compare(StyleMap.map(probed) + "\n", file: name + ".styles", sourceLocation: sourceLocation)
    }

    /// Compares `actual` with the golden file (or records it), naming the
    /// first differing line and column.
    static func compare(_ actual: String, file: String, sourceLocation: SourceLocation) {
        let url = folder.appendingPathComponent(file)
        if recording {
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("golden \(file) is missing; record it with QUANTSCOPE_RECORD_GOLDEN=1", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
            let el = line < e.count ? Array(e[line]) : [], al = line < a.count ? Array(a[line]) : []
            let column = zip(el, al).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(el.count, al.count)
            Issue.record("""
                golden \(file) differs at line \(line + 1), column \(column + 1):
                expected: \(line < e.count ? String(e[line]) : "<end>")
                actual:   \(line < a.count ? String(a[line]) : "<end>")
                """, sourceLocation: sourceLocation)
        }
    }
}

/// Fixed tensors and ready-made states for view tests: everything computed
/// synchronously with the same code the worker runs.
enum TestStates {
    /// A seeded [rows, columns] tensor: N(0, 0.05) with a few outlier columns
    /// (×12) like an LLM weight, and one all-zero row.
    static func weight(rows: Int = 48, columns: Int = 96, seed: UInt64 = 7) -> Tensor {
        var rng = SplitMix64(seed: seed)
        var values = [Float](repeating: 0, count: rows * columns)
        for i in values.indices {
            let u1 = max(Double(rng.next() >> 11) * 0x1p-53, 1e-300), u2 = Double(rng.next() >> 11) * 0x1p-53
            values[i] = Float((-2 * Foundation.log(u1)).squareRoot() * cos(2 * .pi * u2) * 0.05)
        }
        for r in 0..<rows { for c in [5, 61] where c < columns { values[r * columns + c] *= 12 } }
        if rows > 3 { for c in 0..<columns { values[3 * columns + c] = 0 } }
        return Tensor(shape: [rows, columns], values: values)
    }

    /// A file holding `tensor` named `name`, opened as the explorer opens files.
    static func file(_ tensor: Tensor, name: String = "layer.0.weight") throws -> OpenFile {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-ui-\(name)-\(tensor.count).safetensors").path
        try SafetensorsWriter.write([.float32(name, shape: tensor.shape, tensor.values)], to: path)
        return OpenFile(checkpoint: try Checkpoint.open(path))
    }

    /// A state with `tensor` open and analysed under `settings`, at a size.
    static func state(_ tensor: Tensor = weight(), settings: QuantSettings = QuantSettings(), view: ViewKind = .histogram,
                      cursor: Int = 0, width: Int = 120, height: Int = 40, comparisons: Bool = true,
                      focus: Focus = .view) throws -> AppState {
        let file = try file(tensor)
        var state = AppState(files: [file], width: width, height: height)
        let ref = TensorRef(file: 0, tensor: 0)
        let loaded = LoadedTensor(ref: ref, info: file.checkpoint.tensors[0], fileName: file.name, tensor: tensor)
        state.tensor = loaded
        state.settings = settings
        state.view = view
        state.cursor = cursor
        state.focus = focus
        let request = AnalysisRequest(tensor: loaded, settings: settings)
        var analysis = try Analyzer.analyze(request)
        if comparisons { analysis.add(try Analyzer.details(request, of: analysis)) }
        // Timings vary run to run: golden screens show a fixed one.
        analysis.milliseconds = 1.25
        state.analysis = analysis
        state.lastRecompute = 1.25
        return state
    }
}
