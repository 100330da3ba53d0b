import ArgumentParser
import CommandLineSupport
import Evaluation
import EvaluationFormat
import Foundation

extension EvaluationSplit: ExpressibleByArgument {}

/// `evaluate --artifacts DIR --activations FILE.h5 --out eval.json [--report report.html]
/// [--split heldout|all] [--golden FILE] [--tolerance 0.02]` (SPEC §10).
@main
struct Evaluate: StageCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a compiled codebook on activations: AUCs, TPR at 1% FPR, rates at the stored thresholds.",
        discussion: """
        Every contrast of the codebook whose two conditions are in the activations is evaluated. With --golden, \
        the AUCs are compared with a golden eval.json and the command exits with status 1, after a table of what \
        dropped, when any is more than --tolerance below its golden value.
        """)

    @Option(name: .long, help: "The artifacts folder written by compile.")
    var artifacts: String

    @Option(name: .long, parsing: .upToNextOption, help: "The activations file written by extract (or the shard files of one extraction).")
    var activations: [String]

    @Option(name: .long, help: "The eval.json to write.")
    var out: String

    @Option(name: .long, help: "Also write a self-contained HTML report here.")
    var report: String?

    @Option(name: .long, help: "The prompts to evaluate: heldout (the catalog's held-out split) or all (an external set).")
    var split: EvaluationSplit = .heldout

    @Option(name: .long, help: "A golden eval.json to compare the AUCs against.")
    var golden: String?

    @Option(name: .long, help: "How far below its golden value an AUC may fall (default 0.02; with --golden).")
    var tolerance: Double?

    func validate() throws {
        guard !activations.isEmpty else { throw ValidationError("give an --activations file") }
        if let tolerance {
            guard golden != nil else { throw ValidationError("--tolerance applies to --golden; give a golden file") }
            guard tolerance.isFinite, tolerance >= 0 else { throw ValidationError("--tolerance must be a number ≥ 0, not \(tolerance)") }
        }
    }

    func run() throws {
        let request = EvaluationRequest(
            artifacts: URL(fileURLWithPath: artifacts), activations: activations.map { URL(fileURLWithPath: $0) },
            output: URL(fileURLWithPath: out), report: report.map { URL(fileURLWithPath: $0) }, split: split,
            golden: golden.map { URL(fileURLWithPath: $0) }, tolerance: tolerance ?? EvaluationRequest.defaultTolerance)
        let summary = try Evaluation.run(request)
        print(summary.line)
        guard let drops = summary.drops, let golden else { return }
        let tolerance = request.tolerance
        if drops.isEmpty {
            print("evaluate: all \(summary.compared) AUCs of \(golden) within \(tolerance) of their golden values")
            return
        }
        let missing = drops.filter { $0.now == nil }.count
        let detail = missing > 0 ? " (\(missing) missing)" : ""
        FileHandle.standardError.write(Data("""
            evaluate: \(drops.count) of \(summary.compared) AUCs dropped more than \(tolerance) below \(golden)\(detail)
            \(GoldenComparison.table(drops))

            """.utf8))
        throw ExitCode(1)
    }
}
