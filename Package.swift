// swift-tools-version: 6.0
// The codebook compiler: extract → compile → evaluate, and the CodebookRuntime that scores inputs.
// See ../shared/SPEC.md for the contract (file layouts, mathematics, names and flags).
import PackageDescription

let package = Package(
    name: "codebook-compiler",
    platforms: [.macOS(.v14)],
    products: [
        // MARK: - Public API
        .library(name: "CodebookRuntime", targets: ["CodebookRuntime"]),
        // The detector models, for a service that screens text with the runtime (README: "Embedding the screen").
        .library(name: "DetectorModels", targets: ["DetectorModels"]),
        .executable(name: "extract", targets: ["Extract"]),
        .executable(name: "compile", targets: ["Compile"]),
        .executable(name: "evaluate", targets: ["Evaluate"]),
        .executable(name: "codebook", targets: ["CodebookCLI"]),
        // Not public API: the fuzz targets' shared code, a product only so that the fuzzing package
        // (Fuzz/, built with -sanitize=fuzzer apart from this package) can depend on it.
        .library(name: "FuzzHarness", targets: ["FuzzHarness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Tests only: the README's Kubernetes recipe is parsed as YAML (DocumentationTests).
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: - Public API

        // The minimal runtime: loads the artifacts and scores perturbations. Pure Swift + Foundation
        // (its only dependency, SafeTensors, is pure Swift too): no BLAS, no HDF5, no model.
        .target(name: "CodebookRuntime", dependencies: ["SafeTensors"]),

        // Staged executables: thin argument-parsing shells over the stage libraries.
        .executableTarget(name: "Extract", dependencies: ["Extraction", "CommandLineSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "Compile", dependencies: ["Compilation", "CommandLineSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "Evaluate", dependencies: ["Evaluation", "EvaluationFormat", "CommandLineSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "CodebookCLI", dependencies: [
            "CodebookRuntime", "Scoring", "Publishing", "ExternalBenchmarks", "CommandLineSupport", "JSON",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: - Stage libraries

        .target(name: "Extraction", dependencies: ["Activations", "DetectorModels", "CodebookRuntime", "SafeTensors", "JSON"]),
        .target(name: "Compilation", dependencies: ["Activations", "CodebookRuntime", "LinearAlgebra", "SafeTensors", "JSON"]),
        .target(name: "Evaluation", dependencies: ["Activations", "CodebookRuntime", "Compilation", "EvaluationFormat"]),
        // `eval.json` (SPEC §9): its one schema, written by evaluate and read by publish and inspect
        // (which must not pull in HDF5 and BLAS with the evaluate stage).
        .target(name: "EvaluationFormat", dependencies: ["CodebookRuntime"]),

        // Text in, signals out: the detector and the runtime together (`codebook score`).
        .target(name: "Scoring", dependencies: ["CodebookRuntime", "DetectorModels"]),

        // Release bundles of a compiled codebook (`codebook publish`, `make publish`) and their verification
        // (`codebook inspect`): artifacts, eval.json, report.html, a model card and a checksum manifest.
        .target(name: "Publishing", dependencies: ["CodebookRuntime", "EvaluationFormat"]),

        // The external benchmark (`../shared/evaldata`: XSTest, JailbreakBench, HarmBench, Alpaca seeds,
        // deepset, Gandalf, NotInject, CoNLL-2010 hedges, BFCL, QuixBugs) as an evaluation catalog
        // (`codebook external-catalog`, `make evaluate-external`): one reader per format, and the mapping.
        // CodebookRuntime only for its file-error reasons.
        .target(name: "ExternalBenchmarks", dependencies: ["CodebookRuntime", "JSON"]),

        // The activations file (SPEC §5): written by extract, read by compile and evaluate.
        .target(name: "Activations", dependencies: ["HDF5", "CodebookRuntime"]),

        // MARK: - Implementation details

        // The commands' shared exit-status convention.
        .target(name: "CommandLineSupport", dependencies: ["CodebookRuntime", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // Detector models (Llama, BERT) and their tokenizers.
        .target(name: "DetectorModels", dependencies: ["Tokenizers", "SafeTensors", "GGUF", "LinearAlgebra", "CKernels", "JSON"]),
        .target(name: "Tokenizers", dependencies: ["JSON"]),

        // File formats and numerics.
        .target(name: "SafeTensors", dependencies: ["JSON", "MappedFiles"]),
        // A model file mapped read-only (the safetensors and GGUF readers).
        .target(name: "MappedFiles"),
        // The one strict JSON reader (safetensors headers, catalogs, the external benchmarks' files).
        .target(name: "JSON"),
        // GGUF files (llama.cpp's format): the reader and the dequantization of its tensor types.
        .target(name: "GGUF", dependencies: ["MappedFiles"]),
        .target(name: "HDF5", dependencies: ["CHDF5", "CLibDeflate"]),
        .target(name: "LinearAlgebra", dependencies: ["CBLAS", "CLAPACKE", "CKernels"]),
        // The forward pass's hot loops for AVX-512 CPUs: the dense layers' kernel on weights packed at
        // load time (DenseWeights), and GELU, SwiGLU and softmax.
        .target(name: "CKernels"),

        // C libraries from Debian, found with pkg-config.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CLibDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),

        // MARK: - Benchmarks

        // `make bench`: the detector forward pass against transformers + torch, measured in one run.
        .executableTarget(name: "CodebookBench", dependencies: ["DetectorModels", "GGUF", "LinearAlgebra", "Tokenizers", "CommandLineSupport"],
                          path: "Benchmarks/CodebookBench"),

        // `make bench`: the runtime's scoring throughput and `codebook score`'s latency.
        .executableTarget(name: "RuntimeBench", dependencies: ["CodebookRuntime", "Scoring", "Activations", "LinearAlgebra", "CommandLineSupport"],
                          path: "Benchmarks/RuntimeBench"),

        // `make bench`: compile's kernel, the probe's Newton Hessian, against the unblocked loop and OpenBLAS.
        .executableTarget(name: "CompileBench", dependencies: ["LinearAlgebra", "CKernels", "CommandLineSupport", "Compilation", "CodebookRuntime"],
                          path: "Benchmarks/CompileBench"),

        // MARK: - Tests

        // Shared by the test targets: where the committed fixtures and the default model live.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors", "TestSupport"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON", "TestSupport"]),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "TestSupport"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5", "TestSupport"]),
        .testTarget(name: "ActivationsTests", dependencies: ["Activations", "HDF5", "TestSupport"]),
        .testTarget(name: "CodebookRuntimeTests", dependencies: ["CodebookRuntime", "TestSupport"]),
        .testTarget(name: "CompilationTests", dependencies: ["Compilation", "Activations", "CodebookRuntime", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "TestSupport"]),
        .testTarget(name: "ExtractionTests", dependencies: ["Extraction", "Activations", "CodebookRuntime", "DetectorModels", "TestSupport"]),
        .testTarget(name: "DetectorModelsTests", dependencies: ["DetectorModels", "CKernels", "GGUF", "LinearAlgebra", "SafeTensors", "TestSupport"]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "DetectorModels", "Extraction", "Compilation", "Activations", "CodebookRuntime", "Tokenizers", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "EvaluationFormat", "Compilation", "CodebookRuntime", "Activations", "TestSupport"]),
        .testTarget(name: "PublishingTests", dependencies: ["Publishing", "EvaluationFormat", "CodebookRuntime", "TestSupport"]),
        // Readers on small synthetic files in each format; the real ../shared/evaldata when present.
        .testTarget(name: "ExternalBenchmarksTests", dependencies: ["JSON", "ExternalBenchmarks", "Extraction", "CodebookRuntime", "TestSupport"]),
        // The commands as subprocesses: bad input refused cleanly, crash safety of extract and compile.
        .testTarget(name: "ReliabilityTests", dependencies: ["Activations", "HDF5", "SafeTensors", "CodebookRuntime", "TestSupport"]),
        // The README's recipes: the Slurm and Kubernetes ones in "Scaling out" (make test-slurm runs the Slurm one).
        .testTarget(name: "DocumentationTests", dependencies: ["TestSupport", .product(name: "Yams", package: "Yams")]),

        // What each fuzz target runs on one input (Fuzz/ and FuzzRegressionTests share it), and the replay
        // of every saved fuzz input through it.
        .target(name: "FuzzHarness", dependencies: ["SafeTensors", "GGUF", "Extraction", "Tokenizers", "CodebookRuntime", "TestSupport"],
                path: "Tests/FuzzHarness"),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["FuzzHarness", "CodebookRuntime", "Tokenizers", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
