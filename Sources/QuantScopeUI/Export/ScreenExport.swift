/// The file formats `quantscope render` writes (docs/contract.md §14),
/// chosen by the output's extension.
public enum ScreenExport: String, CaseIterable, Sendable {
    case text, ansi, svg

    /// The format for an output path: `.txt`, `.ansi`, `.svg`, and `-`
    /// (standard output) as text; nil for anything else.
    public init?(path: String) {
        if path == "-" { self = .text; return }
        let lower = path.lowercased()
        if lower.hasSuffix(".txt") { self = .text } else if lower.hasSuffix(".ansi") { self = .ansi } else if lower.hasSuffix(".svg") { self = .svg } else { return nil }
    }

    /// `buffer` in this format. Text is what golden files hold (rows with
    /// trailing spaces trimmed) plus a final newline.
    public func render(_ buffer: CellBuffer, palette: TerminalPalette = .dark, title: String? = nil) -> String {
        switch self {
        case .text: return buffer.text + "\n"
        case .ansi: return ANSIExporter.export(buffer)
        case .svg: return SVGExporter.export(buffer, palette: palette, title: title)
        }
    }
}
