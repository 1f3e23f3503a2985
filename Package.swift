// swift-tools-version:6.0
import PackageDescription

/// quantscope: see what quantization does to real weights.
///
/// `QuantEngine` holds every number (codecs, quantizers, packing, metrics, file
/// readers) and imports Foundation only; `quantscope` is the command line on top.
/// Hot loops are written with SIMD types; on x86-64 they are compiled for
/// AVX2 (Haswell, 2013, and every later x86-64 server and laptop), which
/// makes the mask-and-select idioms in the kernels vectorise.
#if arch(x86_64)
let engineFlags: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked", "-target-cpu", "haswell"])]
#else
let engineFlags: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
#endif

/// `QuantKernelsVNNI` holds the int8 inner loops for AVX-512 VNNI, which
/// `QuantEngine` calls only after checking at run time that the CPU and OS
/// support them. It is compiled for Haswell plus exactly the four features
/// that check reads (AVX-512F/BW/VL/VNNI) and XSAVEC for the check itself:
/// a named CPU (`znver4`, `icelake-server`) would also let the compiler use
/// VBMI, IFMA, GFNI and others that the check does not cover. Elsewhere the
/// target compiles to a stub that reports no support.
#if arch(x86_64)
let vnniFlags: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked", "-target-cpu", "haswell",
                                              "-Xcc", "-mavx512f", "-Xcc", "-mavx512bw", "-Xcc", "-mavx512vl",
                                              "-Xcc", "-mavx512vnni", "-Xcc", "-mxsavec"])]
#else
let vnniFlags: [SwiftSetting] = []
#endif

let package = Package(
    name: "quantscope",
    products: [
        .executable(name: "quantscope", targets: ["quantscope"]),
        .library(name: "QuantEngine", targets: ["QuantEngine"]),
        .library(name: "QuantScopeUI", targets: ["QuantScopeUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        .target(
            name: "QuantEngine",
            dependencies: ["QuantKernelsVNNI", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: engineFlags
        ),
        .target(name: "QuantKernelsVNNI", swiftSettings: vnniFlags),
        // The explorer's model, views and widgets: pure Swift, rendered into cell buffers.
        .target(name: "QuantScopeUI", dependencies: ["QuantEngine"]),
        // The system's ncursesw; only NcursesBackend imports it.
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .target(name: "NcursesBackend", dependencies: ["CNcursesw", "QuantScopeUI"]),
        .executableTarget(
            name: "quantscope",
            dependencies: [
                "QuantEngine",
                "QuantScopeUI",
                "NcursesBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // `Samples` links to the repository's samples/ so they travel with the binary.
            resources: [.copy("Samples")]
        ),
        .testTarget(
            name: "QuantEngineTests",
            dependencies: ["QuantEngine"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "QuantScopeUITests",
            dependencies: ["QuantScopeUI", "QuantEngine"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "QuantScopeCLITests",
            dependencies: ["QuantEngine", "quantscope"],
            exclude: ["Corpus"]
        ),
    ]
)
