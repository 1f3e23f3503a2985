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
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: engineFlags
        ),
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
