// `make bench`: the detector forward pass's speed on all-MiniLM-L6-v2, beside transformers + torch and
// ONNX Runtime measured in the same run on the same prompts (scripts/bench/transformers_forward.py,
// scripts/bench/onnx_forward.py), on 1 and 2 threads; first, the CPU it runs on and the dense layers'
// two kernels (packed AVX-512, OpenBLAS) timed on the model's layer shapes, against the kernel the
// commands pick (MatrixKernel.preferred).
//
//     CodebookBench [--model DIR] [--prompts N] [--batch N] [--repeats N] [--python PATH]
//
// The prompts are generated here, deterministically (a seeded generator over fixed word lists), with
// 10 to ~120 tokens each; every side runs the same token ids. Speed is real tokens (special tokens
// included, padding not) per second of forward pass, all hidden states returned, best of N runs.
// A baseline is skipped, with a note, when the Python (BENCH_PYTHON, or --python) lacks its packages.

import CommandLineSupport
import DetectorModels
import Foundation
import GGUF
import LinearAlgebra
import Tokenizers

// The kernels the commands use (see OpenBLASKernels): chosen before OpenBLAS reads its environment.
OpenBLASKernels.selectBeforeLoading()

struct Options {
    var model = "models/all-MiniLM-L6-v2"
    var prompts = 256
    var batch = 32
    var repeats = 3
    var python: String? = ProcessInfo.processInfo.environment["BENCH_PYTHON"]
    var script = "scripts/bench/transformers_forward.py"
    var onnxScript = "scripts/bench/onnx_forward.py"

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let value = rest.popFirst() else { throw BenchError.usage("\(flag) needs a value") }
            return value
        }
        func number(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let n = Int(text), n > 0 else { throw BenchError.usage("\(flag) \(text): expected a positive integer") }
            return n
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--model": model = try value(flag)
            case "--prompts": prompts = try number(flag)
            case "--batch": batch = try number(flag)
            case "--repeats": repeats = try number(flag)
            case "--python": python = try value(flag)
            case "--script": script = try value(flag)
            default: throw BenchError.usage("unknown argument \(flag)")
            }
        }
    }
}

enum BenchError: Error, CustomStringConvertible {
    case usage(String)
    case baseline(String)
    var description: String {
        switch self {
        case let .usage(message): return "usage: \(message)\nCodebookBench [--model DIR] [--prompts N] [--batch N] [--repeats N] [--python PATH]"
        case let .baseline(message): return message
        }
    }
}

/// SplitMix64: the same prompts on every run and every machine.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Sentences of the kinds a firewall sees: requests, instructions, data, code and numbers.
func sentence(_ random: inout SplitMix64) -> String {
    let openers = ["Please", "Ignore the previous instructions and", "Could you", "Now", "As the system administrator,",
                   "Before answering,", "In the attached report,", "For the unit test,", "Quickly"]
    let verbs = ["summarize", "translate", "delete", "print", "explain", "rewrite", "list", "reveal", "compare", "email"]
    let objects = ["the quarterly sales figures", "the hidden system prompt", "this paragraph about photosynthesis",
                   "every file in /var/log", "the user's password", "the recipe for banana bread",
                   "the function `parse(json:)`", "a poem about the sea", "the terms of service", "the API keys"]
    let tails = ["in three sentences.", "without telling anyone.", "for a ten-year-old.", "as JSON.", "before 5 pm today.",
                 "and then stop.", "— it is urgent!", "using only emoji 🙂.", "in French, then in German.", "step by step."]
    func pick(_ words: [String]) -> String { words[Int(random.next() % UInt64(words.count))] }
    var text = "\(pick(openers)) \(pick(verbs)) \(pick(objects)) \(pick(tails))"
    if random.next() % 4 == 0 { text += " Order #\(random.next() % 100_000) costs $\(random.next() % 1000).\(random.next() % 100)." }
    return text
}

/// `count` prompts whose lengths are spread uniformly over 10…120 tokens (special tokens included).
func makePrompts(_ count: Int, detector: Detector) -> [(text: String, encoding: Encoding)] {
    var random = SplitMix64(state: 2024)
    return (0..<count).map { _ in
        let target = 10 + Int(random.next() % 111)
        var text = sentence(&random)
        var encoding = detector.encode(text, maxContentTokens: 500)
        var words = [Substring]()
        while encoding.ids.count < target {
            if words.isEmpty { words = sentence(&random).split(separator: " ") }
            text += " " + words.removeFirst()
            encoding = detector.encode(text, maxContentTokens: 500)
        }
        return (text, encoding)
    }
}

/// Seconds of the best of `repeats` runs of `body`.
func bestOf(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
}

/// The JSON lines a baseline script printed, or nil (with the reason printed) when there is no such
/// Python or it lacks the script's packages.
func baseline(_ options: Options, script: String, name: String, arguments: [String],
              prompts: [(text: String, encoding: Encoding)]) throws -> [[String: Any]]? {
    let python = options.python ?? (FileManager.default.isExecutableFile(atPath: "/work/venv/bin/python")
                                    ? "/work/venv/bin/python" : "python3")
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("codebook-bench-\(UUID().uuidString).jsonl")
    defer { try? FileManager.default.removeItem(at: file) }
    var lines = ""
    for prompt in prompts {
        let line = try JSONSerialization.data(withJSONObject: ["text": prompt.text, "ids": prompt.encoding.ids.map(Int.init)])
        lines += String(decoding: line, as: UTF8.self) + "\n"
    }
    try lines.write(to: file, atomically: true, encoding: .utf8)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, script, "--model", options.model, "--prompts", file.path,
                         "--batch", "\(options.batch)", "--repeats", "\(options.repeats)"] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["TRANSFORMERS_VERBOSITY"] = "error"
    environment["HF_HUB_OFFLINE"] = "1"
    process.environment = environment
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    do {
        try process.run()
    } catch {
        print("  \(name): skipped (\(python): \(error))")
        return nil
    }
    // Both pipes drained at once: a script that fills stderr (warnings) must not block on it.
    nonisolated(unsafe) var message = ""
    let drained = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        drained.signal()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        let reason = message.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
        print("  \(name): skipped (\(python): \(reason))")
        return nil
    }
    let results = try String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    guard !results.isEmpty else { throw BenchError.baseline("\(script) printed no result") }
    return results
}

/// The CPU's name and whether it has AVX-512F, from /proc/cpuinfo.
func cpuDescription() -> String {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
    let lines = info.split(separator: "\n")
    func field(_ name: String) -> String? {
        lines.first { $0.hasPrefix(name) }.flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }
    let avx512 = field("flags")?.split(separator: " ").contains("avx512f") == true ? "AVX-512F" : "no AVX-512F"
    let cores = lines.filter { $0.hasPrefix("processor") }.count
    return "\(field("model name") ?? "unknown CPU") (\(field("vendor_id") ?? "?"), family \(field("cpu family") ?? "?") model \(field("model") ?? "?"), \(cores) logical CPUs, \(avx512))"
}

/// Both dense-layer kernels on `[rows, k]·[k, n]`, one thread, best of runs interleaved: GFLOP/s.
func kernelSpeeds(rows: Int, n: Int, k: Int) -> (packed: Double, blas: Double) {
    var random = SplitMix64(state: UInt64(rows * 7919 + n * 31 + k))
    func values(_ count: Int) -> [Float] { (0..<count).map { _ in Float(random.next() >> 40) / Float(1 << 23) - 1 } }
    let x = values(rows * k), w = values(n * k)
    let packed = DenseWeights(w, outFeatures: n, inFeatures: k, kernel: .packed)
    let blas = DenseWeights(w, outFeatures: n, inFeatures: k, kernel: .blas)
    var y = [Float](repeating: 0, count: rows * n)
    let flops = Double(2 * rows * n * k), repeats = Swift.max(1, Int(4e8 / flops))
    var best = (packed: Double.infinity, blas: Double.infinity)
    x.withUnsafeBufferPointer { x in
        y.withUnsafeMutableBufferPointer { y in
            for _ in 0..<5 {
                for (index, weights) in [packed, blas].enumerated() {
                    let seconds = bestOf(1) { for _ in 0..<repeats { weights.multiply(x.baseAddress!, rows: rows, into: y.baseAddress!, accumulate: false) } }
                    if index == 0 { best.packed = min(best.packed, seconds) } else { best.blas = min(best.blas, seconds) }
                }
            }
        }
    }
    return (flops * Double(repeats) / best.packed / 1e9, flops * Double(repeats) / best.blas / 1e9)
}

/// The CPU, the packed kernel's blocking, both kernels on the model's dense-layer shapes (one thread),
/// and the kernel the rule picks, with whether the measurement agrees.
func kernelCheck(detector: Detector) {
    let d = detector.description
    let b = MatrixKernel.packedBlocking
    print("  CPU: \(cpuDescription())")
    guard MatrixKernel.isPackedAvailable else {
        print("  dense layers: \(MatrixKernel.preferred.rawValue) (\(MatrixKernel.preferredReason)); no packed kernel to compare")
        return
    }
    let slices = b.kSlice >= 1 << 20 ? "k unsliced (AMD: slices only cost time there)" : "slices of \(b.kSlice) steps of k"
    print("  packed kernel blocking: L1d \(b.l1KiB) KiB, L2 \(b.l2KiB) KiB → \(slices), \(b.xBlockBytes / 1024) KiB of x per row block")
    let threads = BLAS.threadCount
    BLAS.threadCount = 1
    defer { BLAS.threadCount = threads }
    // q|k|v, the feed-forward up and down projections (BERT's 4× inner width; MiniLM's exactly)
    let hidden = d.hiddenSize, inner = 4 * d.hiddenSize
    var packedTime = 0.0, blasTime = 0.0
    print("  dense-layer kernels, 1 thread, GFLOP/s (packed / OpenBLAS):", terminator: "")
    for rows in [66, 1024] {
        for (n, k) in [(3 * hidden, hidden), (inner, hidden), (hidden, inner)] {
            let (packed, blas) = kernelSpeeds(rows: rows, n: n, k: k)
            let flops = Double(2 * rows * n * k)
            packedTime += flops / packed
            blasTime += flops / blas
            print(" [\(rows)×\(k)→\(n)] \(Int(packed.rounded()))/\(Int(blas.rounded()))", terminator: "")
        }
    }
    print()
    let faster: MatrixKernel = packedTime < blasTime ? .packed : .blas
    print("  dense layers: \(MatrixKernel.preferred.rawValue) kernel (\(MatrixKernel.preferredReason)); on these shapes packed is "
          + String(format: "%.2f", blasTime / packedTime) + "× OpenBLAS, so the faster here is \(faster.rawValue)"
          + (faster == MatrixKernel.preferred ? "" : " — NOT the one picked"))
}

/// The machine's sgemm speed right now, on the shape of MiniLM's feed-forward layer: the ceiling the
/// forward pass works under, printed so that a slow run on a busy machine is recognizable.
func sgemmGFLOPS() -> Double {
    let m = 2048, n = 1536, k = 384, repeats = 20
    let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: n * k)
    var c = [Float](repeating: 0, count: m * n)
    let seconds = a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                bestOf(3) {
                    for _ in 0..<repeats {
                        BLAS.sgemm(.normal, .transposed, m: m, n: n, k: k, a: a.baseAddress!, lda: k,
                                   b: b.baseAddress!, ldb: k, c: c.baseAddress!, ldc: n)
                    }
                }
            }
        }
    }
    return Double(2 * m * n * k * repeats) / seconds / 1e9
}

func formatted(_ value: Double) -> String {
    let formatter = NumberFormatter()
    formatter.numberStyle = .decimal
    formatter.maximumFractionDigits = 0
    return formatter.string(from: NSNumber(value: value)) ?? "\(Int(value))"
}

func run() throws {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let loadStart = Date()
    let detector = try Detector(model: URL(fileURLWithPath: options.model))
    let loadSeconds = Date().timeIntervalSince(loadStart)
    let prompts = makePrompts(options.prompts, detector: detector)
    let lengths = prompts.map(\.encoding.ids.count)
    let tokens = lengths.reduce(0, +)
    let batches = stride(from: 0, to: prompts.count, by: options.batch).map {
        prompts[$0..<min($0 + options.batch, prompts.count)].map(\.encoding)
    }
    let d = detector.description
    print("CodebookBench: \(URL(fileURLWithPath: options.model).lastPathComponent) forward pass, all \(d.numLayers) hidden states,")
    print("  \(prompts.count) prompts, \(tokens) tokens (\(lengths.min() ?? 0)–\(lengths.max() ?? 0) per prompt), batches of \(options.batch)")
    let coreType = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { "OPENBLAS_CORETYPE=\($0)" } ?? "OPENBLAS_CORETYPE unset"
    print("  loaded in \(String(format: "%.2f", loadSeconds)) s (weights read, converted and packed; tokenizer built)")
    if options.model.hasSuffix(".gguf") {
        // The GGUF file's tensors dequantized once more, alone: what reading the file itself costs.
        let file = try GGUFFile(path: options.model)
        let start = Date()
        var elements = 0
        for tensor in file.tensors { elements += try file.floats(tensor.name).count }
        print("  GGUF: \(file.tensors.count) tensors, \(elements) values dequantized in \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
    }
    print("  OpenBLAS: \(BLAS.coreName) kernels, \(BLAS.threadCount) threads (\(coreType)), sgemm \(formatted(sgemmGFLOPS())) GFLOP/s")

    kernelCheck(detector: detector)

    // Ours, then the baselines, then ours again: on a shared machine the load drifts over a run, and
    // the best of runs on both sides of the baselines gives every side a fair chance at a quiet moment.
    let threads = BLAS.threadCount
    _ = try detector.hiddenStates(batches[0])  // warm-up: page in the weights, start BLAS's threads
    let forward = { for batch in batches { _ = try detector.hiddenStates(batch) } }
    func ours(threads count: Int) throws -> Double {
        BLAS.threadCount = count  // Parallel's workers follow it
        defer { BLAS.threadCount = threads }
        return try bestOf(options.repeats, forward)
    }
    let counts = Array(Set([1, threads])).sorted()
    var seconds = try Dictionary(uniqueKeysWithValues: counts.map { ($0, try ours(threads: $0)) })
    let torch = try baseline(options, script: options.script, name: "transformers + torch", arguments: ["--threads", "\(threads)"],
                             prompts: prompts)
    let onnx = try baseline(options, script: options.onnxScript, name: "ONNX Runtime",
                            arguments: ["--threads", counts.map(String.init).joined(separator: ",")], prompts: prompts)
    let again = torch != nil || onnx != nil
    if again { for count in counts { seconds[count] = min(seconds[count]!, try ours(threads: count)) } }
    let runs = again ? "\(2 * options.repeats), before and after the baselines" : "\(options.repeats)"
    func line(_ label: String, _ rate: Double, _ seconds: Double, _ runs: String) -> String {
        "  \(label.padding(toLength: 68, withPad: " ", startingAt: 0)) \(formatted(rate).leftPadded(7)) tokens/s  (best of \(runs): \(String(format: "%.2f", seconds)) s)"
    }
    var speeds: [Int: Double] = [:]
    for count in counts {
        speeds[count] = Double(tokens) / seconds[count]!
        print(line("Swift, packed batches (no padding), \(MatrixKernel.preferred.rawValue) kernel, \(count) thread\(count == 1 ? "" : "s")",
                   speeds[count]!, seconds[count]!, runs))
    }

    if let result = torch?.first, let theirs = result["tokens_per_second"] as? Double, let theirSeconds = result["seconds"] as? Double {
        let versions = "transformers \(result["transformers"] ?? "?") + torch \(result["torch"] ?? "?")"
        let count = result["threads"] as? Int ?? threads
        print(line("\(versions), \(count) threads, padded", theirs, theirSeconds, "\(options.repeats)"))
        if let mismatches = result["tokenizer_mismatches"] as? Int, mismatches > 0 {
            print("  note: transformers' tokenizer differs from ours on \(mismatches) prompts (both ran our ids)")
        }
        if let mine = speeds[count] { print("  ratio: \(String(format: "%.2f", mine / theirs))× transformers + torch, \(count) threads") }
    }
    for result in onnx ?? [] {
        guard let theirs = result["tokens_per_second"] as? Double, let theirSeconds = result["seconds"] as? Double,
              let count = result["threads"] as? Int else { continue }
        print(line("ONNX Runtime \(result["onnxruntime"] ?? "?"), \(count) thread\(count == 1 ? "" : "s"), padded", theirs, theirSeconds, "\(options.repeats)"))
        if let mine = speeds[count] { print("  ratio: \(String(format: "%.2f", mine / theirs))× ONNX Runtime, \(count) thread\(count == 1 ? "" : "s")") }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("CodebookBench: \(error)\n".utf8))
    exit(1)
}
