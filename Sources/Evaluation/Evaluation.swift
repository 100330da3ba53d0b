import Activations
import CodebookRuntime
import EvaluationFormat
import Foundation

/// What `evaluate` is asked to do (SPEC §10).
package struct EvaluationRequest: Sendable {
    package var artifacts: URL
    /// One activations file, or the shard files of one extraction.
    package var activations: [URL]
    package var output: URL
    package var report: URL?
    package var split: EvaluationSplit
    package var golden: URL?
    /// How far below its golden value an AUC may fall before it counts as a drop.
    package var tolerance: Double
    package static let defaultTolerance = 0.02

    package init(artifacts: URL, activations: [URL], output: URL, report: URL? = nil, split: EvaluationSplit = .heldout,
                golden: URL? = nil, tolerance: Double = Self.defaultTolerance) {
        self.artifacts = artifacts
        self.activations = activations
        self.output = output
        self.report = report
        self.split = split
        self.golden = golden
        self.tolerance = tolerance
    }
}

/// What an evaluation did, and what the golden check found.
package struct EvaluationSummary: Sendable {
    package var run: EvaluationRun
    /// `nil` without `--golden`; empty when nothing dropped.
    package var drops: [GoldenDrop]?
    /// The number of AUCs compared against the golden.
    package var compared: Int
    package var seconds: Double

    package var line: String {
        let contrasts = run.document.contrasts
        func mean(_ metric: Metric) -> String {
            String(format: "%.3f", contrasts.map { $0.auc[metric] ?? .nan }.reduce(0, +) / Double(contrasts.count))
        }
        let prompts = contrasts.map { $0.nPositive + $0.nNegative }.reduce(0, +)
        return "evaluate: \(contrasts.count) contrasts on the \(run.document.split.rawValue) split (\(prompts) prompt labels), layer \(run.document.artifacts.layer); "
            + "mean AUC codebook \(mean(.codebook)), window 8 \(mean(.window8)), mean difference \(mean(.meanDifference)), probe \(mean(.probe)) "
            + (contrasts.allSatisfy { $0.auc[.multilayerProbe] != nil } ? "multi-layer probe \(mean(.multilayerProbe)) " : "")
            + "in \(String(format: "%.1f", seconds)) s"
    }
}

/// Stage 3 end to end: load, evaluate, write `eval.json` (and the report), compare with the golden.
package enum Evaluation {
    package static func run(_ request: EvaluationRequest) throws -> EvaluationSummary {
        let start = Date()
        // The golden first: a bad golden stops the run before anything is written.
        let golden = try request.golden.map { try GoldenDocument(contentsOf: $0) }
        if let golden, golden.split != request.split.rawValue {
            throw EvaluationError.goldenSplitMismatch(path: request.golden!.path, golden: golden.split, current: request.split.rawValue)
        }
        for output in [request.output] + (request.report.map { [$0] } ?? []) { try OutputFile.checkFolder(of: output) }
        let codebook = try Codebook.load(request.artifacts)
        let configSHA256 = try SHA256.hexDigest(ofFileAt: request.artifacts.appendingPathComponent(CodebookArtifacts.config))
        let activations = try ActivationsSet(urls: request.activations)
        let run = try Evaluator.evaluate(codebook, artifacts: request.artifacts, configSHA256: configSHA256,
                                         activations: activations, split: request.split)
        // Both or neither: a report that cannot be written must not leave a complete eval.json behind.
        var outputs = [(try run.document.encoded(), request.output)]
        if let report = request.report { outputs.append((Data(try ReportRenderer.html(run).utf8), report)) }
        try OutputFile.writeAll(outputs)
        let drops = golden.map { GoldenComparison.drops(run.document, golden: $0, tolerance: request.tolerance) }
        let compared = golden?.contrasts.map(\.auc.count).reduce(0, +) ?? 0
        return EvaluationSummary(run: run, drops: drops, compared: compared, seconds: Date().timeIntervalSince(start))
    }
}
