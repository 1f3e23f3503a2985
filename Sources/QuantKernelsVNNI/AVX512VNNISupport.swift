#if arch(x86_64)
import _Builtin_intrinsics.intel
import _Builtin_intrinsics.intel.cpuid
#endif

/// Whether this CPU, and the operating system running it, can execute the
/// kernels of this module: AVX-512F, AVX-512BW, AVX-512VL and AVX512_VNNI.
///
/// The module is compiled for Haswell plus exactly those four features
/// (see Package.swift), and XSAVEC for the probe below; nothing in it may
/// run before `isAvailable` says yes, except this probe, which is scalar
/// code (cpuid, one XSAVEC, bit tests) and is checked in the disassembly to
/// hold no AVX-512 instruction.
///
/// Two questions, both answered once:
/// - Does the CPU have the instructions? cpuid leaf 7, subleaf 0:
///   EBX bit 16 (AVX512F), 30 (AVX512BW), 31 (AVX512VL); ECX bit 11 (AVX512_VNNI).
/// - Does the OS save and restore the registers they use? XCR0 bits 1, 2
///   (SSE, AVX), 5, 6, 7 (opmask, upper halves of ZMM0–15, ZMM16–31). The
///   usual `_xgetbv` is a function-like macro that Swift cannot import, so
///   XCR0 is read through XSAVEC instead: it stores
///   XCOMP_BV = (XCR0 AND mask) OR 2⁶³ in the header of its save area
///   (Intel SDM vol. 2, XSAVEC; AMD APM vol. 4, XSAVEC). This needs
///   CR4.OSXSAVE (cpuid 1, ECX bit 27) and XSAVEC itself (cpuid 0Dh,
///   subleaf 1, EAX bit 1), which every AVX-512 CPU has.
public enum AVX512VNNISupport {
    /// The four CPU features and the OS's ZMM state, probed on first use.
    public static let isAvailable: Bool = probe()

    /// XCR0 bits the kernels need enabled: SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM.
    static let zmmStateMask: UInt64 = 0b1110_0110

    private static func probe() -> Bool {
        #if arch(x86_64)
        guard let leaf1 = cpuid(1, 0), leaf1.ecx & (1 << 27) != 0 else { return false }
        guard let leaf7 = cpuid(7, 0) else { return false }
        let instructions = leaf7.ebx & (1 << 16) != 0 && leaf7.ebx & (1 << 30) != 0 && leaf7.ebx & (1 << 31) != 0
            && leaf7.ecx & (1 << 11) != 0
        guard instructions, let xsave = cpuid(0xD, 1), xsave.eax & (1 << 1) != 0 else { return false }
        return enabledStateComponents(zmmStateMask) == zmmStateMask
        #else
        return false
        #endif
    }

    #if arch(x86_64)
    private static func cpuid(_ leaf: UInt32, _ subleaf: UInt32) -> (eax: UInt32, ebx: UInt32, ecx: UInt32, edx: UInt32)? {
        var a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0
        // Returns 0 when the leaf is past the CPU's highest.
        guard __get_cpuid_count(leaf, subleaf, &a, &b, &c, &d) != 0 else { return nil }
        return (a, b, c, d)
    }

    /// XCR0 AND `mask`, from the XCOMP_BV field (bytes 520–527) that
    /// XSAVEC writes. The compacted area for these components is under
    /// 2.6 KiB; XSAVEC needs it 64-byte aligned.
    private static func enabledStateComponents(_ mask: UInt64) -> UInt64 {
        let area = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 64)
        defer { area.deallocate() }
        _xsavec(area, mask)
        return area.load(fromByteOffset: 520, as: UInt64.self) & mask
    }
    #endif
}
