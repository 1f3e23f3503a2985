import Foundation
import Testing
@testable import QuantEngine

/// Safetensors write → read round trips, and malformed files that must each
/// throw their own `TensorFileError` (never trap).
@Suite("Safetensors")
struct SafetensorsTests {
    /// A fresh directory per test, removed afterwards.
    final class Scratch {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("quantscope-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    static func halfBytes(_ values: [Float16]) -> [UInt8] { values.flatMap { [UInt8($0.bitPattern & 0xFF), UInt8($0.bitPattern >> 8)] } }

    static let weights: [Float] = [1, -2.5, 3.25, 0, -0.0, Float(sign: .plus, exponent: -140, significand: 1)]
    static let signedCodes: [Int8] = [-128, -1, 0, 1, 127, 5]

    static var entries: [SafetensorsWriter.Entry] {
        [
            .float32("model.w", shape: [2, 3], weights),
            .uint8("codes", shape: [6], signedCodes.map { UInt8(bitPattern: $0) }, signed: true),
            .uint8("u", shape: [3], [0, 200, 255]),
            .int32("zero_points", shape: [2], [-7, 123_456]),
            SafetensorsWriter.Entry(name: "h", dtype: "F16", shape: [4], bytes: halfBytes([1, -2, 0.5, 65504])),
            SafetensorsWriter.Entry(name: "b", dtype: "BF16", shape: [2], bytes: [0x80, 0x3F, 0x40, 0xC0]),
            .float32("empty", shape: [0, 3], []),
            .float32("scalar", shape: [], [42]),
        ]
    }

    static let expectedValues: [String: [Float]] = [
        "model.w": weights, "codes": signedCodes.map(Float.init), "u": [0, 200, 255], "zero_points": [-7, 123_456],
        "h": [1, -2, 0.5, 65504], "b": [1, -3], "empty": [], "scalar": [42],
    ]

    static let expectedStorage: [String: StoredType] = [
        "model.w": .float32, "codes": .int8, "u": .uint8, "zero_points": .int32, "h": .float16, "b": .bfloat16,
        "empty": .float32, "scalar": .float32,
    ]

    @Test("write then read: names, dtypes, shapes, values and metadata")
    func roundTrip() throws {
        let scratch = try Scratch()
        let path = scratch.path("out.safetensors")
        try SafetensorsWriter.write(Self.entries, metadata: [("scheme", "int8"), ("granularity", "tensor")], to: path)
        for checkpoint in [try SafetensorsReader.open(path), try Checkpoint.open(path)] {
            #expect(checkpoint.format == .safetensors)
            #expect(checkpoint.tensors.map(\.name) == Self.entries.map(\.name))
            #expect(checkpoint.metadata == [JSONValue.Member("scheme", .string("int8")), JSONValue.Member("granularity", .string("tensor"))])
            for (info, entry) in zip(checkpoint.tensors, Self.entries) {
                #expect(info.dtype == entry.dtype)
                #expect(info.shape == entry.shape)
                #expect(info.storage == Self.expectedStorage[entry.name])
                #expect(info.byteCount == entry.bytes.count)
                let tensor = try checkpoint.load(named: entry.name)
                #expect(tensor.shape == entry.shape)
                let expected = try #require(Self.expectedValues[entry.name])
                #expect(tensor.values.count == expected.count)
                #expect(zip(tensor.values, expected).allSatisfy { sameBits($0, $1) }, "\(entry.name): \(tensor.values) vs \(expected)")
            }
            // The writer pads the header so the data starts 8-aligned.
            #expect(checkpoint.tensors.first.map { $0.offset % 8 } == 0)
        }
    }

    @Test("the serialized bytes parse back in memory")
    func serializeParse() throws {
        let bytes = SafetensorsWriter.serialize(Self.entries)
        let (metadata, tensors) = try bytes.withUnsafeBytes { try SafetensorsReader.parse($0, path: "mem") }
        #expect(metadata.isEmpty)
        #expect(tensors.map(\.name) == Self.entries.map(\.name))
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        #expect(tensors.first?.offset == 8 + headerLength)
    }

    @Test("writing over the input is refused, and a missing name is reported")
    func refusals() throws {
        let scratch = try Scratch()
        let path = scratch.path("in.safetensors")
        try SafetensorsWriter.write([.float32("x", shape: [1], [1])], to: path)
        #expect(throws: TensorFileError.refusedToOverwriteInput(path: path)) {
            try SafetensorsWriter.write([.float32("y", shape: [1], [2])], to: path, protecting: [path])
        }
        #expect(try SafetensorsReader.open(path).tensors.map(\.name) == ["x"])
        let error = #expect(throws: TensorFileError.self) { try Checkpoint.open(path).info(named: "missing") }
        if case .tensorNotFound(_, let name, _)? = error { #expect(name == "missing") } else { Issue.record("\(String(describing: error))") }
    }

    // MARK: Malformed files

    /// An 8-byte little-endian length, the header text, the data.
    static func file(_ header: String, data: [UInt8] = [], declared: UInt64? = nil) -> [UInt8] {
        let text = Array(header.utf8)
        return withUnsafeBytes(of: (declared ?? UInt64(text.count)).littleEndian, Array.init) + text + data
    }

    static func tensor(_ name: String, _ dtype: String, _ shape: String, _ begin: Int, _ end: Int) -> String {
        "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":[\(begin),\(end)]}"
    }

    /// The case name of an error, for matching without its message.
    static func kind(_ error: TensorFileError) -> String {
        String(String(describing: Mirror(reflecting: error).children.first?.label ?? "\(error)").prefix { $0 != "(" })
    }

    static let malformed: [(label: String, bytes: [UInt8], kind: String)] = [
        ("truncated length", [1, 2, 3], "truncated"),
        ("empty file", [], "truncated"),
        ("header length past the end", file("{}", declared: 1000), "truncated"),
        ("header over 100 MB declared", file("{}", declared: 200_000_000), "headerTooLarge"),
        ("header length 2^64 − 1", file("{}", declared: .max), "headerTooLarge"),
        ("not JSON", file("not json at all"), "invalidHeader"),
        ("JSON nested too deeply", file(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)), "invalidHeader"),
        ("header is an array", file("[]"), "invalidHeader"),
        ("duplicate names", file("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("a", "F32", "[1]", 4, 8) + "}", data: .init(repeating: 0, count: 8)), "duplicateName"),
        ("end before begin", file("{" + tensor("a", "F32", "[1]", 4, 0) + "}", data: .init(repeating: 0, count: 4)), "badOffsets"),
        ("overlapping spans", file("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 4, 12) + "}", data: .init(repeating: 0, count: 12)), "badOffsets"),
        ("a gap between spans", file("{" + tensor("a", "F32", "[1]", 4, 8) + "}", data: .init(repeating: 0, count: 8)), "badOffsets"),
        ("shape × dtype ≠ span", file("{" + tensor("a", "F32", "[3]", 0, 8) + "}", data: .init(repeating: 0, count: 8)), "sizeMismatch"),
        ("unknown dtype", file("{" + tensor("a", "F7", "[1]", 0, 4) + "}", data: .init(repeating: 0, count: 4)), "unknownDType"),
        ("span past the end of the file", file("{" + tensor("a", "F32", "[4]", 0, 16) + "}", data: .init(repeating: 0, count: 8)), "truncated"),
        ("data left over after the last span", file("{" + tensor("a", "F32", "[1]", 0, 4) + "}", data: .init(repeating: 0, count: 9)), "invalidHeader"),
        ("shape product overflows", file("{" + tensor("a", "F32", "[4294967296,4294967296,16]", 0, 4) + "}", data: .init(repeating: 0, count: 4)), "invalidTensor"),
        ("negative dimension", file("{" + tensor("a", "F32", "[-1]", 0, 4) + "}", data: .init(repeating: 0, count: 4)), "invalidTensor"),
        ("huge offsets", file("{" + tensor("a", "U8", "[1]", 9_223_372_036_854_775_806, 9_223_372_036_854_775_807) + "}"), "badOffsets"),
        ("metadata value not a string", file("{\"__metadata__\":{\"k\":1}}"), "invalidHeader"),
    ]

    @Test("malformed files throw their own error", arguments: malformed.indices)
    func malformedFile(_ index: Int) throws {
        let (label, bytes, kind) = Self.malformed[index]
        let scratch = try Scratch()
        let path = scratch.path("bad.safetensors")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: TensorFileError.self, "\(label)") { try Checkpoint.open(path) }
        if let error {
            #expect(Self.kind(error) == kind, "\(label): threw \(error)")
            #expect(error.path == path, "\(label): the error names \(error.path)")
        }
    }

    @Test("every truncation of a valid file throws, and corrupted headers never trap")
    func truncationsAndCorruption() {
        let bytes = SafetensorsWriter.serialize(Array(Self.entries.prefix(4)), metadata: [("k", "v")])
        for length in 0..<bytes.count {
            let prefix = Array(bytes.prefix(length))
            let threw = prefix.withUnsafeBytes { raw in (try? SafetensorsReader.parse(raw, path: "cut")) == nil }
            #expect(threw, "a file cut to \(length) of \(bytes.count) bytes parsed")
        }
        var rng = SeededGenerator(seed: 42)
        let headerEnd = 8 + (Int(bytes[0]) | Int(bytes[1]) << 8)
        for _ in 0..<2_000 {
            var corrupt = bytes
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                corrupt[Int.random(in: 0..<headerEnd, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            _ = corrupt.withUnsafeBytes { raw in try? SafetensorsReader.parse(raw, path: "corrupt") }
        }
    }
}
