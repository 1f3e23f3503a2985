import Foundation
import QuantEngine
import QuantScopeUI

/// The values of `quantscope render`'s options that ArgumentParser cannot
/// check itself (docs/contract.md §14), parsed into what the session needs;
/// each bad one is a `UsageError` naming it.
enum RenderSpec {
    /// What `--view` asks for.
    enum View: Equatable {
        case view(ViewKind)
        case compare
        /// 0-based lesson and scene.
        case tour(lesson: Int, scene: Int)
    }

    static let viewNames = "histogram, mapping, error, packing, bits, matmul, model, sweep, methods, compare, tour:N or tour:N.S"

    static func view(_ text: String) throws -> View {
        let names: [String: ViewKind] = ["histogram": .histogram, "mapping": .mapping, "error": .error, "packing": .packing,
                                         "bits": .bits, "matmul": .matmul, "model": .model, "sweep": .sweep, "methods": .methods]
        let lower = text.lowercased()
        if let kind = names[lower] { return .view(kind) }
        if lower == "compare" { return .compare }
        guard lower.hasPrefix("tour:") else { throw UsageError("unknown view '\(text)' (views: \(viewNames))") }
        let parts = lower.dropFirst(5).split(separator: ".", omittingEmptySubsequences: false)
        let lessons = TourLessons.all.count
        guard (1...2).contains(parts.count), let lesson = Int(parts[0]), (1...lessons).contains(lesson) else {
            throw UsageError("--view \(text): the tour has lessons 1…\(lessons) (tour:N, or tour:N.S for scene S)")
        }
        let scenes = TourLessons.all[lesson - 1].scenes.count
        var scene = 1
        if parts.count == 2 {
            guard let s = Int(parts[1]), (1...scenes).contains(s) else {
                throw UsageError("--view \(text): lesson \(lesson) has scenes 1…\(scenes)")
            }
            scene = s
        }
        return .tour(lesson: lesson - 1, scene: scene - 1)
    }

    /// The largest picture `--size` takes, in cells.
    static let maximumSize = (columns: 400, rows: 200)

    /// `COLSxROWS`, at least the explorer's 80×24.
    static func size(_ text: String) throws -> (columns: Int, rows: Int) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let columns = Int(parts[0]), let rows = Int(parts[1]) else {
            throw UsageError("--size must be COLSxROWS, such as 100x30, not '\(text)'")
        }
        guard (AppState.minimumWidth...maximumSize.columns).contains(columns), (AppState.minimumHeight...maximumSize.rows).contains(rows) else {
            throw UsageError("--size \(text) is out of range: \(AppState.minimumWidth)…\(maximumSize.columns) columns, \(AppState.minimumHeight)…\(maximumSize.rows) rows")
        }
        return (columns, rows)
    }

    /// Where `--cursor` puts the cursor.
    enum Cursor: Equatable {
        case index(Int)
        case rowColumn(Int, Int)
        case maxAbs
        case worst
    }

    static func cursor(_ text: String) throws -> Cursor {
        switch text.lowercased() {
        case "max": return .maxAbs
        case "worst": return .worst
        default:
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            if parts.count == 1, let i = Int(parts[0]), i >= 0 { return .index(i) }
            if parts.count == 2, let r = Int(parts[0].trimmingCharacters(in: .whitespaces)), let c = Int(parts[1].trimmingCharacters(in: .whitespaces)), r >= 0, c >= 0 {
                return .rowColumn(r, c)
            }
            throw UsageError("--cursor must be an element index I, ROW,COL, max or worst, not '\(text)'")
        }
    }

    /// `SCHEME[@GRANULARITY]` (as `recipe --schemes` spells one) with a clip, as explorer settings.
    static func settings(scheme: String, granularity: String?, clip: Float) throws -> QuantSettings {
        let parsedScheme = try Scheme(parsing: scheme)
        if let granularity { _ = try Granularity(parsing: granularity) }
        guard var settings = QuantSettings(scheme: scheme, granularity: granularity) else {
            throw UsageError("the explorer cannot show \(parsedScheme) at \(granularity ?? "its default granularity")")
        }
        settings.clip = clip
        return settings
    }

    static func comparison(_ text: String, clip: Float) throws -> QuantSettings {
        let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
        guard let scheme = parts.first, !scheme.isEmpty else { throw UsageError("--against must be SCHEME or SCHEME@GRANULARITY, such as int4@group:32") }
        return try settings(scheme: scheme, granularity: parts.count == 2 ? parts[1] : nil, clip: clip)
    }
}
