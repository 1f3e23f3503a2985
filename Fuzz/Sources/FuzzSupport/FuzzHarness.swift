import Foundation
import QuantEngine

/// Writes one fuzz input to a file with the given extension, opens it as a
/// user would, and decodes every tensor small enough to decode quickly. Any
/// thrown `TensorFileError` is a correct answer; a trap is a finding, and so
/// is a broken invariant: a data offset past the file, a deflated npz member
/// inflated past its array (the zip-bomb cap), a summary whose std is not a
/// finite number, or a name whose display text still holds a control character.
public enum FuzzHarness {
    /// Tensors above this many elements are listed but not decoded.
    static let decodeLimit = 1 << 20

    public static func run(_ data: UnsafePointer<UInt8>?, _ size: Int, fileExtension: String) -> Int32 {
        guard let data else { return 0 }
        let path = "/dev/shm/quantscope-fuzz-\(getpid()).\(fileExtension)"
        let bytes = Data(bytes: data, count: size)
        guard (try? bytes.write(to: URL(fileURLWithPath: path))) != nil else { return 0 }
        defer { unlink(path) }
        guard let checkpoint = try? Checkpoint.open(path) else { return 0 }
        for info in checkpoint.tensors {
            if let offset = info.fileOffset {
                precondition(offset >= 0 && offset <= size - info.byteCount, "data at \(offset) + \(info.byteCount) past a \(size)-byte file")
            }
            let shown = DisplayText.brief(info.name)
            precondition(!shown.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "a control character got through")
        }
        // Stored-quantized tensors (GGUF blocks, GPTQ/AWQ/… logical weights): the
        // first and last blocks read whole, each element in exactly its block.
        for info in checkpoint.tensors {
            guard let stored = try? checkpoint.storedQuantization(for: info), stored.blockCount > 0 else { continue }
            for index in Set([0, stored.blockCount - 1]) {
                guard let block = try? stored.block(index) else { continue }
                precondition(block.codes.count == block.elements.count && block.values.count == block.elements.count, "block \(index) sizes")
                for e in block.elements.prefix(64) { precondition(stored.blockIndex(ofElement: e) == index, "element \(e) not in its block") }
                _ = stored.worked(block, at: 0)
                _ = stored.codeLocation(block, at: block.codes.count - 1)
            }
        }
        var budget = 4 * decodeLimit
        for info in checkpoint.tensors where info.elementCount <= decodeLimit && info.elementCount <= budget {
            budget -= info.elementCount
            if let tensor = try? checkpoint.load(info) {
                precondition(tensor.count == info.elementCount, "decoded \(tensor.count) values for \(info.elementCount) elements")
                if checkpoint.format == .npz && info.fileOffset == nil {
                    let inflated = checkpoint.files[info.fileIndex].bytes.count
                    precondition(inflated == info.offset + info.byteCount, "inflated \(inflated) bytes for an array ending at \(info.offset + info.byteCount)")
                }
                let summary = tensor.values.withUnsafeBufferPointer { TensorSummary($0) }
                precondition(summary.std.isFinite && summary.std >= 0 && summary.min <= summary.max, "summary \(summary)")
            }
        }
        return 0
    }
}

/// libFuzzer's driver (compiler-rt), for executables whose `main` is not libFuzzer's.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

extension FuzzHarness {
    /// Runs libFuzzer with the process's arguments and `callback`.
    public static func driver(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                              _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32 {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, callback)
    }
}
