import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG file read back with Foundation's XML parser (not our code): the
/// root's attributes and every `<text>` element's position and content.
struct SVGDocument {
    struct Text {
        var x: Double
        var y: Double
        var content: String
    }

    var root: [String: String] = [:]
    var texts: [Text] = []
    var elementCounts: [String: Int] = [:]

    /// - Throws: the parser's error when the document is not well-formed XML.
    init(_ svg: String) throws {
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        guard parser.parse() else {
            throw CLI.Failure("not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error") at line \(parser.lineNumber)")
        }
        root = collector.root
        texts = collector.texts
        elementCounts = collector.counts
    }

    /// The screen's lines as the SVG draws its text: each `<text>` put back
    /// at its cells (x / cellWidth, one cell per scalar, combining marks on
    /// the cell before), trailing spaces trimmed.
    func lines(columns: Int, rows: Int, cellWidth: Double, cellHeight: Double) -> [String] {
        var grid = [[String]](repeating: [String](repeating: " ", count: columns), count: rows)
        for t in texts {
            let row = Int(t.y / cellHeight)
            var column = Int((t.x / cellWidth).rounded())
            guard grid.indices.contains(row) else { continue }
            for scalar in t.content.unicodeScalars {
                if scalar.properties.generalCategory == .nonspacingMark {
                    if column > 0, column - 1 < columns { grid[row][column - 1].unicodeScalars.append(scalar) }
                    continue
                }
                if column >= 0, column < columns { grid[row][column] = String(scalar) }
                column += 1
            }
        }
        return grid.map { cells in
            var line = Substring(cells.joined())
            while line.last == " " { line = line.dropLast() }
            return String(line)
        }
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var root: [String: String] = [:]
        var texts: [Text] = []
        var counts: [String: Int] = [:]
        private var current: Text?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            counts[name, default: 0] += 1
            if name == "svg" { root = attributes }
            if name == "text" {
                current = Text(x: Double(attributes["x"] ?? "") ?? -1, y: Double(attributes["y"] ?? "") ?? -1, content: "")
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            current?.content += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text", let t = current {
                texts.append(t)
                current = nil
            }
        }
    }
}
