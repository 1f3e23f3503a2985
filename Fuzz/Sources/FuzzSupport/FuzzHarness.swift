import Foundation
import QuantEngine

/// Writes one fuzz input to a file with the given extension, opens it as a
/// user would, and decodes every tensor small enough to decode quickly. Any
/// thrown `TensorFileError` is a correct answer; a trap is a finding.
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
        var budget = 4 * decodeLimit
        for info in checkpoint.tensors where info.elementCount <= decodeLimit && info.elementCount <= budget {
            budget -= info.elementCount
            if let tensor = try? checkpoint.load(info) {
                precondition(tensor.count == info.elementCount, "decoded \(tensor.count) values for \(info.elementCount) elements")
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
