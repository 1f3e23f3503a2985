/// Writes a text output (a recipe) with the rules `export` follows
/// (docs/contract.md §7): atomically through a temporary file and a rename,
/// never over the input nor through a symlink, directory or device.
public enum TextFileWriter {
    /// - Throws: `TensorFileError.refusedToOverwriteInput` or `.cannotWrite`.
    public static func write(_ text: String, to path: String, protecting inputs: [String] = []) throws(TensorFileError) {
        for input in inputs where FileIdentity.same(input, path) {
            throw .refusedToOverwriteInput(path: path)
        }
        try OutputFile.checkReplaceable(path)
        try OutputFile.put(Array(text.utf8), at: path)
    }
}
