import Foundation
internal import QuantKernelsVNNI

/// Which inner loops the int8 kernels (W8A8, W4A8) run: the engine's own,
/// or the AVX-512 VNNI ones of `QuantKernelsVNNI`.
///
/// `current` is chosen once per process: `avx512VNNI` when the CPU has
/// AVX-512F, BW, VL and VNNI and the OS saves their registers (cpuid leaf 7
/// and XCR0, see `AVX512VNNISupport`), unless the environment variable
/// `QUANTSCOPE_NO_AVX512` is set to anything but empty or `0`, which forces
/// the baseline (to time or test both on one machine). The two paths give
/// the same Int32 accumulators bit for bit, so the same outputs.
public enum Int8KernelPath: Sendable {
    /// AVX2 (`vpmaddwd`, `vpmaddubsw`) on x86-64, lane loops elsewhere.
    case baseline
    /// `vpdpbusd` on 512-bit vectors.
    case avx512VNNI

    /// `avx2` (or `portable` off x86-64), `avx512-vnni`: what reports print.
    public var name: String {
        switch self {
        case .baseline:
            #if arch(x86_64)
            return "avx2"
            #else
            return "portable"
            #endif
        case .avx512VNNI:
            return "avx512-vnni"
        }
    }

    /// The path the kernels take unless told otherwise.
    public static let current = select(environment: ProcessInfo.processInfo.environment, vnniAvailable: AVX512VNNISupport.isAvailable)

    /// Every path this machine can run, whatever the environment says: the
    /// tests run each one against the reference.
    public static let supported: [Int8KernelPath] = AVX512VNNISupport.isAvailable ? [.baseline, .avx512VNNI] : [.baseline]

    /// The environment variable that forces `baseline`.
    public static let disableVariable = "QUANTSCOPE_NO_AVX512"

    static func select(environment: [String: String], vnniAvailable: Bool) -> Int8KernelPath {
        let value = environment[disableVariable] ?? ""
        return vnniAvailable && (value.isEmpty || value == "0") ? .avx512VNNI : .baseline
    }

    /// Traps when `self` cannot run here (a programmer's mistake, not a SIGILL later).
    func checkSupported() {
        precondition(self == .baseline || AVX512VNNISupport.isAvailable, "Int8KernelPath: this CPU or OS lacks AVX-512 VNNI")
    }
}
