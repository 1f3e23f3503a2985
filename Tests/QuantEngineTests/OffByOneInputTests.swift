import Foundation
import Testing
@testable import QuantEngine

/// Malformed files one byte from valid, built byte by byte here: the
/// readers' bounds are exact, not "roughly right" (the malformed suites
/// overlap spans by whole elements, which an off-by-one check still refuses).
@Suite("Readers: one byte past a bound")
struct OffByOneInputTests {
    /// Writes `bytes` to a fresh temporary file and opens it.
    static func open(_ bytes: [UInt8], _ name: String) throws(TensorFileError) -> Checkpoint {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-offbyone-\(UUID().uuidString)-\(name)").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Checkpoint.open(path)
    }

    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }

    /// A GGUF v3 file of I8 tensors (name, element count, relative offset), no metadata, alignment 32.
    static func gguf(_ tensors: [(String, Int, Int)], dataBytes: Int) -> [UInt8] {
        var b = Array("GGUF".utf8) + le(UInt32(3)) + le(UInt64(tensors.count)) + le(UInt64(0))
        for (name, count, offset) in tensors {
            b += le(UInt64(name.utf8.count)) + Array(name.utf8) + le(UInt32(1)) + le(UInt64(count)) + le(UInt32(24)) + le(UInt64(offset))
        }
        b += [UInt8](repeating: 0, count: (32 - b.count % 32) % 32)
        return b + [UInt8](repeating: 7, count: dataBytes)
    }

    /// A safetensors file of U8 tensors (name, begin, end).
    static func safetensors(_ tensors: [(String, Int, Int)], dataBytes: Int) -> [UInt8] {
        let items = tensors.map { "\"\($0.0)\":{\"dtype\":\"U8\",\"shape\":[\($0.2 - $0.1)],\"data_offsets\":[\($0.1),\($0.2)]}" }
        let header = Array(("{" + items.joined(separator: ",") + "}").utf8)
        return le(UInt64(header.count)) + header + [UInt8](repeating: 7, count: dataBytes)
    }

    static func expectBadOffsets(_ bytes: [UInt8], _ name: String, tensor: String) {
        do {
            _ = try open(bytes, name)
            Issue.record("\(name): opened")
        } catch {
            guard case .badOffsets(_, let t, _) = error else {
                Issue.record("\(name): expected badOffsets, got \(error)")
                return
            }
            #expect(t == tensor, "\(error)")
        }
    }

    @Test("GGUF tensors that share one byte are refused; touching ones open")
    func ggufOverlapByOneByte() throws {
        Self.expectBadOffsets(Self.gguf([("a", 33, 0), ("b", 32, 32)], dataBytes: 64), "overlap.gguf", tensor: "b")
        let touching = try Self.open(Self.gguf([("a", 32, 0), ("b", 32, 32)], dataBytes: 64), "touching.gguf")
        #expect(touching.tensors.map(\.byteCount) == [32, 32])
    }

    @Test("a GGUF tensor one byte past the end of the file is refused")
    func ggufOneBytePastTheEnd() {
        do {
            _ = try Self.open(Self.gguf([("a", 33, 0)], dataBytes: 32), "short.gguf")
            Issue.record("opened")
        } catch {
            guard case .truncated = error else { Issue.record("expected truncated, got \(error)"); return }
        }
    }

    @Test("safetensors spans that share one byte are refused; touching ones open")
    func safetensorsOverlapByOneByte() throws {
        Self.expectBadOffsets(Self.safetensors([("a", 0, 2), ("b", 1, 3)], dataBytes: 3), "overlap.safetensors", tensor: "b")
        let touching = try Self.open(Self.safetensors([("a", 0, 2), ("b", 2, 3)], dataBytes: 3), "touching.safetensors")
        #expect(touching.tensors.map(\.byteCount) == [2, 1])
    }

    @Test("a safetensors span one byte past the end of the file is refused")
    func safetensorsOneBytePastTheEnd() {
        do {
            _ = try Self.open(Self.safetensors([("a", 0, 4)], dataBytes: 3), "short.safetensors")
            Issue.record("opened")
        } catch {
            guard case .truncated = error else { Issue.record("expected truncated, got \(error)"); return }
        }
    }

    @Test("ByteCursor refuses a read one byte longer than what remains, and allows one that fits exactly")
    func cursorBounds() throws {
        let bytes: [UInt8] = [1, 2, 3, 4, 5]
        try bytes.withUnsafeBytes { raw in
            var cursor = ByteCursor(raw, path: "mem", offset: 2)
            #expect(throws: TensorFileError.truncated(path: "mem", what: "u32", needed: 4, available: 3)) { _ = try cursor.read(UInt32.self, "u32") }
            #expect(throws: TensorFileError.truncated(path: "mem", what: "four", needed: 4, available: 3)) { _ = try cursor.readBytes(4, "four") }
            #expect(throws: TensorFileError.truncated(path: "mem", what: "skip", needed: 4, available: 3)) { try cursor.skip(4, "skip") }
            let u16 = try cursor.read(UInt16.self, "u16"), u8 = try cursor.read(UInt8.self, "u8")
            #expect(u16 == 0x0403 && u8 == 5 && cursor.remaining == 0)
            #expect(throws: TensorFileError.truncated(path: "mem", what: "past", needed: 1, available: 0)) { _ = try cursor.read(UInt8.self, "past") }
        }
    }
}
