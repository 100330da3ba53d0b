import Activations
import CommandLineSupport
import CodebookRuntime
import Foundation
import LinearAlgebra
import Scoring

// The kernels the commands use (see OpenBLASKernels): chosen before OpenBLAS reads its environment.
OpenBLASKernels.selectBeforeLoading()

// `make bench`, the runtime part: how fast a compiled codebook scores.
//  1. `Codebook.probabilities(_:into:)` on real token perturbations, one thread: vectors per second.
//  2. `codebook score`'s path (TextScorer: tokenize, forward, ICDF, score) on 64-token inputs with one
//     thread: latency percentiles.
// Usage: RuntimeBench ARTIFACTS_DIR ACTIVATIONS.h5 MODEL_DIR

let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: RuntimeBench ARTIFACTS_DIR ACTIVATIONS.h5 MODEL_DIR\n".utf8))
    exit(2)
}
let artifacts = URL(fileURLWithPath: arguments[1]), activations = URL(fileURLWithPath: arguments[2])
let model = URL(fileURLWithPath: arguments[3])

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

do {
    // 1. Throughput of score on every token perturbation of the first condition, at the codebook layer.
    let codebook = try Codebook.load(artifacts)
    let set = try ActivationsSet(url: activations)
    let vectors = try set.tokenPerturbations(set.conditions[0], layer: codebook.layer)  // [t, 64]
    let count = vectors.count / 64
    var probabilities = [Double](repeating: 0, count: codebook.directions.count)
    var checksum = 0.0
    let target = 2_000_000
    let elapsed = vectors.withUnsafeBufferPointer { all in
        probabilities.withUnsafeMutableBufferPointer { output in
            seconds {
                for i in 0..<target {
                    let row = i % count
                    codebook.probabilities(UnsafeBufferPointer(rebasing: all[(row * 64)..<(row * 64 + 64)]), into: output)
                    checksum += output[0]
                }
            }
        }
    }
    print(String(format: "runtime score: %.2f M vectors/s on one thread (%d vectors, %d directions each; %.1f ns per vector) [checksum %.3f]",
                 Double(target) / elapsed / 1e6, target, codebook.directions.count, elapsed / Double(target) * 1e9, checksum))

    // 2. Latency of codebook score on 64-token inputs, one thread.
    BLAS.threadCount = 1
    let scorer = try TextScorer(artifacts: artifacts, model: model, maxTokens: 64)
    let words = ["the", "model", "reads", "untrusted", "input", "and", "flags", "behaviors", "such", "as", "prompt", "injection"]
    let texts = (0..<50).map { i in (0..<80).map { words[($0 * 7 + i) % words.count] }.joined(separator: " ") }
    _ = try scorer.score([texts[0]])  // warm up
    var latencies: [Double] = []
    for round in 0..<6 {
        for text in texts { latencies.append(try seconds { _ = try scorer.score([text]) }) }
        _ = round
    }
    latencies.sort()
    // Where the time goes: the forward pass alone on the same inputs.
    let encodings = texts.map { scorer.detector.encode($0, maxContentTokens: 64) }
    var forward: [Double] = []
    for encoding in encodings { forward.append(try seconds { _ = try scorer.detector.hiddenStates([encoding]) }) }
    forward.sort()
    func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000 }
    let tokens = scorer.detector.encode(texts[0], maxContentTokens: 64).contentCount
    print(String(format: "codebook score latency, %d-token inputs, 1 thread (%@ kernels): p50 %.2f ms, p99 %.2f ms over %d runs",
                 tokens, BLAS.coreName, percentile(0.5), percentile(0.99), latencies.count))
    print(String(format: "  of which the forward pass: p50 %.2f ms", forward[forward.count / 2] * 1000))
} catch {
    FileHandle.standardError.write(Data("RuntimeBench: \(error)\n".utf8))
    exit(1)
}
