import Activations
import CodebookRuntime
import Evaluation
import EvaluationFormat
import Foundation
import Testing
import TestSupport

/// The evaluation library against `scripts/fixtures/make_evaluation.py`'s reference: every number of
/// eval.json, for the compile fixture's codebook on its own activations (held-out and all prompts), a
/// codebook whose scorers are zeroed (constant scores: AUC 0.5, TPR 0 at 1% FPR), one whose classifiers
/// are negated, and an evaluation set with tied scores across and within classes (and a contrast
/// of the codebook whose conditions it lacks, which is skipped).
@Suite struct EvaluationReferenceTests {
    /// The Python side replicates the runtime's operations, so the probabilities agree to the last bit or
    /// nearly; an AUC or a rate changes by at least 1/(n₊·n₋) ≥ 1/10⁵ here when two scores swap order, and
    /// sklearn's trapezoid AUC differs from the exact fraction by rounding only (~1e-16). 1e-12 catches
    /// every swap and every wrong label while allowing the rounding.
    static let tolerance = 1e-12

    @Test(arguments: try EvaluationReference.cases())
    func everyNumberMatchesTheReference(_ reference: EvaluationReference.Case) throws {
        let folder = try Fixtures.temporaryDirectory("evaluation")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("eval.json")
        let summary = try Evaluation.run(EvaluationRequest(
            artifacts: Fixtures.url(reference.artifacts), activations: [Fixtures.url(reference.activations)],
            output: output, split: try #require(EvaluationSplit(rawValue: reference.split))))
        let got = try JSONSerialization.jsonObject(with: Data(contentsOf: output))
        let want = try JSONSerialization.jsonObject(with: reference.eval)
        let differences = jsonDifferences(got, want, tolerance: Self.tolerance)
        #expect(differences.isEmpty, "\(differences.prefix(20).joined(separator: "\n"))")
        // The document in memory is the one written.
        #expect(try JSONDecoder().decode(EvaluationDocument.self, from: Data(contentsOf: output)) == summary.run.document)
    }

    /// The constant-score case is what its name says: every AUC ½ and every TPR at 1% FPR 0, as sklearn
    /// computed (a check on the fixture itself, so that the case cannot silently stop covering ties).
    @Test func constantScoresGiveChance() throws {
        let constant = try #require(try EvaluationReference.cases().first { $0.artifacts == "evaluation/constant" })
        let eval = try #require(try JSONSerialization.jsonObject(with: constant.eval) as? [String: Any])
        let contrasts = try #require(eval["contrasts"] as? [[String: Any]])
        #expect(contrasts.count == 3)
        for contrast in contrasts {
            let auc = try #require(contrast["auc"] as? [String: Double]), tpr = try #require(contrast["tpr_at_fpr01"] as? [String: Double])
            #expect(auc.count == Metric.allCases.count && auc.values.allSatisfy { $0 == 0.5 })
            #expect(tpr.count == Metric.allCases.count && tpr.values.allSatisfy { $0 == 0 })
        }
    }

    /// The tie set evaluates the two contrasts whose conditions it holds, in the codebook's order.
    @Test func contrastsWithoutTheirConditionsAreSkipped() throws {
        let folder = try Fixtures.temporaryDirectory("evaluation")
        defer { try? FileManager.default.removeItem(at: folder) }
        let summary = try Evaluation.run(EvaluationRequest(
            artifacts: Fixtures.url("compile/artifacts"), activations: [Fixtures.url("evaluation/ties.h5")],
            output: folder.appendingPathComponent("eval.json"), split: .all))
        #expect(summary.run.document.contrasts.map(\.name) == ["harmful_vs_harmless", "injection_vs_harmless"])
        // Per-token scores: one per token of the contrast's prompts, labeled with the prompt's class.
        let set = try ActivationsSet(url: Fixtures.url("evaluation/ties.h5"))
        for run in summary.run.contrasts {
            let positive = try set.condition(run.entry.positive), negative = try set.condition(run.entry.negative)
            let perToken = try #require(run.scores[.perToken])
            #expect(perToken.labels == Array(repeating: true, count: positive.index.tokenOffsets.last!)
                + Array(repeating: false, count: negative.index.tokenOffsets.last!))
            #expect(run.scores[.codebook]?.labels == Array(repeating: true, count: positive.count) + Array(repeating: false, count: negative.count))
        }
    }

    // MARK: - Refusals

    @Test func anEmptyClassNamesTheContrastAndTheCondition() throws {
        let folder = try Fixtures.temporaryDirectory("evaluation")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("eval.json")
        // ties.h5's injection prompts are all train-split.
        #expect {
            try Evaluation.run(EvaluationRequest(artifacts: Fixtures.url("compile/artifacts"), activations: [Fixtures.url("evaluation/ties.h5")],
                                                 output: output, split: .heldout))
        } throws: { error in
            guard case let .emptyClass(contrast, side, condition, split, _) = error as? EvaluationError else { return false }
            let text = "\(error)"
            return contrast == "injection_vs_harmless" && side == "positive" && condition == "injection" && split == "heldout"
                && text.contains("injection_vs_harmless") && text.contains("injection has no heldout prompt")
        }
        #expect(!FileManager.default.fileExists(atPath: output.path), "nothing is written")
    }

    @Test func anotherModelIsRefused() throws {
        let folder = try Fixtures.temporaryDirectory("evaluation")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try Evaluation.run(EvaluationRequest(artifacts: Fixtures.url("compile/artifacts"), activations: [Fixtures.url("evaluation/other_model.h5")],
                                                 output: folder.appendingPathComponent("eval.json"), split: .all))
        } throws: { error in
            guard case .modelMismatch? = error as? EvaluationError else { return false }
            return "\(error)".contains("other_model.h5") && "\(error)".contains("model_sha256")
        }
    }

    @Test func anotherHiddenSizeIsRefused() throws {
        let folder = try Fixtures.temporaryDirectory("evaluation")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: EvaluationError.shapeMismatch(activations: Fixtures.url("evaluation/hidden_8.h5").path,
                                                      artifacts: Fixtures.url("compile/artifacts").path,
                                                      what: "hidden_size", activationsValue: 8, artifactsValue: 12)) {
            try Evaluation.run(EvaluationRequest(artifacts: Fixtures.url("compile/artifacts"), activations: [Fixtures.url("evaluation/hidden_8.h5")],
                                                 output: folder.appendingPathComponent("eval.json"), split: .all))
        }
    }
}
