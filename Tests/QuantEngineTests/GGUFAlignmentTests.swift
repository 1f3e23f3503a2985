import Foundation
import Testing
@testable import QuantEngine

/// `general.alignment` = 64 against files gguf-py wrote
/// (`Fixtures/readers/alignment/`, `tools/make_alignment_fixtures.py`).
///
/// `aligned64.gguf` cannot tell 64 from 32 (its header end rounds to the
/// same offset either way). Here the header ends at 32 mod 64, so a reader
/// that rounds the data offset to 32 reads every tensor 32 bytes early;
/// and a tensor offset of 32 is legal under the default alignment but not
/// under 64, so a reader that checks offsets against 32 accepts it.
@Suite("GGUF general.alignment = 64, where 32 would read other bytes")
struct GGUFAlignmentTests {
    static var manifest: [String: Any] { ((try? Fixtures.json("readers/alignment/manifest.json")) as? [String: Any]) ?? [:] }
    static func path(_ name: String) -> String { Fixtures.url("readers/alignment/" + name).path }

    @Test("the header ends at 1…32 mod 64, so 32 and 64 give different data offsets")
    func fixtureTellsTheAlignmentsApart() throws {
        let end = try #require(Self.manifest.int("header_end")), data = try #require(Self.manifest.int("data_offset"))
        #expect((1...32).contains(end % 64))
        #expect(data == (end + 63) / 64 * 64 && data != (end + 31) / 32 * 32)
    }

    @Test("data offset, tensor offsets and values are gguf-py's")
    func readsTheRightBytes() throws {
        let file = try #require(Self.manifest.string("file"))
        let checkpoint = try Checkpoint.open(Self.path(file))
        #expect(checkpoint.metadata.first { $0.key == "general.alignment" }?.value == .integer(64))
        let dataOffset = checkpoint.metadata.first { $0.key == "GGUF.data_offset" }?.value.intValue
        #expect(dataOffset == Self.manifest.int("data_offset"), "data offset")
        let expected = try #require(Self.manifest["tensors"] as? [[String: Any]])
        #expect(checkpoint.tensors.map(\.name) == expected.compactMap { $0.string("name") })
        for (info, want) in zip(checkpoint.tensors, expected) {
            #expect(info.offset == want.int("offset"), "\(info.name): offset \(info.offset), gguf-py \(want.int("offset") ?? -1)")
            #expect(info.byteCount == want.int("bytes") && info.shape == want.ints("shape"), "\(info.name): size or shape")
            let values = try checkpoint.load(info).values
            let reference = try Fixtures.f32("readers/alignment/" + (try #require(want.string("expected"))))
            var bad = Mismatches("\(info.name) values")
            #expect(values.count == reference.count, "\(info.name): \(values.count) values, gguf-py \(reference.count)")
            for i in 0..<min(values.count, reference.count) {
                bad.check(sameBits(values[i], reference[i]), "element \(i): gguf-py \(Show.float(reference[i])), got \(Show.float(values[i]))")
            }
            bad.expectNone()
        }
    }

    @Test("a tensor offset that is a multiple of 32 but not of 64 is refused")
    func misalignedOffsetIsRefused() throws {
        let misaligned = try #require(Self.manifest.object("misaligned"))
        let file = try #require(misaligned.string("file")), tensor = try #require(misaligned.string("tensor"))
        let path = Self.path(file)
        do {
            let checkpoint = try Checkpoint.open(path)
            Issue.record("opened with \(tensor) at \(checkpoint.tensors.first { $0.name == tensor }?.offset ?? -1)")
        } catch {
            guard case .badOffsets(let p, let t, let reason) = error else {
                Issue.record("expected badOffsets, got \(error)")
                return
            }
            #expect(p == path && t == tensor && reason.contains("64"), "\(error)")
        }
    }
}
