// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for quantscope's file readers, one per format.
///
/// A separate package so the main build never sees `-sanitize=fuzzer`:
///
///     tools/fuzz.sh [SECONDS]        # builds all four and runs each
///
/// Each target feeds the fuzzer's bytes to `Checkpoint.open` (through a file,
/// as a user would) and decodes every tensor it reports.
import Foundation

/// A path dependency is named after its folder, which differs between clones.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "QuantScopeFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "QuantEngine", package: root)]),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzGGUF", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzNPY", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzNPZ", dependencies: ["FuzzSupport"]),
    ]
)
