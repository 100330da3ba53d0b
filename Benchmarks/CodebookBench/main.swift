// `make bench`: the detector forward pass's speed on all-MiniLM-L6-v2, beside transformers + torch
// measured in the same run on the same prompts (scripts/bench/transformers_forward.py).
//
//     CodebookBench [--model DIR] [--prompts N] [--batch N] [--repeats N] [--python PATH]
//
// The prompts are generated here, deterministically (a seeded generator over fixed word lists), with
// 10 to ~120 tokens each; both sides run the same token ids. Speed is real tokens (special tokens
// included, padding not) per second of forward pass, all hidden states returned, best of N runs.
// The baseline is skipped, with a note, when the Python (BENCH_PYTHON, or --python) has no torch.

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
func best(of repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
}

/// The transformers + torch figure, or nil (with the reason printed) when there is no such Python.
func baseline(_ options: Options, prompts: [(text: String, encoding: Encoding)]) throws -> [String: Any]? {
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
    process.arguments = [python, options.script, "--model", options.model, "--prompts", file.path,
                         "--batch", "\(options.batch)", "--threads", "2", "--repeats", "\(options.repeats)"]
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
        print("  transformers + torch: skipped (\(python): \(error))")
        return nil
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        let reason = message.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
        print("  transformers + torch: skipped (\(python): \(reason))")
        return nil
    }
    guard let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
          let result = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw BenchError.baseline("\(options.script) printed no result")
    }
    return result
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
                best(of: 3) {
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

func rate(_ value: Double) -> String {
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
    print("  OpenBLAS: \(BLAS.coreName) kernels, \(BLAS.threadCount) threads (\(coreType)), sgemm \(rate(sgemmGFLOPS())) GFLOP/s")

    // Ours, then the baseline, then ours again: on a shared machine the load drifts over a run, and
    // the best of runs on both sides of the baseline gives both a fair chance at a quiet moment.
    _ = try detector.hiddenStates(batches[0])  // warm-up: page in the weights, start BLAS's threads
    let forward = { for batch in batches { _ = try detector.hiddenStates(batch) } }
    let before = try best(of: options.repeats, forward)
    let result = try baseline(options, prompts: prompts)
    let after = result == nil ? before : try best(of: options.repeats, forward)
    let seconds = min(before, after)
    let ours = Double(tokens) / seconds
    let runs = result == nil ? "\(options.repeats)" : "\(2 * options.repeats), before and after the baseline"
    print("  Swift, packed (no padding):  \(rate(ours)) tokens/s  (best of \(runs): \(String(format: "%.2f", seconds)) s)")

    guard let result, let theirs = result["tokens_per_second"] as? Double,
          let theirSeconds = result["seconds"] as? Double else { return }
    let versions = "transformers \(result["transformers"] ?? "?") + torch \(result["torch"] ?? "?")"
    print("  \(versions), \(result["threads"] ?? "?") threads, padded batches:  \(rate(theirs)) tokens/s  (best of \(options.repeats): \(String(format: "%.2f", theirSeconds)) s)")
    if let mismatches = result["tokenizer_mismatches"] as? Int, mismatches > 0 {
        print("  note: transformers' tokenizer differs from ours on \(mismatches) prompts (both ran our ids)")
    }
    print("  ratio: \(String(format: "%.2f", ours / theirs))× transformers + torch")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("CodebookBench: \(error)\n".utf8))
    exit(1)
}
