import Foundation

/// Writes `.safetensors` files: the header in the order given, data spans
/// contiguous, the header padded with spaces so the data starts 8-aligned
/// (as the `safetensors` library writes them).
public enum SafetensorsWriter {
    /// One tensor to write: its name, safetensors dtype, shape, and raw little-endian bytes.
    public struct Entry: Sendable {
        public var name: String
        public var dtype: String
        public var shape: [Int]
        public var bytes: [UInt8]

        public init(name: String, dtype: String, shape: [Int], bytes: [UInt8]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }

        public static func float32(_ name: String, shape: [Int], _ values: [Float]) -> Entry {
            Entry(name: name, dtype: "F32", shape: shape, bytes: values.withUnsafeBytes { Array($0) })
        }

        public static func int32(_ name: String, shape: [Int], _ values: [Int32]) -> Entry {
            Entry(name: name, dtype: "I32", shape: shape, bytes: values.withUnsafeBytes { Array($0) })
        }

        public static func uint8(_ name: String, shape: [Int], _ values: [UInt8], signed: Bool = false) -> Entry {
            Entry(name: name, dtype: signed ? "I8" : "U8", shape: shape, bytes: values)
        }
    }

    /// The file's bytes.
    public static func serialize(_ entries: [Entry], metadata: [(String, String)] = []) -> [UInt8] {
        var members: [JSONValue.Member] = []
        if !metadata.isEmpty {
            members.append(JSONValue.Member("__metadata__", .object(metadata.map { JSONValue.Member($0.0, .string($0.1)) })))
        }
        var offset = 0
        for e in entries {
            members.append(JSONValue.Member(e.name, .object([
                JSONValue.Member("dtype", .string(e.dtype)),
                JSONValue.Member("shape", .array(e.shape.map { .integer(Int64($0)) })),
                JSONValue.Member("data_offsets", .array([.integer(Int64(offset)), .integer(Int64(offset + e.bytes.count))])),
            ])))
            offset += e.bytes.count
        }
        var header = Array(JSONValue.object(members).serialized(pretty: false).utf8)
        while (8 + header.count) % 8 != 0 { header.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out += header
        for e in entries { out += e.bytes }
        return out
    }

    /// Writes `entries` to `path` atomically (a temporary file in the same
    /// folder, then rename), and never through or over anything that is not
    /// a plain file (docs/contract.md §7).
    ///
    /// Refused, before anything is written: a `path` that is the input
    /// (same device and inode, so another spelling, a hard link or a
    /// symlink to it counts), and a `path` that exists but is a symlink, a
    /// directory, a FIFO, a socket or a device — replacing `/dev/null` or a
    /// link's target with a regular file is never what was meant.
    /// - Parameter inputs: files that must not be overwritten (the input checkpoint).
    /// - Throws: `TensorFileError.refusedToOverwriteInput` or `.cannotWrite`.
    public static func write(_ entries: [Entry], metadata: [(String, String)] = [], to path: String,
                             protecting inputs: [String] = []) throws(TensorFileError) {
        for input in inputs where FileIdentity.same(input, path) {
            throw .refusedToOverwriteInput(path: path)
        }
        try OutputFile.checkReplaceable(path)
        try OutputFile.put(serialize(entries, metadata: metadata), at: path)
    }
}

/// Whether two paths name the same existing file (same device and inode,
/// symlinks followed).
enum FileIdentity {
    static func same(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
}
