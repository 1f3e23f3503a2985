import FuzzSupport

/// libFuzzer entry: the input is a whole .npy file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzHarness.run(data, size, fileExtension: "npy")
}

/// SwiftPM links an executable's entry as `<Target>_main`; hand control to libFuzzer's driver.
@_cdecl("FuzzNPY_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzHarness.driver(argc, argv, fuzz)
}
