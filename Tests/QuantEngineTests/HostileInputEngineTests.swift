import Foundation
import Testing
@testable import QuantEngine

/// The engine's side of issue 9's hostile inputs: FIFOs, npz bombs, absolute
/// npz offsets, oversized granularities, and the text sanitizer.
@Suite("Hostile input (engine)")
struct HostileInputEngineTests {
    /// (A FIFO is tested through the CLI, under a deadline: opened here, a
    /// regression would block the whole test run.)
    @Test func devicesAndFoldersAreRefused() throws {
        #expect(throws: TensorFileError.cannotOpen(path: "/dev/null", reason: "not a regular file (a character device)")) {
            try MappedFile(path: "/dev/null")
        }
        let folder = Fixtures.url("npy").path
        #expect(throws: TensorFileError.cannotOpen(path: folder, reason: "not a regular file (a directory)")) { try MappedFile(path: folder) }
    }

    @Test func mappingsAreListedForTheBusErrorHandler() throws {
        let file = try MappedFile(path: Fixtures.url("npy/f4_le.npy").path)
        let base = try #require(file.bytes.baseAddress)
        let start = UInt(bitPattern: base)
        let inside = try #require(MappingRegistry.path(containing: start + UInt(file.count) - 1))
        #expect(String(decoding: inside, as: UTF8.self) == file.path)
        #expect(MappingRegistry.path(containing: start + UInt(file.count)) == nil || file.count % 4096 != 0)
    }

    /// The row tools/make_hostile_fixtures.py wrote for `file`'s member, from zipfile and zlib.
    static func npzRow(_ file: String) throws -> [String: Any] {
        let offsets = try #require((try Fixtures.json("hostile/npz_offsets.json") as? [String: Any])?["files"] as? [String: Any])
        return try #require((offsets[file] as? [[String: Any]])?.first)
    }

    /// tools/make_hostile_fixtures.py: one deflated member, a [4, 8] array
    /// followed by 128 MiB of zeros, which the zip directory declares. It
    /// is refused from its header (docs/contract.md §9), and finding the
    /// header inflated a chunk or two, not the member.
    @Test func anNPZBombIsRefusedFromItsHeader() throws {
        let row = try Self.npzRow("hostile/npz_bomb.npz")
        let size = try #require(row["uncompressed_size"] as? Int)
        let path = Fixtures.url("hostile/npz_bomb.npz").path
        #expect(size > 100 << 20 && row["data_end"] as? Int == 256)
        #expect(throws: TensorFileError.invalidMember(path: path, member: "w.npy",
                                                      reason: "\(size) bytes, longer than its header declares (128 of npy header + 128 of data)")) {
            try Checkpoint.open(path)
        }
        let file = try MappedFile(path: path)
        let directory = try ZIPDirectory(file.bytes, path: path)
        let member = try #require(directory.members.first)
        let store = try NPZMember(archive: file, member: member, range: try directory.dataRange(of: member, in: file.bytes, path: path),
                                  path: path, tensor: "w")
        #expect(throws: TensorFileError.self) { try store.readHeader() }
        #expect(store.headerBytesInflated > 0 && store.headerBytesInflated <= 2 * NPZMember.headerChunkSize,
                "the header read inflated \(store.headerBytesInflated) bytes")
    }

    /// The same bomb with its zip records rewritten to the size and CRC-32 of
    /// the npy bytes alone (numpy accepts it): opening succeeds, loading
    /// refuses it after inflating at most a chunk past the declared size.
    @Test func aStreamLongerThanItsDirectoryIsRefusedUnread() throws {
        let row = try Self.npzRow("hostile/npz_lying_size.npz")
        let declared = try #require(row["uncompressed_size"] as? Int)
        let stream = try #require(row["stream_size"] as? Int)
        #expect(declared == row["data_end"] as? Int && stream > 64 << 20)
        let path = Fixtures.url("hostile/npz_lying_size.npz").path
        let checkpoint = try Checkpoint.open(path)
        let info = try checkpoint.info(named: "w")
        #expect(throws: TensorFileError.invalidMember(path: path, member: "w.npy",
                                                      reason: "inflates past \(declared) bytes, longer than its header declares")) {
            try checkpoint.load(info)
        }
        let member = try #require(checkpoint.files[info.fileIndex] as? NPZMember)
        #expect(member.bytesInflated > declared && member.bytesInflated <= declared + 2 * NPZMember.chunkSize,
                "inflated \(member.bytesInflated) of the stream's \(stream) bytes")
        #expect(checkpoint.files[info.fileIndex].bytes.isEmpty)
    }

    /// Absolute offsets (stored) and none (deflated), against Python's zipfile.
    @Test(arguments: ["npy/arrays.npz", "npy/arrays_compressed.npz", "hostile/npz_lying_size.npz"])
    func npzOffsetsAreAbsolute(_ file: String) throws {
        let offsets = try #require((try Fixtures.json("hostile/npz_offsets.json") as? [String: Any])?["files"] as? [String: Any])
        let rows = try #require(offsets[file] as? [[String: Any]])
        let checkpoint = try Checkpoint.open(Fixtures.url(file).path)
        #expect(checkpoint.tensors.map(\.name) == rows.compactMap { $0["tensor"] as? String })
        for (info, row) in zip(checkpoint.tensors, rows) {
            #expect(info.fileOffset == row["offset"] as? Int, "\(file) \(info.name)")
            if let offset = info.fileOffset {
                // The bytes there are the array's own.
                let raw = try Data(contentsOf: Fixtures.url(file))
                let member = checkpoint.files[info.fileIndex].bytes
                #expect(raw[offset..<(offset + info.byteCount)].elementsEqual(member[info.offset..<(info.offset + info.byteCount)]))
            }
        }
    }

    @Test func oversizedGroupsAreTheWholeRowOrView() throws {
        let shape = [3, 10]
        let rows = try GroupLayout(shape: shape, granularity: .group(size: 10))
        for granularity in [Granularity.group(size: .max), .block(rows: 1, columns: .max)] {
            let layout = try GroupLayout(shape: shape, granularity: granularity)
            #expect(layout.groupCount == rows.groupCount)
            #expect((0..<30).map(layout.group(ofElement:)) == (0..<30).map(rows.group(ofElement:)))
        }
        let whole = try GroupLayout(shape: shape, granularity: .block(rows: .max, columns: .max))
        #expect(whole.groupCount == 1 && whole.elements(ofGroup: 0) == Array(0..<30))
        let tensor = Tensor(shape: shape, values: (0..<30).map { Float($0) - 7 })
        let a = try Quantizer.quantize(tensor, scheme: Scheme(parsing: "int8"), granularity: .group(size: .max))
        let b = try Quantizer.quantize(tensor, scheme: Scheme(parsing: "int8"), granularity: .group(size: 10))
        #expect(a.codes == b.codes && a.scales == b.scales)
    }

    @Test func displayTextEscapesAndCaps() {
        #expect(DisplayText.sanitized("plain name.weight") == "plain name.weight")
        #expect(DisplayText.sanitized("a\u{1B}[31mb\nc\td\r\u{7F}\u{9B}") == "a\\x1b[31mb\\nc\\td\\r\\x7f\\x9b")
        #expect(DisplayText.sanitized("x\u{202E}y\u{200B}z\u{2028}") == "x\\u{202E}y\\u{200B}z\\u{2028}")
        #expect(DisplayText.sanitized("é 日本 \\x1b") == "é 日本 \\x1b", "printable text and backslashes stay")
        let long = String(repeating: "a", count: 500) + "END"
        let brief = DisplayText.brief(long)
        #expect(brief.count <= DisplayText.defaultLimit && brief.contains("…[503 characters]…") && brief.hasSuffix("END"))
        #expect(DisplayText.brief(brief) == brief || DisplayText.brief(brief).count <= DisplayText.defaultLimit)
    }

    @Test func errorsAreOneShortLine() {
        let name = "w\n\u{1B}[2J" + String(repeating: "x", count: 1 << 20)
        let line = TensorFileError.tensorNotFound(path: "/tmp/a\nb.safetensors", tensor: name, suggestion: name).description
        #expect(!line.contains("\n") && !line.contains("\u{1B}"))
        #expect(line.count < 600, "\(line.count) characters")
        #expect(line.hasPrefix("/tmp/a\\nb.safetensors: no tensor named 'w\\n\\x1b[2Jxxx"))
    }

    @Test func jsonEscapesControlsAndStaysJSON() throws {
        let text = "a\u{1B}b\u{7F}c\u{9B}d\u{2028}e\n"
        let json = JSONValue.object([.init("k\u{1B}", .string(text))]).serialized(pretty: false)
        #expect(json == #"{"k\u001b":"a\u001bb\u007fc\u009bd\u2028e\n"}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        #expect(parsed == ["k\u{1B}": text])
    }
}
