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
//  2. `codebook score`'s path (TextScorer.screen: tokenize, forward pass to the deepest layer read, ICDF,
//     pooling, every scorer, the verdict) on 64-token inputs with one thread: latency percentiles; and on
//     documents of 1,000 tokens (read in half-overlapping windows of 256), one thread.
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
    let scorer = try TextScorer(artifacts: artifacts, model: model, maxTokens: 256)
    let words = ["the", "model", "reads", "untrusted", "input", "and", "flags", "behaviors", "such", "as", "prompt", "injection"]
    /// A text of exactly `tokens` content tokens (these words are one token each in both tokenizers' vocabularies, or close).
    func text(tokens: Int, seed: Int) -> String {
        var pieces: [String] = []
        while scorer.detector.encode(pieces.joined(separator: " "), maxContentTokens: nil).contentCount < tokens {
            pieces.append(words[(pieces.count * 7 + seed) % words.count])
        }
        return pieces.joined(separator: " ")
    }
    func percentiles(_ texts: [String], rounds: Int) throws -> (p50: Double, p99: Double, runs: Int) {
        _ = try scorer.screen(texts[0])  // warm up
        var latencies: [Double] = []
        for _ in 0..<rounds {
            for text in texts { latencies.append(try seconds { _ = try scorer.screen(text) }) }
        }
        latencies.sort()
        func at(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000 }
        return (at(0.5), at(0.99), latencies.count)
    }
    let short = (0..<50).map { text(tokens: 64, seed: $0) }
    let shortTokens = scorer.detector.encode(short[0], maxContentTokens: nil).contentCount
    let (p50, p99, runs) = try percentiles(short, rounds: 6)
    // Where the time goes: the forward pass alone on the same inputs, to the same layer.
    let encodings = short.map { scorer.detector.encode($0, maxContentTokens: nil) }
    var forward: [Double] = []
    for encoding in encodings {
        forward.append(try seconds { _ = try scorer.detector.hiddenStates([encoding], throughLayer: scorer.codebook.deepestLayer) })
    }
    forward.sort()
    print(String(format: "codebook score latency, %d-token inputs, 1 thread (%@ kernels): p50 %.2f ms, p99 %.2f ms over %d runs (goal: p99 ≤ 7 ms)",
                 shortTokens, BLAS.coreName, p50, p99, runs))
    print(String(format: "  of which the forward pass to layer %d: p50 %.2f ms", scorer.codebook.deepestLayer, forward[forward.count / 2] * 1000))
    let documents = (0..<8).map { text(tokens: 1000, seed: $0) }
    let documentTokens = scorer.detector.encode(documents[0], maxContentTokens: nil).contentCount
    let chunks = try scorer.screen(documents[0]).chunks
    let document = try percentiles(documents, rounds: 3)
    print(String(format: "codebook score latency, %d-token documents (%d windows of 256), 1 thread: p50 %.1f ms, p99 %.1f ms over %d runs",
                 documentTokens, chunks, document.p50, document.p99, document.runs))
} catch {
    FileHandle.standardError.write(Data("RuntimeBench: \(error)\n".utf8))
    exit(1)
}
