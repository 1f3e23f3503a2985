import Foundation
import Testing
@testable import QuantEngine

/// int4 / int2 packing (docs/contract.md §5) against `packing/cases.json`: every layout,
/// odd lengths padded with zero codes, signed and unsigned codes.
@Suite("Packing")
struct PackingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let bits: Int
        let signed: Bool
        let codes: [Int]
        let packed: [String: [UInt8]]
        let words: [String: [Int32]]

        var testDescription: String { "\(bits)-bit \(signed ? "signed" : "unsigned") × \(codes.count)" }

        /// The codes as the engine holds them: the low byte, two's complement.
        var bytes: [UInt8] { codes.map { UInt8(truncatingIfNeeded: $0) } }
    }

    static func load() -> [Case] {
        guard let list = try? Fixtures.objects("packing/cases.json") else { return [] }
        return list.compactMap { entry in
            guard let bits = entry.int("bits"), let signed = entry["signed"] as? Bool, let codes = entry.ints("codes"),
                  codes.count == entry.int("length"), let packed = entry.object("packed") else { return nil }
            var layouts: [String: [UInt8]] = [:]
            for (key, value) in packed {
                guard let list = value as? [Any] else { return nil }
                layouts[key] = list.compactMap(JSONNumber.int).map { UInt8($0) }
            }
            var words: [String: [Int32]] = [:]
            for (key, value) in entry.object("int32_words") ?? [:] {
                words[key] = (value as? [Any] ?? []).compactMap(JSONNumber.int).map { Int32($0) }
            }
            return Case(bits: bits, signed: signed, codes: codes, packed: layouts, words: words)
        }
    }

    static let cases = load()
    static let fourBit = cases.filter { $0.bits == 4 }
    static let twoBit = cases.filter { $0.bits == 2 }

    @Test("the fixture lists every case")
    func caseCount() {
        #expect(Self.fourBit.count == 14)
        #expect(Self.twoBit.count == 6)
        #expect(Self.fourBit.allSatisfy { Set($0.packed.keys) == Set(PackingLayout.allCases.map(\.rawValue)) })
    }

    @Test("4-bit codes pack to the reference bytes in every layout", arguments: fourBit)
    func pack4(_ c: Case) throws {
        for layout in PackingLayout.allCases {
            let expected = try #require(c.packed[layout.rawValue])
            let actual = Int4Packer.pack(c.bytes, layout: layout)
            #expect(Int4Packer.packedCount(c.codes.count, layout: layout) == expected.count)
            let at = (0..<min(actual.count, expected.count)).first { actual[$0] != expected[$0] } ?? min(actual.count, expected.count)
            let detail = "\(layout.rawValue): \(actual.count) bytes vs \(expected.count); first difference at byte \(at): expected "
                + (at < expected.count ? Show.hex(expected[at]) : "none") + ", got " + (at < actual.count ? Show.hex(actual[at]) : "none")
            #expect(actual == expected, "\(detail)")
        }
    }

    @Test("4-bit bytes unpack to the codes in every layout", arguments: fourBit)
    func unpack4(_ c: Case) throws {
        for layout in PackingLayout.allCases {
            let packed = try #require(c.packed[layout.rawValue])
            let unpacked = Int4Packer.unpack(packed, count: c.codes.count, layout: layout, signed: c.signed)
            let values = unpacked.map { c.signed ? Int(Int8(bitPattern: $0)) : Int($0) }
            var mismatches = Mismatches("\(layout.rawValue) unpack")
            for i in c.codes.indices {
                mismatches.check(values[i] == c.codes[i], "element \(i): expected \(c.codes[i]), got \(values[i]) (\(Show.hex(unpacked[i])))")
            }
            mismatches.expectNone()
            // And the round trip from our own packing.
            #expect(Int4Packer.unpack(Int4Packer.pack(c.bytes, layout: layout), count: c.codes.count, layout: layout, signed: c.signed)
                        == unpacked)
        }
    }

    @Test("int32x8 and awq bytes are the little-endian int32 words", arguments: fourBit)
    func words(_ c: Case) throws {
        for layout in [PackingLayout.int32x8, .awq] {
            let expected = try #require(c.words[layout.rawValue])
            let bytes = Int4Packer.pack(c.bytes, layout: layout)
            let words = stride(from: 0, to: bytes.count, by: 4).map { i in
                Int32(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
            }
            #expect(words == expected, "\(layout.rawValue)")
        }
    }

    @Test("2-bit codes pack four per byte and unpack back", arguments: twoBit)
    func pack2(_ c: Case) throws {
        let expected = try #require(c.packed["2bit"])
        #expect(Int4Packer.pack2(c.bytes) == expected)
        let unpacked = Int4Packer.unpack2(expected, count: c.codes.count, signed: c.signed)
        #expect(unpacked.map { c.signed ? Int(Int8(bitPattern: $0)) : Int($0) } == c.codes)
    }

    @Test("layout names parse and unknown ones are usage errors")
    func layoutNames() throws {
        for layout in PackingLayout.allCases {
            #expect(try PackingLayout(parsing: layout.rawValue) == layout)
            #expect(try PackingLayout(parsing: layout.rawValue.uppercased()) == layout)
        }
        #expect(throws: QuantizationError.unknownPacking("nibble")) { try PackingLayout(parsing: "nibble") }
    }

    @Test("location(of:) points at the nibble pack writes")
    func locations() {
        // A lone 0xF at each position shows where it lands.
        for layout in PackingLayout.allCases {
            for index in 0..<64 {
                var codes = [UInt8](repeating: 0, count: 64)
                codes[index] = 0x0F
                let bytes = Int4Packer.pack(codes, layout: layout)
                let (byte, shift) = Int4Packer.location(of: index, layout: layout)
                let expected = (0..<bytes.count).map { $0 == byte ? UInt8(0x0F) << UInt8(shift) : 0 }
                #expect(bytes == expected, "\(layout.rawValue) element \(index)")
            }
        }
    }
}
