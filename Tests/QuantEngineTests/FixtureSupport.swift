import Foundation
import Testing
@testable import QuantEngine

/// Loads the reference fixtures under `Fixtures/` (see its README.md; made by
/// `tools/make_fixtures.py` from numpy, ml_dtypes and gguf-py).
///
/// Raw files are little-endian arrays of the type their extension names;
/// JSON is read with Foundation's `JSONSerialization`, not with the engine's
/// own parser, so a parser bug cannot hide a wrong expectation. (On Linux it
/// may read a decimal a few Float64 ulps off; that never changes a Float32
/// value parsed from its shortest repr, nor matters at the 1e-5 metric bound.)
enum Fixtures {
    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "fixture \(path) is missing" }
    }

    static var root: URL {
        guard let base = Bundle.module.resourceURL else { fatalError("the test bundle has no resources") }
        return base.appendingPathComponent("Fixtures")
    }

    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    static func data(_ path: String) throws -> Data {
        do { return try Data(contentsOf: url(path)) } catch { throw Missing(path: path) }
    }

    private static func words<T: FixedWidthInteger>(_ path: String, as type: T.Type) throws -> [T] {
        let bytes = try data(path)
        let size = MemoryLayout<T>.size
        return bytes.withUnsafeBytes { raw in
            (0..<(raw.count / size)).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * size, as: T.self)) }
        }
    }

    static func f32(_ path: String) throws -> [Float] { try words(path, as: UInt32.self).map(Float.init(bitPattern:)) }
    static func u8(_ path: String) throws -> [UInt8] { [UInt8](try data(path)) }
    static func u16(_ path: String) throws -> [UInt16] { try words(path, as: UInt16.self) }
    static func i16(_ path: String) throws -> [Int16] { try words(path, as: Int16.self) }
    static func i32(_ path: String) throws -> [Int32] { try words(path, as: Int32.self) }

    /// Integer codes from a `.i16` or `.u8` file, by extension.
    static func codes(_ path: String) throws -> [Int] {
        path.hasSuffix(".i16") ? try i16(path).map(Int.init) : try u8(path).map(Int.init)
    }

    static func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: try data(path), options: [.fragmentsAllowed])
    }

    /// The objects of a JSON list file such as `affine/cases.json`.
    static func objects(_ path: String) throws -> [[String: Any]] {
        guard let list = try json(path) as? [[String: Any]] else { throw Missing(path: path + " (not a list of objects)") }
        return list
    }

    /// The case of `path` whose `name` is `name`.
    static func namedCase(_ path: String, _ name: String) throws -> [String: Any] {
        guard let found = try objects(path).first(where: { $0.string("name") == name }) else {
            throw Missing(path: "\(path) case \(name)")
        }
        return found
    }

    /// The `name`s of a cases file, for `@Test(arguments:)`; empty when the
    /// file cannot be read (every suite also checks its case count).
    static func caseNames(_ path: String) -> [String] {
        ((try? objects(path)) ?? []).compactMap { $0.string("name") }
    }
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? { self[key] as? String }

    func int(_ key: String) -> Int? { JSONNumber.int(self[key]) }

    func ints(_ key: String) -> [Int]? {
        guard let list = self[key] as? [Any] else { return nil }
        let values = list.compactMap(JSONNumber.int)
        return values.count == list.count ? values : nil
    }

    /// A number, or one of the strings "inf", "-inf", "nan"; nil for null.
    func double(_ key: String) -> Double? { JSONNumber.double(self[key]) }

    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }

    func isNull(_ key: String) -> Bool { self[key] is NSNull || self[key] == nil }
}

enum JSONNumber {
    static func int(_ any: Any?) -> Int? {
        switch any {
        case let i as Int: return i
        case let n as NSNumber: return n.intValue
        default: return nil
        }
    }

    static func double(_ any: Any?) -> Double? {
        switch any {
        case let d as Double: return d
        case let i as Int: return Double(i)
        case let n as NSNumber: return n.doubleValue
        case let s as String:
            switch s {
            case "inf": return .infinity
            case "-inf": return -.infinity
            case "nan": return .nan
            default: return Double(s)
            }
        default: return nil
        }
    }
}

/// Collects mismatches and reports them as one expectation showing the
/// first few, rather than thousands of failures.
struct Mismatches {
    let what: String
    var count = 0
    var checked = 0
    var first: [String] = []
    let limit: Int

    init(_ what: String, limit: Int = 5) {
        self.what = what
        self.limit = limit
    }

    /// Counts one comparison; records `detail` when `ok` is false.
    mutating func check(_ ok: Bool, _ detail: @autoclosure () -> String) {
        checked += 1
        guard !ok else { return }
        count += 1
        if first.count < limit { first.append(detail()) }
    }

    func expectNone(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(count == 0, "\(what): \(count) of \(checked) differ; first: \(first.joined(separator: "; "))",
                sourceLocation: sourceLocation)
    }
}

/// Formatting for failure messages.
enum Show {
    static func hex<T: BinaryInteger>(_ value: T, digits: Int = 2) -> String {
        let raw = String(UInt64(truncatingIfNeeded: value), radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, digits - raw.count)) + raw
    }

    static func float(_ value: Float) -> String { "\(value) [\(hex(value.bitPattern, digits: 8))]" }
}

/// Bit-exact float equality, any NaN equal to any NaN.
func sameBits(_ a: Float, _ b: Float) -> Bool {
    (a.isNaN && b.isNaN) || a.bitPattern == b.bitPattern
}

/// Value equality (so −0 == +0), any NaN equal to any NaN.
func sameValue(_ a: Float, _ b: Float) -> Bool {
    (a.isNaN && b.isNaN) || a == b
}

/// |a − b| ≤ rel·max(|a|, |b|); infinities must match exactly.
func relativelyClose(_ actual: Double, _ expected: Double, rel: Double = 1e-5) -> Bool {
    if expected.isNaN || actual.isNaN { return expected.isNaN && actual.isNaN }
    if expected.isInfinite || actual.isInfinite { return expected == actual }
    return abs(actual - expected) <= rel * max(abs(actual), abs(expected))
}

/// A seeded SplitMix64 generator, so hand-built inputs reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
