import Compilation
import TestSupport
import Testing

@Suite struct ROCTests {
    struct Curve: Decodable { let fpr: [Double]; let tpr: [Double]; let thresholds: [Double] }
    struct Case: Decodable {
        let name: String
        let scores: [Double]
        let labels: [Int]
        let auc: Double
        let curve: Curve
        let tpr_at_fpr01: Double
        let youden_threshold: Double
        let fpr01_threshold: Double?
    }
    struct Fixture: Decodable { let cases: [Case] }

    static let names = ["ties300", "continuous1000", "constant", "signed_zeros", "perfect", "reversed",
                        "youden_tie", "few_negatives", "uniform400"]

    /// AUC against `roc_auc_score` (trapezoids in floating point there, integer counts here: 1e-14
    /// covers sklearn's summation rounding); the ROC curve against `roc_curve` (the same integer ratios:
    /// exact); TPR at FPR ≤ 1% against the full curve; thresholds against an exact rational sweep.
    @Test(arguments: names)
    func matchesSklearn(name: String) throws {
        let fixture: Fixture = try numericsFixture("roc.json")
        let c = try #require(fixture.cases.first { $0.name == name })
        let labels = c.labels.map { $0 == 1 }
        #expect(close(try ROC.auc(scores: c.scores, labels: labels), c.auc, 1e-14))

        let curve = try ROC.curve(scores: c.scores, labels: labels)
        #expect(curve.map(\.falsePositiveRate) == c.curve.fpr)
        #expect(curve.map(\.truePositiveRate) == c.curve.tpr)
        #expect(curve.first?.threshold == .infinity)
        #expect(Array(curve.dropFirst().map(\.threshold)) == c.curve.thresholds)

        #expect(try ROC.truePositiveRate(atFalsePositiveRate: 0.01, scores: c.scores, labels: labels) == c.tpr_at_fpr01)

        let thresholds = try ClassifierThresholds.fit(probabilities: c.scores, labels: labels)
        #expect(thresholds.youden == c.youden_threshold)
        // No candidate with FPR ≤ 1%: the next double above the highest score.
        #expect(thresholds.fpr01 == (c.fpr01_threshold ?? c.scores.max()!.nextUp))
    }

    @Test func specialCases() throws {
        // Constant scores: 0.5 exactly, whatever the class balance.
        #expect(try ROC.auc(scores: [3, 3, 3, 3, 3], labels: [true, false, false, false, true]) == 0.5)
        // −0 and +0 are one score: tied pairs count half.
        #expect(try ROC.auc(scores: [0.0, -0.0], labels: [true, false]) == 0.5)
        #expect(try ROC.auc(scores: [-0.0, 0.0], labels: [true, false]) == 0.5)
        // Infinite scores are ordered.
        #expect(try ROC.auc(scores: [.infinity, -.infinity, 1], labels: [true, false, false]) == 1)
        // All positives on top, then all below.
        #expect(try ROC.auc(scores: [0.9, 0.8, 0.1], labels: [true, true, false]) == 1)
        #expect(try ROC.auc(scores: [0.1, 0.2, 0.9], labels: [true, true, false]) == 0)
    }

    @Test func refusesBadInput() {
        #expect(throws: CompilationError.nonFiniteValue(what: "scores", index: 1)) {
            try ROC.auc(scores: [0.1, .nan, 0.3], labels: [true, false, true])
        }
        #expect(throws: CompilationError.missingClass(what: "scores", positives: 2, negatives: 0)) {
            try ROC.auc(scores: [0.1, 0.2], labels: [true, true])
        }
        #expect(throws: CompilationError.missingClass(what: "scores", positives: 0, negatives: 2)) {
            try ClassifierThresholds.fit(probabilities: [0.1, 0.2], labels: [false, false], what: "scores")
        }
        #expect(throws: CompilationError.shapeMismatch(what: "scores", expected: "2 labels", actual: "1")) {
            try ROC.curve(scores: [0.1, 0.2], labels: [true])
        }
        #expect(throws: CompilationError.self) { try ROC.auc(scores: [], labels: []) }
    }

    /// Rates at a threshold count `score ≥ threshold` as positive.
    @Test func ratesAtAThreshold() throws {
        let scores = [0.1, 0.4, 0.4, 0.7, 0.9], labels = [false, true, false, true, true]
        let rates = try ROC.rates(atThreshold: 0.4, scores: scores, labels: labels)
        #expect(rates.truePositiveRate == 1 && rates.falsePositiveRate == 0.5)
        let high = try ROC.rates(atThreshold: 0.95, scores: scores, labels: labels)
        #expect(high.truePositiveRate == 0 && high.falsePositiveRate == 0)
    }

    /// The fast sweep against a direct count of pairs on seeded random scores with many ties.
    @Test func aucEqualsPairCounting() throws {
        var generator = SeededGenerator(seed: 5)
        for trial in 0..<20 {
            let n = Int.random(in: 2...60, using: &generator)
            var labels = (0..<n).map { _ in Bool.random(using: &generator) }
            labels[0] = true
            labels[1] = false
            let scores = (0..<n).map { _ in Double(Int.random(in: -3...3, using: &generator)) / 2 }
            var twice = 0, pairs = 0
            for i in 0..<n where labels[i] {
                for j in 0..<n where !labels[j] {
                    pairs += 1
                    twice += scores[i] > scores[j] ? 2 : (scores[i] == scores[j] ? 1 : 0)
                }
            }
            #expect(try ROC.auc(scores: scores, labels: labels) == Double(twice) / Double(2 * pairs), "trial \(trial)")
        }
    }
}
