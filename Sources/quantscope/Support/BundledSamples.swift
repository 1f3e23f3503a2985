import Foundation

/// Finds the sample checkpoints bundled with the binary, so `quantscope`
/// with no FILE works from any directory.
///
/// SwiftPM copies `Sources/quantscope/Samples` into
/// `quantscope_quantscope.resources/Samples` beside the executable. We look
/// there (and in `$QUANTSCOPE_SAMPLES`, then `./samples`) instead of using
/// `Bundle.module`, which stops the process when the bundle is missing.
enum BundledSamples {
    /// The samples folder, or nil when none can be found.
    static var folder: String? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["QUANTSCOPE_SAMPLES"], !env.isEmpty { candidates.append(env) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(executable.appendingPathComponent("quantscope_quantscope.resources/Samples").path)
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("quantscope_quantscope.resources/Samples").path)
        candidates.append("samples")
        return candidates.first { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    /// The checkpoint files in the samples folder, in a fixed teaching order.
    static var files: [String] {
        guard let folder else { return [] }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { [".safetensors", ".gguf", ".npy", ".npz"].contains(where: $0.hasSuffix) }
        let order = ["minilm-l6-layer0.safetensors", "synthetic.safetensors", "minilm-l6-layer0.gguf", "synthetic.npz", "gaussian.npy"]
        return names.sorted { (order.firstIndex(of: $0) ?? 99, $0) < (order.firstIndex(of: $1) ?? 99, $1) }
            .map { (folder as NSString).appendingPathComponent($0) }
    }
}
