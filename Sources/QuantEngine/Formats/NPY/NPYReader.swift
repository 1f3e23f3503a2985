import Foundation

/// Reads a `.npy` file: one array, named after the file's stem (docs/contract.md §7:
/// `weights/w.npy` holds the tensor `w`).
///
/// ```
///  [\x93NUMPY 1 0][u16 len][{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }  \n][data…][ignored…]
///  0              8        10                                                           offset
/// ```
/// The header is checked by `NPYHeader.parse`; the tensor's `offset` is the
/// absolute offset of its data in the file, its `dtype` the file's own
/// spelling (`<f4`, `>i2`, `|b1`). Fortran-order arrays keep their row-major
/// shape with `order` `.columnMajor`, and `Checkpoint.load` reorders them.
/// Bytes after the data are allowed, as `np.load` allows them; the metadata
/// counts them in `trailing_bytes` (present only when there are some).
///
/// Metadata: `npy_version` (`"1.0"`, `"2.0"`, `"3.0"`), `fortran_order`, `descr`.
public enum NPYReader {
    /// Maps `path` and reads its header.
    /// - Throws: `TensorFileError` naming the file (see `NPYHeader.parse`).
    public static func open(_ path: String) throws(TensorFileError) -> Checkpoint {
        try open(path, file: try MappedFile(path: path))
    }

    /// Reads the header of an already mapped `.npy` file.
    /// - Parameters:
    ///   - path: the path the user gave, named in errors and in the checkpoint.
    ///   - file: the mapped file; the checkpoint keeps it and points into it.
    /// - Returns: a checkpoint with one tensor.
    /// - Throws: `TensorFileError` naming the file (see `NPYHeader.parse`).
    public static func open(_ path: String, file: MappedFile) throws(TensorFileError) -> Checkpoint {
        let name = tensorName(for: path)
        let header = try NPYHeader.parse(file.bytes, totalLength: file.count, path: path, tensor: name)
        var metadata = [
            JSONValue.Member("npy_version", .string(header.version)),
            JSONValue.Member("fortran_order", .bool(header.fortranOrder)),
            JSONValue.Member("descr", .string(header.descr)),
        ]
        let trailing = file.count - header.dataOffset - header.dataLength
        if trailing > 0 { metadata.append(JSONValue.Member("trailing_bytes", .integer(Int64(trailing)))) }
        return Checkpoint(path: path, format: .npy, metadata: metadata,
                          tensors: [tensorInfo(header, name: name, fileIndex: 0)], files: [file])
    }

    /// The file name without its directory and its last extension.
    static func tensorName(for path: String) -> String {
        let file = (path as NSString).lastPathComponent
        let stem = (file as NSString).deletingPathExtension
        return stem.isEmpty ? file : stem
    }

    /// The tensor a parsed header describes; `offset` is `dataOffset` from
    /// the start of the npy bytes (the file, or the npz member).
    static func tensorInfo(_ header: NPYHeader, name: String, fileIndex: Int) -> TensorInfo {
        TensorInfo(name: name, dtype: header.descr, storage: header.storage, shape: header.shape,
                   offset: header.dataOffset, byteCount: header.dataLength, fileIndex: fileIndex,
                   order: header.fortranOrder ? .columnMajor : .rowMajor, bigEndian: header.bigEndian)
    }
}
