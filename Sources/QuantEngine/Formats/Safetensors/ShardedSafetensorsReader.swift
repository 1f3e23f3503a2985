import Foundation

/// Opens a sharded safetensors model as one checkpoint: from its
/// `model.safetensors.index.json`, from the folder holding it, or from any
/// one of its shards (`model-00002-of-00004.safetensors`).
///
/// The index maps every tensor name to a shard (`{"metadata": {…},
/// "weight_map": {"name": "model-00001-of-00002.safetensors", …}}`). Each
/// shard is mapped and validated like a single file; every name in the
/// weight map must be in the shard it names, and no name may appear twice.
public enum ShardedSafetensorsReader {
    /// The index file to use for `path` when it is a folder or a shard of an
    /// indexed model; nil when `path` is a plain single file.
    static func indexPath(for path: String) -> String? {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        let folder = isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
        if !isDirectory.boolValue {
            // Only a file named like a shard pulls in its siblings.
            let name = (path as NSString).lastPathComponent
            guard name.range(of: #"-\d+-of-\d+\.safetensors$"#, options: .regularExpression) != nil else { return nil }
        }
        let entries = ((try? fm.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []).sorted()
        guard let index = entries.first(where: { $0.hasSuffix(".safetensors.index.json") }) else { return nil }
        return (folder as NSString).appendingPathComponent(index)
    }

    /// Opens a folder: its index when there is one, else its one `.safetensors`
    /// file, else all its `.safetensors` files as one model.
    static func openFolder(_ path: String) throws(TensorFileError) -> Checkpoint {
        if let index = indexPath(for: path) { return try openIndex(index, displayPath: path) }
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".safetensors") }.sorted()
        guard !entries.isEmpty else {
            throw .cannotOpen(path: path, reason: "the folder holds no .safetensors files or index")
        }
        let shards = entries.map { (path as NSString).appendingPathComponent($0) }
        return try openShards(shards, displayPath: path, weightMap: nil, metadata: [])
    }

    /// Opens the model an index file describes.
    public static func openIndex(_ indexPath: String, displayPath: String? = nil) throws(TensorFileError) -> Checkpoint {
        let file = try MappedFile(path: indexPath)
        guard file.count <= SafetensorsReader.maxHeaderSize else {
            throw .headerTooLarge(path: indexPath, size: UInt64(file.count), limit: SafetensorsReader.maxHeaderSize)
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(file.bytes)
        } catch {
            throw .invalidHeader(path: indexPath, reason: error.description)
        }
        guard let weightMap = json["weight_map"]?.objectValue else {
            throw .invalidHeader(path: indexPath, reason: "no \"weight_map\" object (is this a safetensors index?)")
        }
        var map: [String: String] = [:]
        for entry in weightMap {
            guard let shard = entry.value.stringValue, !shard.isEmpty, !shard.hasPrefix("/"),
                  !shard.split(separator: "/").contains("..") else {
                throw .invalidHeader(path: indexPath, reason: "weight_map entry '\(entry.key)' does not name a shard file beside the index")
            }
            map[entry.key] = shard
        }
        var seen = Set<String>()
        let shardNames = weightMap.compactMap { $0.value.stringValue }.filter { seen.insert($0).inserted }.sorted()
        let folder = (indexPath as NSString).deletingLastPathComponent
        let shards = shardNames.map { folder.isEmpty ? $0 : (folder as NSString).appendingPathComponent($0) }
        var metadata: [JSONValue.Member] = []
        if let extra = json["metadata"]?.objectValue { metadata = extra }
        return try openShards(shards, displayPath: displayPath ?? indexPath, weightMap: (map, indexPath), metadata: metadata)
    }

    private static func openShards(_ shards: [String], displayPath: String, weightMap: ([String: String], String)?,
                                   metadata: [JSONValue.Member]) throws(TensorFileError) -> Checkpoint {
        var files: [ByteStore] = []
        var tensors: [TensorInfo] = []
        var metadata = metadata
        var owner: [String: String] = [:]
        for (index, shard) in shards.enumerated() {
            let file: MappedFile
            do {
                file = try MappedFile(path: shard)
            } catch .cannotOpen(_, let reason) where weightMap != nil {
                throw .invalidHeader(path: weightMap?.1 ?? displayPath, reason: "cannot open shard \((shard as NSString).lastPathComponent): \(reason)")
            } catch {
                throw error
            }
            let parsed = try SafetensorsReader.parse(file.bytes, path: shard, fileIndex: index)
            for m in parsed.metadata where !metadata.contains(where: { $0.key == m.key }) { metadata.append(m) }
            for info in parsed.tensors {
                if let other = owner[info.name] {
                    throw .duplicateName(path: shard, tensor: info.name + " (also in \(other))")
                }
                owner[info.name] = shard
            }
            tensors += parsed.tensors
            files.append(file)
        }
        if let (map, indexPath) = weightMap {
            for (name, shard) in map.sorted(by: { $0.key < $1.key }) {
                let expected = (((indexPath as NSString).deletingLastPathComponent) as NSString).appendingPathComponent(shard)
                guard let actual = owner[name] else {
                    throw .invalidHeader(path: indexPath, reason: "weight_map lists '\(name)' but \(shard) does not hold it")
                }
                if (actual as NSString).lastPathComponent != (expected as NSString).lastPathComponent {
                    throw .invalidHeader(path: indexPath, reason: "weight_map puts '\(name)' in \(shard) but it is in \((actual as NSString).lastPathComponent)")
                }
            }
        }
        return Checkpoint(path: displayPath, format: .safetensors, metadata: metadata, tensors: tensors, files: files)
    }
}
