// swift-tools-version: 6.0
// libFuzzer targets for the codebook compiler's readers. A package of its own so that the main package's
// `swift build` / `swift test` never see fuzzer flags or executables without a `main`: build and run it
// with `make fuzz` (scripts/fuzz.sh), which passes `-sanitize=fuzzer,address`.
// Each target is a thin `LLVMFuzzerTestOneInput` over `FuzzHarness` (Tests/FuzzHarness in the main
// package), the same code FuzzRegressionTests replays saved inputs through.
import PackageDescription

let package = Package(
    name: "codebook-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "codebook-compiler", path: ".."),
    ],
    targets: [
        // One executable per fuzz target; each only names its FuzzTarget.
        .executableTarget(name: "FuzzSafeTensors", dependencies: ["FuzzDriver"]),
        .executableTarget(name: "FuzzCatalog", dependencies: ["FuzzDriver"]),
        .executableTarget(name: "FuzzTokenizer", dependencies: ["FuzzDriver"]),
        .executableTarget(name: "FuzzCodebook", dependencies: ["FuzzDriver"]),
        .executableTarget(name: "FuzzGGUF", dependencies: ["FuzzDriver"]),

        // LLVMFuzzerTestOneInput over FuzzHarness, and the hand-over to libFuzzer's driver.
        .target(name: "FuzzDriver", dependencies: ["CLibFuzzer", .product(name: "FuzzHarness", package: "codebook-compiler")]),
        // libFuzzer's LLVMFuzzerRunDriver, declared (the runtime itself comes with -sanitize=fuzzer).
        .systemLibrary(name: "CLibFuzzer"),
    ],
    swiftLanguageModes: [.v6]
)
