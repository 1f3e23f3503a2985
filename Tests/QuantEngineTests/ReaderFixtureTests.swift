import Foundation
import Testing
@testable import QuantEngine

/// The safetensors, sharded-safetensors and GGUF readers against files the
/// real libraries wrote (`Fixtures/readers/`, made by
/// `tools/make_reader_fixtures.py` with `safetensors.numpy.save_file` and
/// `gguf.GGUFWriter`), and against the bundled `samples/`.
///
/// Every expectation comes from the libraries' own readers and decoders
/// (offsets from the header safetensors wrote, `gguf.GGUFReader` fields and
/// tensor infos, `astype(np.float32)`, `gguf.quants.dequantize`). Decoded
/// values compare bit for bit, any NaN equal to any NaN.
@Suite("Reader fixtures written by safetensors and gguf-py")
struct ReaderFixtureTests {
    static var manifest: [String: Any] { ((try? Fixtures.json("readers/manifest.json")) as? [String: Any]) ?? [:] }
    static var safetensorsFiles: [[String: Any]] { manifest["safetensors"] as? [[String: Any]] ?? [] }
    static var sharded: [String: Any] { manifest.object("sharded") ?? [:] }
    static var ggufFiles: [[String: Any]] { manifest["gguf"] as? [[String: Any]] ?? [] }
    static var samples: [String: Any] { manifest.object("samples") ?? [:] }

    static var safetensorsNames: [String] { safetensorsFiles.compactMap { $0.string("file") } }
    static var ggufNames: [String] { ggufFiles.compactMap { $0.string("file") } }
    /// The sharded model's entry points: the index, the folder, each shard.
    static var shardedEntryPoints: [String] {
        guard let index = sharded.string("index"), let folder = sharded.string("folder"),
              let shards = sharded["shards"] as? [String] else { return [] }
        return [index, folder] + shards.map { folder + "/" + $0 }
    }

    static func path(_ relative: String) -> String { Fixtures.url("readers/" + relative).path }

    /// The repository's `samples/` folder, found from this file's path.
    static func samplePath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples").appendingPathComponent(name).path
    }

    static func tensors(_ entry: [String: Any]) throws -> [[String: Any]] {
        try #require(entry["tensors"] as? [[String: Any]], "manifest entry without tensors")
    }

    // MARK: Coverage

    @Test("the manifest covers every dtype, GGUF type and GGUF value type")
    func manifestComplete() throws {
        let stDtypes = Set(try Self.safetensorsFiles.flatMap(Self.tensors).compactMap { $0.string("dtype") })
        for dtype in ["F64", "F32", "F16", "BF16", "F8_E4M3", "F8_E5M2", "F8_E8M0",
                      "I64", "I32", "I16", "I8", "U64", "U32", "U16", "U8", "BOOL"] {
            #expect(stDtypes.contains(dtype), "no \(dtype) tensor")
        }
        let stShapes = try Self.safetensorsFiles.flatMap(Self.tensors).compactMap { $0.ints("shape") }
        #expect(stShapes.contains([]), "no rank-0 tensor")
        #expect(stShapes.contains { $0.contains(0) }, "no empty tensor")

        #expect(Self.ggufNames == ["all_types.gguf", "all_types_v2.gguf", "aligned64.gguf"])
        let main = try #require(Self.ggufFiles.first)
        let ggufTensors = try Self.tensors(main)
        let ggufTypes = Set(ggufTensors.compactMap { $0.string("type") })
        for type in ["F32", "F16", "BF16", "F64", "I8", "I16", "I32", "I64", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0"] {
            #expect(ggufTypes.contains(type), "no \(type) tensor")
        }
        let ranks = Set(ggufTensors.compactMap { $0.ints("ne")?.count })
        #expect(ranks == [1, 2, 3, 4])
        let metadata = try #require(main["metadata"] as? [[String: Any]])
        let valueTypes = Set(metadata.flatMap { $0["types"] as? [String] ?? [] })
        for type in ["UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32", "BOOL", "STRING", "ARRAY",
                     "UINT64", "INT64", "FLOAT64"] {
            #expect(valueTypes.contains(type), "no \(type) metadata")
        }
        #expect(metadata.contains { ($0["types"] as? [String])?.prefix(2) == ["ARRAY", "ARRAY"] }, "no nested array")

        #expect(Self.shardedEntryPoints.count == 5)
        #expect(try Self.tensors(Self.samples.object("gguf") ?? [:]).count == 14)
        #expect(try Self.tensors(Self.samples.object("safetensors") ?? [:]).count == 14)
    }

    // MARK: safetensors

    @Test("safetensors files open with the library's names, dtypes, shapes, offsets, values and metadata",
          arguments: safetensorsNames)
    func safetensorsFile(_ file: String) throws {
        let entry = try #require(Self.safetensorsFiles.first { $0.string("file") == file })
        let expected = try Self.tensors(entry)
        let path = Self.path(file)
        let checkpoint = try Checkpoint.open(path)
        #expect(checkpoint.format == .safetensors)
        let metadata = try #require(entry["metadata"] as? [[String]])
        #expect(checkpoint.metadata == metadata.map { JSONValue.Member($0[0], .string($0[1])) })
        try Self.expectTensors(checkpoint, expected, label: file)
        for info in checkpoint.tensors {
            #expect(checkpoint.filePath(of: info) == path)
            #expect(info.ne == nil, "\(info.name)")
        }
    }

    @Test("a sharded model opens the same from its index, its folder and each shard", arguments: shardedEntryPoints)
    func shardedModel(_ entryPoint: String) throws {
        let folder = try #require(Self.sharded.string("folder"))
        let expected = try Self.tensors(Self.sharded)
        let checkpoint = try Checkpoint.open(Self.path(entryPoint))
        #expect(checkpoint.format == .safetensors)
        #expect(checkpoint.path == Self.path(entryPoint))
        let pairs = try #require(Self.sharded["metadata"] as? [[Any]])
        var metadata: [JSONValue.Member] = []
        for pair in pairs {
            let key = try #require(pair.first as? String)
            if let text = pair.last as? String {
                metadata.append(JSONValue.Member(key, .string(text)))
            } else {
                metadata.append(JSONValue.Member(key, .integer(Int64(try #require(JSONNumber.int(pair.last))))))
            }
        }
        #expect(checkpoint.metadata == metadata)
        try Self.expectTensors(checkpoint, expected, label: entryPoint)
        for (info, want) in zip(checkpoint.tensors, expected) {
            let shard = try #require(want.string("shard"))
            let actual = URL(fileURLWithPath: checkpoint.filePath(of: info)).standardizedFileURL.path
            let wanted = URL(fileURLWithPath: Self.path(folder + "/" + shard)).standardizedFileURL.path
            #expect(actual == wanted, "\(entryPoint) \(info.name): in \(actual), the index says \(shard)")
        }
    }

    // MARK: GGUF

    @Test("GGUF files open with gguf-py's tensors, offsets, decoded values and metadata", arguments: ggufNames)
    func ggufFile(_ file: String) throws {
        let entry = try #require(Self.ggufFiles.first { $0.string("file") == file })
        let checkpoint = try Checkpoint.open(Self.path(file))
        #expect(checkpoint.format == .gguf)
        try Self.expectTensors(checkpoint, try Self.tensors(entry), label: file)

        let expected = try #require(entry["metadata"] as? [[String: Any]])
        #expect(checkpoint.metadata.map(\.key) == expected.compactMap { $0.string("key") }, "\(file): keys or their order")
        var bad = Mismatches("\(file) metadata")
        for want in expected {
            let key = try #require(want.string("key"))
            let types = try #require(want["types"] as? [String])
            let value = try #require(Self.ggufValue(types[...], want["value"] as Any), "\(file) \(key): bad manifest value")
            let got = checkpoint.metadata.first { $0.key == key }?.value
            bad.check(got.map { Self.same($0, value) } ?? false,
                      "\(key): \(got.map { String(describing: $0) } ?? "missing") vs gguf-py \(value)")
        }
        bad.expectNone()
    }

    @Test("GGUF v2 (same layout as v3) gives the same tensors, values and metadata but the version")
    func ggufVersion2() throws {
        let v3 = try Checkpoint.open(Self.path("all_types.gguf"))
        let v2 = try Checkpoint.open(Self.path("all_types_v2.gguf"))
        #expect(v2.tensors == v3.tensors)
        #expect(v2.metadata.first { $0.key == "GGUF.version" }?.value == .integer(2))
        #expect(v3.metadata.first { $0.key == "GGUF.version" }?.value == .integer(3))
        #expect(v2.metadata.filter { $0.key != "GGUF.version" } == v3.metadata.filter { $0.key != "GGUF.version" })
        for info in v3.tensors {
            let a = try v3.load(info).values
            let b = try v2.load(named: info.name).values
            #expect(a.count == b.count && zip(a, b).allSatisfy { sameBits($0, $1) }, "\(info.name)")
        }
    }

    @Test("general.alignment = 64 puts the data and every tensor on a multiple of 64")
    func ggufAlignment() throws {
        let checkpoint = try Checkpoint.open(Self.path("aligned64.gguf"))
        #expect(checkpoint.metadata.first { $0.key == "general.alignment" }?.value == .integer(64))
        let dataOffset = try #require(checkpoint.metadata.first { $0.key == "GGUF.data_offset" }?.value.intValue)
        #expect(dataOffset % 64 == 0 && dataOffset % 128 != 0, "data offset \(dataOffset): not a test of 64 over 32")
        #expect(checkpoint.tensors.count == 5)
        for info in checkpoint.tensors {
            #expect(info.offset % 64 == 0, "\(info.name) at \(info.offset)")
            #expect(info.byteCount % 64 != 0, "\(info.name): every size odd, so padding matters")
        }
        let plain = try Checkpoint.open(Self.path("all_types.gguf"))
        #expect(plain.tensors.allSatisfy { $0.offset % 32 == 0 })
        #expect(plain.tensors.contains { $0.offset % 64 != 0 }, "the default alignment is 32, not 64")
    }

    // MARK: Bundled samples

    @Test("samples/minilm-l6-layer0.gguf decodes to gguf-py's values (hashed)")
    func sampleGGUF() throws {
        let entry = try #require(Self.samples.object("gguf"))
        let expected = try Self.tensors(entry)
        let checkpoint = try Checkpoint.open(Self.samplePath(try #require(entry.string("file"))))
        #expect(checkpoint.tensors.map(\.name) == expected.compactMap { $0.string("name") })
        for (info, want) in zip(checkpoint.tensors, expected) {
            Self.expectInfo(info, want, label: "sample gguf")
            let values = try checkpoint.load(info).values
            try Self.expectDigest(values, want, folder: "samples_gguf", label: "sample gguf \(info.name)")
        }
    }

    @Test("samples/minilm-l6-layer0.safetensors has safetensors' names, shapes and values")
    func sampleSafetensors() throws {
        let entry = try #require(Self.samples.object("safetensors"))
        let expected = try Self.tensors(entry)
        let checkpoint = try Checkpoint.open(Self.samplePath(try #require(entry.string("file"))))
        #expect(checkpoint.format == .safetensors)
        #expect(checkpoint.tensors.map(\.name) == expected.compactMap { $0.string("name") })
        for (info, want) in zip(checkpoint.tensors, expected) {
            Self.expectInfo(info, want, label: "sample safetensors")
            try Self.expectDigest(try checkpoint.load(info).values, want, folder: nil, label: "sample safetensors \(info.name)")
        }
    }

    // MARK: Helpers

    /// Name, dtype, shape, `ne`, offset and byte count of one tensor against its manifest entry.
    static func expectInfo(_ info: TensorInfo, _ want: [String: Any], label: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        let label = "\(label) \(info.name)"
        #expect(info.name == want.string("name"), "\(label)", sourceLocation: sourceLocation)
        #expect(info.dtype == (want.string("dtype") ?? want.string("type")), "\(label): dtype", sourceLocation: sourceLocation)
        #expect(info.shape == want.ints("shape"), "\(label): shape", sourceLocation: sourceLocation)
        #expect(info.offset == want.int("offset"), "\(label): offset", sourceLocation: sourceLocation)
        #expect(info.byteCount == want.int("bytes"), "\(label): bytes", sourceLocation: sourceLocation)
        if let ne = want.ints("ne") {
            #expect(info.ne == ne, "\(label): ne", sourceLocation: sourceLocation)
            #expect(info.storage == want.string("type").flatMap(GGMLType.named).map(StoredType.ggml), "\(label): storage",
                    sourceLocation: sourceLocation)
        }
    }

    /// Every tensor's info, in file order, and its decoded values bit for bit.
    static func expectTensors(_ checkpoint: Checkpoint, _ expected: [[String: Any]], label: String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(checkpoint.tensors.map(\.name) == expected.compactMap { $0.string("name") }, "\(label): names or order",
                sourceLocation: sourceLocation)
        for (info, want) in zip(checkpoint.tensors, expected) {
            expectInfo(info, want, label: label, sourceLocation: sourceLocation)
            let reference = try Fixtures.f32("readers/expected/" + (try #require(want.string("expected"))))
            let tensor = try checkpoint.load(info)
            #expect(tensor.shape == info.shape, sourceLocation: sourceLocation)
            #expect(tensor.values.count == reference.count,
                    "\(label) \(info.name): \(tensor.values.count) values, the library has \(reference.count)",
                    sourceLocation: sourceLocation)
            var bad = Mismatches("\(label) \(info.name) (\(info.dtype))")
            for (i, (got, ref)) in zip(tensor.values, reference).enumerated() {
                bad.check(sameBits(got, ref), "[\(i)] \(Show.float(got)) vs library \(Show.float(ref))")
            }
            bad.expectNone(sourceLocation: sourceLocation)
        }
    }

    /// A big tensor against its FNV-1a-64 digest; on a mismatch, names the
    /// first differing row and the first differing value of the stored head.
    static func expectDigest(_ values: [Float], _ want: [String: Any], folder: String?, label: String) throws {
        let shape = try #require(want.ints("shape"))
        #expect(values.count == Tensor.elementCount(shape), "\(label): count")
        let digest = fnv1a64(values[...])
        guard digest != want.string("fnv1a64") else { return }
        var detail = "\(label): FNV-1a-64 \(digest), gguf-py \(want.string("fnv1a64") ?? "?")"
        detail += "; sum \(values.reduce(0.0) { $0 + Double($1) }) vs \(want.string("sum") ?? "?")"
        if let rows = want["row_fnv1a64"] as? [String], !rows.isEmpty, let width = shape.last, width > 0 {
            if let row = rows.indices.first(where: { fnv1a64(values[($0 * width)..<min(values.count, ($0 + 1) * width)]) != rows[$0] }) {
                detail += "; first bad row \(row) of \(rows.count)"
            }
        }
        if let folder, let name = want.string("name") {
            let head = try Fixtures.f32("readers/\(folder)/\(name).head.f32")
            if let i = zip(values, head).enumerated().first(where: { !sameBits($0.element.0, $0.element.1) })?.offset {
                detail += "; first bad value [\(i)] \(Show.float(values[i])) vs gguf-py \(Show.float(head[i]))"
            } else {
                detail += "; the first \(head.count) values agree"
            }
        }
        Issue.record("\(detail)")
    }

    /// FNV-1a, 64-bit, over the values' little-endian float32 bytes, as 16 lower-case hex digits.
    static func fnv1a64(_ values: ArraySlice<Float>) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for value in values {
            var bits = value.bitPattern
            for _ in 0..<4 {
                hash = (hash ^ UInt64(bits & 0xFF)) &* 0x0000_0100_0000_01B3
                bits >>= 8
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The JSON value the reader gives a GGUF metadata value of gguf-py type
    /// chain `types`; numbers in the manifest are exact decimal strings.
    /// FLOAT32 is a Double holding the Float's exact value; a UINT64 above
    /// Int64.max becomes a Double, as the reader documents.
    static func ggufValue(_ types: ArraySlice<String>, _ value: Any) -> JSONValue? {
        guard let type = types.first else { return nil }
        switch type {
        case "ARRAY":
            guard let items = value as? [Any] else { return nil }
            let values = items.compactMap { ggufValue(types.dropFirst(), $0) }
            return values.count == items.count ? .array(values) : nil
        case "STRING": return (value as? String).map(JSONValue.string)
        case "BOOL": return (value as? Bool).map(JSONValue.bool)
        case "FLOAT32", "FLOAT64": return (value as? String).flatMap(Double.init).map(JSONValue.number)
        case "UINT64":
            guard let u = (value as? String).flatMap({ UInt64($0) }) else { return nil }
            return u <= UInt64(Int64.max) ? .integer(Int64(u)) : .number(Double(u))
        case "UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "INT64":
            return (value as? String).flatMap { Int64($0) }.map(JSONValue.integer)
        default: return nil
        }
    }

    /// Structural equality with numbers compared by bit pattern (so −0 ≠ +0), NaN equal to NaN.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return (x.isNaN && y.isNaN) || x.bitPattern == y.bitPattern
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && same($0.value, $1.value) }
        default: return a == b
        }
    }
}
