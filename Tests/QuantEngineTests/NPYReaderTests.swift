import Foundation
import Testing
@testable import QuantEngine

/// The .npy and .npz readers against files numpy wrote (`Fixtures/npy/`, made
/// by `tools/make_npy_fixtures.py`), and malformed inputs built here that must
/// each throw a `TensorFileError` quickly, never trap or hang.
@Suite("NPY and NPZ readers")
struct NPYReaderTests {
    // MARK: Fixtures written by numpy

    static var manifestFiles: [[String: Any]] {
        ((try? Fixtures.json("npy/manifest.json")) as? [String: Any])?["files"] as? [[String: Any]] ?? []
    }

    static var fixtureNames: [String] { manifestFiles.compactMap { $0.string("file") } }

    @Test("the manifest lists every kind of fixture")
    func manifestComplete() {
        let names = Set(Self.fixtureNames)
        #expect(names.count >= 30)
        for code in ["f2", "f4", "f8", "i2", "i4", "i8", "u2", "u4", "u8"] {
            #expect(names.contains("\(code)_le.npy") && names.contains("\(code)_be.npy"), "\(code)")
        }
        for name in ["i1.npy", "u1.npy", "b1.npy", "f4_v1.npy", "f4_v2.npy", "f4_v3.npy", "fortran_3d.npy",
                     "scalar.npy", "empty.npy", "trailing.npy", "arrays.npz", "arrays_compressed.npz"] {
            #expect(names.contains(name), "\(name)")
        }
    }

    @Test("numpy's files open with numpy's names, dtypes, shapes, offsets and values", arguments: fixtureNames)
    func fixture(_ file: String) throws {
        let entry = try #require(Self.manifestFiles.first { $0.string("file") == file })
        let expectedTensors = try #require(entry["tensors"] as? [[String: Any]])
        let path = Fixtures.url("npy/" + file).path
        let isNPZ = entry.string("format") == "npz"
        let direct = isNPZ ? try NPZReader.open(path) : try NPYReader.open(path)
        for checkpoint in [direct, try Checkpoint.open(path)] {
            #expect(checkpoint.format == (isNPZ ? .npz : .npy))
            #expect(checkpoint.tensors.map(\.name) == expectedTensors.compactMap { $0.string("name") })
            if !isNPZ {
                var metadata = [
                    JSONValue.Member("npy_version", .string(try #require(entry.string("version")))),
                    JSONValue.Member("fortran_order", .bool(expectedTensors.first?["fortran_order"] as? Bool ?? false)),
                    JSONValue.Member("descr", .string(try #require(expectedTensors.first?.string("descr")))),
                ]
                if let trailing = entry.int("trailing_bytes"), trailing > 0 {
                    metadata.append(JSONValue.Member("trailing_bytes", .integer(Int64(trailing))))
                }
                #expect(checkpoint.metadata == metadata)
            }
            for (info, expected) in zip(checkpoint.tensors, expectedTensors) {
                let label = "\(file) \(info.name)"
                #expect(info.dtype == expected.string("descr"), "\(label)")
                #expect(info.shape == expected.ints("shape"), "\(label)")
                #expect(info.offset == expected.int("offset"), "\(label): offset")
                #expect(info.byteCount == expected.int("bytes"), "\(label): bytes")
                let fortran = expected["fortran_order"] as? Bool ?? false
                #expect(info.order == (fortran ? .columnMajor : .rowMajor), "\(label)")
                #expect(info.bigEndian == (expected.string("descr")?.first == ">"), "\(label)")
                if let member = expected.string("member") {
                    #expect(checkpoint.filePath(of: info) == path + ":" + member)
                }
                let values = try #require(expected.string("expected"), "\(label)")
                let want = try Fixtures.f32("npy/" + values)
                let tensor = try checkpoint.load(info)
                #expect(tensor.shape == info.shape)
                #expect(tensor.values.count == want.count, "\(label): \(tensor.values.count) values, numpy has \(want.count)")
                var bad = Mismatches(label)
                for (i, (got, ref)) in zip(tensor.values, want).enumerated() {
                    bad.check(sameBits(got, ref), "[\(i)] \(Show.float(got)) vs numpy \(Show.float(ref))")
                }
                bad.expectNone()
            }
        }
    }

    @Test("a deflated member is inflated on its first load, not at open, and once across threads")
    func lazyInflate() async throws {
        let path = Fixtures.url("npy/arrays_compressed.npz").path
        let checkpoint = try Checkpoint.open(path)
        let stores = checkpoint.files.compactMap { $0 as? NPZMember }
        #expect(stores.count == checkpoint.tensors.count)
        #expect(stores.allSatisfy { !$0.isInflated })
        let big = try checkpoint.info(named: "big")
        let loads = try await withThrowingTaskGroup(of: [Float].self) { group in
            for _ in 0..<8 { group.addTask { try checkpoint.load(big).values } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(loads.count == 8 && loads.allSatisfy { $0 == loads[0] })
        #expect(stores.filter(\.isInflated).map(\.path) == [path + ":big.npy"])
        #expect(stores.allSatisfy { $0.failure == nil })
    }

    @Test("the format is recognised by magic bytes when the extension says nothing")
    func openByMagic() throws {
        let scratch = try Scratch()
        for (fixture, copy, format) in [("f4_be.npy", "weights.bin", Checkpoint.Format.npy), ("arrays.npz", "bundle", .npz)] {
            let target = scratch.path(copy)
            try FileManager.default.copyItem(atPath: Fixtures.url("npy/" + fixture).path, toPath: target)
            let checkpoint = try Checkpoint.open(target)
            #expect(checkpoint.format == format)
            if format == .npy { #expect(checkpoint.tensors.map(\.name) == ["weights"]) }
        }
    }

    @Test("npz members that are not .npy are skipped and listed; an empty archive has no tensors")
    func otherMembers() throws {
        let scratch = try Scratch()
        let w = Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data: Self.floats([1.5, -2]))
        let path = scratch.write("mixed.npz", Self.archive([
            .init("README.txt", Array("hello".utf8)), .init("sub/", []), .init("w.npy", w, deflated: true),
        ], zip64: true))
        let checkpoint = try Checkpoint.open(path)
        #expect(checkpoint.tensors.map(\.name) == ["w"])
        #expect(checkpoint.metadata == [JSONValue.Member("ignored_members", .array([.string("README.txt"), .string("sub/")]))])
        #expect(try checkpoint.load(named: "w").values == [1.5, -2])

        let empty = try Checkpoint.open(scratch.write("empty.npz", Self.archive([])))
        #expect(empty.format == .npz && empty.tensors.isEmpty)
    }

    // MARK: Malformed .npy

    static let f4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"

    static let malformedNPY: [(label: String, bytes: [UInt8], kind: String)] = [
        ("empty file", [], "truncated"),
        ("magic only", NPYHeader.magic, "truncated"),
        ("bad magic", [0x93] + Array("NUMPZ".utf8) + [1, 0, 2, 0] + Array("{}".utf8), "invalidHeader"),
        ("a safetensors file named .npy", [2, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8), "invalidHeader"),
        ("version 4.0", npy(f4, data: zeros(24), version: 4), "invalidHeader"),
        ("version 1.1", NPYHeader.magic + [1, 1, 0, 0], "invalidHeader"),
        ("version 2.0 without its 4-byte length", NPYHeader.magic + [2, 0, 5, 0], "truncated"),
        ("header length past the end", npy(f4, data: zeros(24), declared: 60_000), "truncated"),
        ("header length 2^32 − 1 (v2)", npy(f4, data: zeros(24), version: 2, declared: 0xFFFF_FFFF), "headerTooLarge"),
        ("header not a dict", npy("[('descr', '<f4')]"), "invalidHeader"),
        ("header a bare string", npy("'<f4'"), "invalidHeader"),
        ("header not closed", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), "), "invalidHeader"),
        ("header with text after the dict", npy(f4 + " x"), "invalidHeader"),
        ("header string not closed", npy("{'descr': '<f4, 'fortran_order': False}"), "invalidHeader"),
        ("header with a NUL", npy("{'descr': '<f4',\0 'fortran_order': False, 'shape': (2, 3)}"), "invalidHeader"),
        ("header nested 100,000 deep", npy(String(repeating: "(", count: 100_000), version: 2), "invalidHeader"),
        ("a key that is not a string", npy("{1: '<f4', 'fortran_order': False, 'shape': (2, 3)}"), "invalidHeader"),
        ("missing shape", npy("{'descr': '<f4', 'fortran_order': False}"), "invalidHeader"),
        ("missing descr", npy("{'fortran_order': False, 'shape': (2, 3)}"), "invalidHeader"),
        ("an extra key", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}"), "invalidHeader"),
        ("a repeated key", npy("{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}"), "invalidHeader"),
        ("negative shape", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 3)}", data: zeros(24)), "invalidTensor"),
        ("float shape", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,)}", data: zeros(24)), "invalidTensor"),
        ("string shape", npy("{'descr': '<f4', 'fortran_order': False, 'shape': ('2',)}", data: zeros(24)), "invalidTensor"),
        ("bool shape", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (True,)}", data: zeros(24)), "invalidTensor"),
        ("shape a list", npy("{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3]}", data: zeros(24)), "invalidTensor"),
        ("shape a bare int", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (6)}", data: zeros(24)), "invalidTensor"),
        ("shape past 64 bits", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}"), "invalidHeader"),
        ("shape product overflows", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}"), "invalidTensor"),
        ("shape × itemsize overflows", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,)}"), "invalidTensor"),
        ("a huge shape the file cannot hold", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,)}"), "truncated"),
        ("rank 65", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (" + String(repeating: "1, ", count: 65) + ")}",
                        data: zeros(4)), "invalidTensor"),
        ("a zero dimension beside overflowing ones",
         npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4611686018427387904, 4611686018427387904)}"), "invalidTensor"),
        ("a 0.9 MiB header of keys", npy("{" + (0..<70_000).map { "'k\($0)': 0" }.joined(separator: ", ") + "}", version: 2),
         "invalidHeader"),
        ("a header over 1 MiB", npy("{" + String(repeating: " ", count: 1 << 20) + "}", version: 2), "headerTooLarge"),
        ("a 1 MiB header of a tuple", npy("{'descr': '<f4', 'fortran_order': False, 'shape': ("
                                          + String(repeating: "1,", count: 500_000) + ")}", version: 2), "invalidTensor"),
        ("a descr with a newline", npy("{'descr': '<f\\n4', 'fortran_order': False, 'shape': (1,)}", data: zeros(4)), "unknownDType"),
        ("a 100 KB descr", npy("{'descr': '" + String(repeating: "x", count: 100_000) + "', 'fortran_order': False, 'shape': (1,)}",
                               version: 2), "unknownDType"),
        ("fortran_order not a bool", npy("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3)}", data: zeros(24)), "invalidTensor"),
        ("truncated data", npy(f4, data: zeros(23)), "truncated"),
        ("no data at all", npy(f4), "truncated"),
        ("unknown descr <V2", npy("{'descr': '<V2', 'fortran_order': False, 'shape': (3,)}", data: zeros(6)), "unknownDType"),
        ("unknown descr <c8", npy("{'descr': '<c8', 'fortran_order': False, 'shape': (3,)}", data: zeros(24)), "unknownDType"),
        ("unknown descr O", npy("{'descr': '|O', 'fortran_order': False, 'shape': (3,)}", data: zeros(24)), "unknownDType"),
        ("unknown descr <f16", npy("{'descr': '<f16', 'fortran_order': False, 'shape': (1,)}", data: zeros(16)), "unknownDType"),
        ("structured descr", npy("{'descr': [('a', '<f4'), ('b', '<i2')], 'fortran_order': False, 'shape': (2,)}", data: zeros(12)),
         "unknownDType"),
        ("descr not a string", npy("{'descr': 4, 'fortran_order': False, 'shape': (2,)}", data: zeros(8)), "unknownDType"),
        ("v3 header not UTF-8", {
            var bytes = npy(f4 + " ", data: zeros(24), version: 3)
            bytes[12 + f4.utf8.count] = 0xFF
            return bytes
        }(), "invalidHeader"),
    ]

    @Test("each malformed .npy throws its TensorFileError", arguments: malformedNPY.indices)
    func malformedNPYFile(_ index: Int) throws {
        let (label, bytes, kind) = Self.malformedNPY[index]
        let scratch = try Scratch()
        let path = scratch.write("bad.npy", bytes)
        try Self.expectFailure(label, kind: kind, naming: path) { _ = try Checkpoint.open(path) }
    }

    @Test("headers numpy accepts that the writer never produces")
    func lenientHeaders() throws {
        let accepted: [(String, shape: [Int], descr: String)] = [
            ("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (6,)}", [6], "<f4"),
            ("{'shape': (2, 3,), 'fortran_order': True, 'descr': 'f4',}\n   \n", [2, 3], "f4"),
            ("  {'descr':'=f4','fortran_order':False,'shape':(1,2,3)}\t", [1, 2, 3], "=f4"),
            ("{'descr': '|f4', 'fortran_order': False, 'shape': (6L,)}", [6], "|f4"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': ((6),)}", [6], "<f4"),
        ]
        for (header, shape, descr) in accepted {
            let bytes = Self.npy(header, data: Self.zeros(24))
            let parsed = try bytes.withUnsafeBytes { raw in
                Result { () throws(TensorFileError) in try NPYHeader.parse(raw, totalLength: raw.count, path: "mem", tensor: "t") }
            }.get()
            #expect(parsed.shape == shape && parsed.descr == descr && parsed.storage == .float32 && !parsed.bigEndian, "\(header)")
        }
        for (descr, storage, big) in [("?", StoredType.bool, false), ("<b1", .bool, false), (">u1", .uint8, false),
                                      (">i8", .int64, true), ("u8", .uint64, false), ("<f2", .float16, false)] {
            let element = try #require(NPYHeader.elementType(descr), "\(descr)")
            #expect(element.0 == storage && element.bigEndian == big, "\(descr)")
        }
    }

    // MARK: Malformed .npz

    static let goodNPY = npy("{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }", data: [1, 0, 2, 0, 3, 0])

    static var malformedNPZ: [(label: String, bytes: [UInt8], kind: String)] {
        let broken = npy("{'descr': '<f4', 'fortran_order': False}", data: zeros(8))
        let truncatedData = npy(f4, data: zeros(10))
        let good = archive([.init("w.npy", goodNPY)])
        let goodDeflated = archive([.init("w.npy", goodNPY, deflated: true)])
        var cases: [(String, [UInt8], String)] = [
            ("not a zip", Array("this is not a zip archive, just some text".utf8), "invalidHeader"),
            ("empty file", [], "invalidHeader"),
            ("an npy file named .npz", goodNPY, "invalidHeader"),
            ("zip cut in half", Array(good.prefix(good.count / 2)), "invalidHeader"),
            ("member is a broken npy (stored)", archive([.init("w.npy", broken)]), "invalidHeader"),
            ("member is a broken npy (deflated)", archive([.init("w.npy", broken, deflated: true)]), "invalidHeader"),
            ("member npy with truncated data", archive([.init("w.npy", truncatedData, deflated: true)]), "truncated"),
            ("member with an unknown descr", archive([.init("w.npy", npy("{'descr': '<V2', 'fortran_order': False, 'shape': (1,)}",
                                                                  data: zeros(2)))]), "unknownDType"),
            ("member npy empty", archive([.init("w.npy", [])]), "truncated"),
            ("corrupt deflate stream", archive([.init("w.npy", goodNPY, deflated: true, payload: [0xFF, 0xFF, 0xFF, 0xFF])]), "invalidHeader"),
            // zlib is fed whole zero-padded chunks, and may read the padding as data:
            // a stream cut short fails, but not necessarily as `truncated`.
            ("deflate stream cut short", archive([.init("w.npy", goodNPY, deflated: true, payload: Array(deflateStored(goodNPY).prefix(40)))]),
             "error"),
            ("deflate stream with no final block",
             archive([.init("w.npy", goodNPY, deflated: true, payload: [0x00, 0x10, 0x00, 0xEF, 0xFF] + Array(goodNPY.prefix(16)))]),
             "error"),
            ("a stored block running on into the directory",
             archive([.init("w.npy", goodNPY, deflated: true, payload: [0x01, 0x60, 0xEA, 0x9F, 0x15] + Array(goodNPY.prefix(10)))]), "error"),
            ("deflate stream cut inside the data", archive([.init("w.npy", goodNPY, deflated: true, payload: Array(deflateStored(goodNPY).dropLast(3)))]),
             "error"),
            ("absurd uncompressed size", archive([.init("w.npy", goodNPY, deflated: true, declaredSize: 1 << 40)], zip64: true), "invalidTensor"),
            ("stored sizes differ", archive([.init("w.npy", goodNPY, declaredSize: 1000)]), "sizeMismatch"),
            ("compression method 12", archive([.init("w.npy", goodNPY, method: 12)]), "invalidTensor"),
            ("encrypted member", archive([.init("w.npy", goodNPY, flags: 1)]), "invalidTensor"),
            ("a broken member named with a newline", archive([.init("a\nb.npy", broken)]), "invalidHeader"),
            ("two members named w.npy", archive([.init("w.npy", goodNPY), .init("w.npy", goodNPY)]), "duplicateName"),
            ("local header names another member", archive([.init("w.npy", goodNPY, localName: "v.npy")]), "invalidHeader"),
            ("local header offset at garbage", archive([.init("w.npy", goodNPY, localOffset: 7)]), "badOffsets"),
            ("local header offset past the directory", archive([.init("w.npy", goodNPY, localOffset: 1 << 20)]), "invalidHeader"),
            ("member overlapping the next", archive([.init("a.npy", goodNPY, extendOverNext: true), .init("b.npy", goodNPY)]), "badOffsets"),
            ("member running into the directory", archive([.init("w.npy", goodNPY, declaredSize: goodNPY.count + 10, compressedExtra: 10)]),
             "badOffsets"),
            ("entry count lies", patchEnd(good, count: 0xFFFE), "truncated"),
            ("directory offset past the end", patchEnd(good, offset: 0x7FFF_FFF0), "invalidHeader"),
            ("directory size past the end", patchEnd(good, size: 0x7FFF_FFF0), "invalidHeader"),
            ("zip64 end record missing", patchEnd(good, offset: 0xFFFF_FFFF), "invalidHeader"),
            ("multi-disk archive", patchEnd(good, disk: 1), "invalidHeader"),
        ]
        // Every single-byte corruption of a small deflated archive's directory and end record.
        let directoryStart = goodDeflated.count - 22 - (46 + 5)
        for at in stride(from: directoryStart, to: goodDeflated.count, by: 3) {
            var bytes = goodDeflated
            bytes[at] ^= 0xA5
            cases.append(("byte \(at) of the directory flipped", bytes, "any"))
        }
        return cases
    }

    @Test("each malformed .npz throws its TensorFileError", arguments: malformedNPZ.indices)
    func malformedNPZFile(_ index: Int) throws {
        let (label, bytes, kind) = Self.malformedNPZ[index]
        let scratch = try Scratch()
        let path = scratch.write("bad.npz", bytes)
        try Self.expectFailure(label, kind: kind, naming: path) {
            // A corrupted archive may still open; then loading every tensor must fail or succeed cleanly.
            let checkpoint = try Checkpoint.open(path)
            for info in checkpoint.tensors { _ = try checkpoint.load(info) }
            if kind == "any" { return }
            Issue.record("\(label): opened and loaded without an error")
        }
    }

    @Test("a member whose data fails its CRC opens, then fails to load naming the member")
    func badCRC() throws {
        let scratch = try Scratch()
        var bad = Self.goodNPY
        bad[bad.count - 1] ^= 1
        // The payload inflates to `bad`, the directory keeps the CRC of the good bytes.
        let path = scratch.write("crc.npz", Self.archive([.init("w.npy", Self.goodNPY, deflated: true, payload: Self.deflateStored(bad))]))
        let checkpoint = try Checkpoint.open(path)
        #expect(checkpoint.tensors.map(\.shape) == [[3]])
        let error = #expect(throws: TensorFileError.self) { try checkpoint.load(named: "w") }
        #expect(error?.path == path + ":w.npy")
        let store = try #require(checkpoint.files.first as? NPZMember)
        if case .invalidHeader(_, let reason)? = store.failure { #expect(reason.contains("CRC")) } else {
            Issue.record("failure is \(String(describing: store.failure))")
        }
    }

    // MARK: Helpers

    /// Runs `body`, which must throw a `TensorFileError` of case `kind`
    /// ("error": any case; "any": any case, or none) that names `path`. The
    /// 30-second bound only guards against a reader that walks a lying size
    /// to the end; it is not a speed test (a loaded machine must not fail it).
    static func expectFailure(_ label: String, kind: String, naming path: String,
                              sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) throws {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            try body()
            #expect(kind == "any", "\(label): no error", sourceLocation: sourceLocation)
        } catch let error as TensorFileError {
            let found = String(String(describing: Mirror(reflecting: error).children.first?.label ?? "\(error)").prefix { $0 != "(" })
            #expect(kind == "any" || kind == "error" || found == kind, "\(label): \(found) (\(error)), expected \(kind)", sourceLocation: sourceLocation)
            #expect(error.path.hasPrefix(path), "\(label): \(error) does not name \(path)", sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix(path), "\(label): \(error.description)", sourceLocation: sourceLocation)
            #expect(!error.description.contains(where: \.isNewline) && error.description.count < 600,
                    "\(label): not one short line: \(error.description.prefix(600))", sourceLocation: sourceLocation)
        }
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(30), "\(label) took \(elapsed)", sourceLocation: sourceLocation)
    }

    /// An npy file: magic, version, little-endian header length (or `declared`), header text, data.
    static func npy(_ header: String, data: [UInt8] = [], version: UInt8 = 1, declared: Int? = nil) -> [UInt8] {
        let text = Array(header.utf8)
        let length = declared ?? text.count
        let lengthBytes = version == 1
            ? [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF)]
            : [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24 & 0xFF)]
        return NPYHeader.magic + [version, 0] + lengthBytes + text + data
    }

    static func zeros(_ count: Int) -> [UInt8] { [UInt8](repeating: 0, count: count) }

    static func floats(_ values: [Float]) -> [UInt8] { values.flatMap { le(UInt64($0.bitPattern), 4) } }

    /// `value`'s low `count` bytes, little-endian.
    static func le(_ value: UInt64, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    /// A raw deflate stream of stored blocks (what zlib writes at level 0).
    static func deflateStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var at = 0
        repeat {
            let n = min(0xFFFF, data.count - at)
            out += [at + n == data.count ? 1 : 0] + le(UInt64(n), 2) + le(UInt64(~n & 0xFFFF), 2) + data[at..<(at + n)]
            at += n
        } while at < data.count
        return out
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// One member of a hand-built zip, with ways to make it lie.
    struct Member {
        var name: String
        var content: [UInt8]
        var method: UInt16 = 0
        var payload: [UInt8]
        var flags: UInt16 = 0
        var declaredSize: Int?
        var localName: String?
        var localOffset: Int?
        var extendOverNext = false
        var compressedExtra = 0

        init(_ name: String, _ content: [UInt8], deflated: Bool = false, method: UInt16? = nil, payload: [UInt8]? = nil,
             flags: UInt16 = 0, declaredSize: Int? = nil, localName: String? = nil, localOffset: Int? = nil,
             extendOverNext: Bool = false, compressedExtra: Int = 0) {
            self.name = name
            self.content = content
            self.method = method ?? (deflated ? 8 : 0)
            self.payload = payload ?? (deflated ? NPYReaderTests.deflateStored(content) : content)
            self.flags = flags
            self.declaredSize = declaredSize
            self.localName = localName
            self.localOffset = localOffset
            self.extendOverNext = extendOverNext
            self.compressedExtra = compressedExtra
        }
    }

    /// A zip archive of `members`; with `zip64`, sizes and offsets go in ZIP64
    /// extra fields and the end record is preceded by a ZIP64 end record and locator.
    static func archive(_ members: [Member], zip64: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        var offsets: [Int] = []
        for m in members {
            offsets.append(out.count)
            let name = Array((m.localName ?? m.name).utf8)
            out += le(0x0403_4B50, 4) + le(20, 2) + le(UInt64(m.flags), 2) + le(UInt64(m.method), 2) + le(0, 4)
            out += le(UInt64(crc32(m.content)), 4) + le(UInt64(m.payload.count), 4) + le(UInt64(m.content.count), 4)
            out += le(UInt64(name.count), 2) + le(0, 2) + name + m.payload
        }
        let directory = out.count
        for (i, m) in members.enumerated() {
            let name = Array(m.name.utf8)
            var compressed = m.payload.count + m.compressedExtra
            var size = m.declaredSize ?? m.content.count
            if m.extendOverNext, i + 1 < members.count {
                compressed = (i + 2 < members.count ? offsets[i + 2] : directory) - offsets[i] - 30 - name.count
                size = compressed
            }
            let local = m.localOffset ?? offsets[i]
            let extra = zip64 ? le(1, 2) + le(24, 2) + le(UInt64(size), 8) + le(UInt64(compressed), 8) + le(UInt64(local), 8) : []
            out += le(0x0201_4B50, 4) + le(0x031E, 2) + le(45, 2) + le(UInt64(m.flags), 2) + le(UInt64(m.method), 2) + le(0, 4)
            out += le(UInt64(crc32(m.content)), 4)
            out += zip64 ? le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) : le(UInt64(compressed), 4) + le(UInt64(size), 4)
            out += le(UInt64(name.count), 2) + le(UInt64(extra.count), 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0o100644 << 16, 4)
            out += (zip64 ? le(0xFFFF_FFFF, 4) : le(UInt64(local), 4)) + name + extra
        }
        let directorySize = out.count - directory
        if zip64 {
            let record = out.count
            out += le(0x0606_4B50, 4) + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) + le(0, 4)
            out += le(UInt64(members.count), 8) + le(UInt64(members.count), 8) + le(UInt64(directorySize), 8) + le(UInt64(directory), 8)
            out += le(0x0706_4B50, 4) + le(0, 4) + le(UInt64(record), 8) + le(1, 4)
        }
        out += le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(UInt64(members.count), 2) + le(zip64 ? 0xFFFF : UInt64(members.count), 2)
        out += zip64 ? le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) : le(UInt64(directorySize), 4) + le(UInt64(directory), 4)
        out += le(0, 2)
        return out
    }

    /// `archive` with fields of its end record replaced.
    static func patchEnd(_ archive: [UInt8], count: Int? = nil, size: Int? = nil, offset: Int? = nil, disk: Int? = nil) -> [UInt8] {
        var bytes = archive
        let end = bytes.count - 22
        func put(_ value: Int?, at: Int, width: Int) {
            guard let value else { return }
            bytes.replaceSubrange((end + at)..<(end + at + width), with: le(UInt64(value), width))
        }
        put(disk, at: 4, width: 2)
        put(count, at: 10, width: 2)
        put(size, at: 12, width: 4)
        put(offset, at: 16, width: 4)
        return bytes
    }

    /// A fresh directory per test, removed afterwards.
    final class Scratch {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-npy-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        func write(_ name: String, _ bytes: [UInt8]) -> String {
            let target = path(name)
            _ = FileManager.default.createFile(atPath: target, contents: Data(bytes))
            return target
        }
        deinit { try? FileManager.default.removeItem(at: url) }
    }
}
