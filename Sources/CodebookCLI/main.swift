import ArgumentParser
import CodebookRuntime
import CommandLineSupport
import Foundation
import Scoring

/// `codebook score --artifacts DIR --model DIR [TEXT…]` and `codebook inspect DIR` (SPEC §10).
@main
struct CodebookCommand: StageCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "Use a compiled codebook: score texts, or inspect and verify an artifacts folder.",
        subcommands: [Score.self, Inspect.self])
}

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score texts: one JSON line per input with every direction's probability, flag and threshold.",
        discussion: "With no TEXT, reads one input per line from standard input.")

    @Option(name: .long, help: "The compiled codebook folder.")
    var artifacts: String

    @Option(name: .long, help: "The detector model folder the codebook was compiled for.")
    var model: String

    @Option(name: .long, help: "Content tokens kept per input.")
    var maxTokens: Int = 256

    @Argument(help: "Texts to score.")
    var texts: [String] = []

    func validate() throws {
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
    }

    func run() throws {
        let scorer = try TextScorer(artifacts: URL(fileURLWithPath: artifacts), model: URL(fileURLWithPath: model), maxTokens: maxTokens)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func emit(_ text: String) throws {
            let signals = try scorer.score([text])[0]
            print(String(decoding: try encoder.encode(signals), as: UTF8.self))
        }
        if texts.isEmpty {
            while let line = readLine() { try emit(line) }
        } else {
            for text in texts { try emit(text) }
        }
    }
}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Verify an artifacts folder (versions, checksums, shapes) and summarize it.")

    @Argument(help: "The compiled codebook folder.")
    var directory: String

    func run() throws {
        let codebook = try Codebook.load(URL(fileURLWithPath: directory))
        let c = codebook.configuration
        print("\(directory): verified (format_version \(c.formatVersion), \(c.files.count + 1) files, checksums match)")
        print("model: \(c.model.type), \(c.model.numLayers) layers × \(c.model.hiddenSize), weights sha256 \(c.model.sha256.prefix(16))…")
        print("codebook layer: \(c.perturbation.layer) (\(c.layerSelection?.mode ?? "fixed")); compiler \(c.compilerVersion)")
        print("direction".padding(toLength: 34, withPad: " ", startingAt: 0) + "threshold  fpr01   train AUC (codebook / mean-diff @layer / probe)")
        for (entry, direction) in zip(c.directions, codebook.directions) {
            let name = entry.name.padding(toLength: 34, withPad: " ", startingAt: 0)
            print(name + String(format: "%.3f      %.3f   %.3f / %.3f @%d / %.3f", entry.threshold, entry.thresholdFPR01,
                                entry.trainAUC.codebook, entry.trainAUC.meanDifference, direction.meanDifference.layer, entry.trainAUC.probe))
        }
    }
}
