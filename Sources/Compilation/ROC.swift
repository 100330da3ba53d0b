/// One point of a ROC curve: predicting positive when `score ≥ threshold` gives these rates.
package struct ROCPoint: Sendable, Equatable {
    package let falsePositiveRate: Double
    package let truePositiveRate: Double
    /// `+infinity` for the curve's first point `(0, 0)`.
    package let threshold: Double
}

/// Receiver operating characteristic of scores for a binary labeling (`true` = positive), with
/// scikit-learn's conventions: a sample is predicted positive when its score is at or above the threshold,
/// tied scores move together, and the candidate thresholds are the distinct scores.
///
/// Every function needs both classes and refuses NaN scores (sklearn refuses infinities too; here they
/// are ordered as usual). `-0.0` and `+0.0` are the same score.
package enum ROC {
    /// The area under the ROC curve, `roc_auc_score`: the Mann–Whitney statistic
    /// `P(score₊ > score₋) + ½·P(score₊ = score₋)`. Computed with integer counts, so the only rounding
    /// is the final division; constant scores give exactly 0.5.
    package static func auc(scores: [Double], labels: [Bool], what: String = "scores") throws(CompilationError) -> Double {
        let sweep = try ScoreSweep(scores: scores, labels: labels, what: what)
        // twice the number of (positive, negative) pairs ordered correctly, ties counting one (= ½ · 2)
        var twiceConcordant = 0
        var negativesAbove = 0
        for g in sweep.thresholds.indices {
            let positivesHere = sweep.truePositives[g] - (g > 0 ? sweep.truePositives[g - 1] : 0)
            let negativesHere = sweep.falsePositives[g] - negativesAbove
            let negativesBelow = sweep.negatives - negativesAbove - negativesHere
            twiceConcordant += positivesHere * (2 * negativesBelow + negativesHere)
            negativesAbove += negativesHere
        }
        return Double(twiceConcordant) / (2 * Double(sweep.positives) * Double(sweep.negatives))
    }

    /// The ROC curve as `sklearn.metrics.roc_curve` returns it: the point `(0, 0)` at threshold `+∞`,
    /// then one point per distinct score, descending; with `dropIntermediate` (sklearn's default) the
    /// points collinear with their neighbours on a horizontal or vertical run are dropped.
    package static func curve(scores: [Double], labels: [Bool], dropIntermediate: Bool = true,
                             what: String = "scores") throws(CompilationError) -> [ROCPoint] {
        let sweep = try ScoreSweep(scores: scores, labels: labels, what: what)
        let tp = sweep.truePositives, fp = sweep.falsePositives
        var kept = Array(sweep.thresholds.indices)
        if dropIntermediate && tp.count > 2 {
            // sklearn: keep the ends and every point where the second difference of fps or tps is non-zero.
            kept = [0] + (1..<(tp.count - 1)).filter { i in
                fp[i - 1] - 2 * fp[i] + fp[i + 1] != 0 || tp[i - 1] - 2 * tp[i] + tp[i + 1] != 0
            } + [tp.count - 1]
        }
        let positives = Double(sweep.positives), negatives = Double(sweep.negatives)
        return [ROCPoint(falsePositiveRate: 0, truePositiveRate: 0, threshold: .infinity)] + kept.map { i in
            ROCPoint(falsePositiveRate: Double(fp[i]) / negatives, truePositiveRate: Double(tp[i]) / positives,
                     threshold: sweep.thresholds[i])
        }
    }

    /// The highest true positive rate among the thresholds whose false positive rate is at most
    /// `maximumFalsePositiveRate`: the best point of the full ROC curve (sklearn's `roc_curve` with
    /// `drop_intermediate=False`) with `fpr ≤ maximumFalsePositiveRate`, no interpolation between points.
    /// The curve's first point (threshold above every score) has rate 0 and 0, so the result is defined
    /// (possibly 0).
    package static func truePositiveRate(atFalsePositiveRate maximumFalsePositiveRate: Double = 0.01,
                                        scores: [Double], labels: [Bool],
                                        what: String = "scores") throws(CompilationError) -> Double {
        let sweep = try ScoreSweep(scores: scores, labels: labels, what: what)
        var best = 0
        for i in sweep.thresholds.indices
        where Double(sweep.falsePositives[i]) / Double(sweep.negatives) <= maximumFalsePositiveRate {
            best = max(best, sweep.truePositives[i])
        }
        return Double(best) / Double(sweep.positives)
    }

    /// The lowest threshold whose false positive rate is at most `maximumFalsePositiveRate` (the candidates
    /// are the distinct scores). When even the highest score lets more negatives through (a few
    /// negatives score highest), it is the next double above the highest score: FPR 0, TPR 0.
    package static func lowestThreshold(atFalsePositiveRate maximumFalsePositiveRate: Double, scores: [Double], labels: [Bool],
                                       what: String = "scores") throws(CompilationError) -> Double {
        try ScoreSweep(scores: scores, labels: labels, what: what).lowestThreshold(atFalsePositiveRate: maximumFalsePositiveRate)
    }

    /// The true and false positive rates of predicting positive when `score ≥ threshold`.
    package static func rates(atThreshold threshold: Double, scores: [Double], labels: [Bool],
                             what: String = "scores") throws(CompilationError) -> (truePositiveRate: Double, falsePositiveRate: Double) {
        let (positives, negatives) = try ScoreSweep.validate(scores: scores, labels: labels, what: what)
        guard !threshold.isNaN else { throw .nonFiniteValue(what: "\(what): threshold", index: 0) }
        var tp = 0, fp = 0
        for (score, label) in zip(scores, labels) where score >= threshold {
            if label { tp += 1 } else { fp += 1 }
        }
        return (Double(tp) / Double(positives), Double(fp) / Double(negatives))
    }
}

/// The two operating thresholds of a contrast's classifier (SPEC §6), chosen on its train probabilities.
/// Candidates are the distinct train probabilities; a sample is predicted positive when `p ≥ t`.
package struct ClassifierThresholds: Sendable, Equatable {
    /// Maximizes Youden's `J = TPR − FPR`; among equal `J` the lowest threshold. `J` is compared exactly
    /// (as `TP·N₋ − FP·N₊` in integers), so ties are real ties, not rounding accidents.
    package let youden: Double
    /// The lowest threshold whose false positive rate is at most 1%. When even the highest train
    /// probability lets more than 1% of the negatives through (a few negatives scoring highest), it is
    /// the next double above the highest probability: FPR 0 and TPR 0 on the train split.
    package let fpr01: Double

    package static func fit(probabilities: [Double], labels: [Bool],
                           what: String = "classifier probabilities") throws(CompilationError) -> ClassifierThresholds {
        let sweep = try ScoreSweep(scores: probabilities, labels: labels, what: what)
        let positives = sweep.positives, negatives = sweep.negatives
        var youden = sweep.thresholds[0]
        var bestJ = Int.min  // J · N₊ · N₋
        for i in sweep.thresholds.indices {  // descending thresholds: later = lower
            let j = sweep.truePositives[i] * negatives - sweep.falsePositives[i] * positives
            if j >= bestJ {
                bestJ = j
                youden = sweep.thresholds[i]
            }
        }
        return ClassifierThresholds(youden: youden, fpr01: sweep.lowestThreshold(atFalsePositiveRate: 0.01))
    }
}

/// Scores sorted descending and grouped by value: for each distinct score (a candidate threshold), the
/// numbers of positives and negatives scoring at or above it.
struct ScoreSweep {
    let thresholds: [Double]      // distinct scores, descending
    let truePositives: [Int]      // [thresholds.count], cumulative
    let falsePositives: [Int]     // [thresholds.count], cumulative
    let positives: Int
    let negatives: Int

    init(scores: [Double], labels: [Bool], what: String) throws(CompilationError) {
        (positives, negatives) = try Self.validate(scores: scores, labels: labels, what: what)
        // descending; equal scores in index order, so the result never depends on the sort's stability
        let order = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        var thresholds = [Double](), truePositives = [Int](), falsePositives = [Int]()
        var tp = 0, fp = 0
        for (k, index) in order.enumerated() {
            if labels[index] { tp += 1 } else { fp += 1 }
            // close a group after its last member
            if k == order.count - 1 || scores[order[k + 1]] != scores[index] {
                thresholds.append(scores[index])
                truePositives.append(tp)
                falsePositives.append(fp)
            }
        }
        self.thresholds = thresholds
        self.truePositives = truePositives
        self.falsePositives = falsePositives
    }

    /// See `ROC.lowestThreshold(atFalsePositiveRate:scores:labels:)`.
    func lowestThreshold(atFalsePositiveRate maximum: Double) -> Double {
        var lowest = thresholds[0].nextUp
        for i in thresholds.indices where Double(falsePositives[i]) / Double(negatives) <= maximum { lowest = thresholds[i] }
        return lowest
    }

    static func validate(scores: [Double], labels: [Bool], what: String) throws(CompilationError) -> (positives: Int, negatives: Int) {
        guard scores.count == labels.count else {
            throw .shapeMismatch(what: what, expected: "\(scores.count) labels", actual: "\(labels.count)")
        }
        if let index = scores.firstIndex(where: { $0.isNaN }) { throw .nonFiniteValue(what: what, index: index) }
        let positives = labels.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { throw .missingClass(what: what, positives: positives, negatives: negatives) }
        return (positives, negatives)
    }
}
