import Activations
import CodebookRuntime
import LinearAlgebra

/// Per contrast, what grouped cross-validation on the train split chooses (issue #14's honest model
/// selection, #13's verdict): the hidden-space layer (by the mean difference's out-of-fold AUC; the probe
/// reads the same layer, SPEC §6), the probe's C, then the scorer whose out-of-fold AUC is highest, with
/// its threshold at the target false positive rate on the out-of-fold scores of the negatives.
///
/// Out-of-fold: each prompt is scored by a model fitted on the folds without it, and no fold splits a
/// topic (`PromptGroups`). The codebook's basis and splines use no labels and are the compiled ones;
/// its logistic classifier is refitted per fold.
struct ScorerSelection {
    /// The probe's inverse regularization strengths tried; ties go to the stronger regularization.
    static let probeCs: [Double] = [0.001, 0.01, 0.1, 1]

    let layer: Int
    let probeC: Double
    let configuration: CodebookConfiguration.Selection
    let verdict: CodebookConfiguration.Verdict

    /// `points`: the contrast's train prompts' `(sum, u, v)`, positives then negatives, as `LayerFit` has them.
    init(_ data: TrainingSet, _ contrast: Contrast, points: [SIMD3<Double>], labels: [Bool],
         groups: PromptGroups, targetFPR: Double) throws {
        let ids = data.trainIDs(contrast.positive) + data.trainIDs(contrast.negative)
        let folds = try ContrastFolds(ids: ids, labels: labels, groups: groups, what: contrast.name)
        let name = contrast.name

        func auc(_ scores: [Double], _ what: String) throws(CompilationError) -> Double {
            try ROC.auc(scores: scores, labels: labels, what: "\(name): out-of-fold \(what)")
        }
        func subset(_ indices: [Int]) -> [Bool] { indices.map { labels[$0] } }

        // The codebook classifier on (sum, u, v).
        let features = Matrix(rows: points.count, columns: 3, elements: points.flatMap { [$0.x, $0.y, $0.z] })
        let codebookScores = try folds.outOfFold(fit: { (training: [Int]) throws(CompilationError) in
            try LogisticRegression.fit(features: features.rows(training), labels: subset(training), what: "\(name) classifier, fold")
        }, score: { model, i in model.decision(points[i]) })

        // The mean difference at every layer; the best out-of-fold AUC picks the hidden-space layer.
        var layerAUC: [Double] = [], layerScores: [[Double]] = []
        for layer in 0..<data.layerCount {
            let hidden = data.hiddenMeans(contrast, layer: layer)
            let scores = try folds.outOfFold(fit: { (training: [Int]) throws(CompilationError) in
                let rows = hidden.rows(training), labels = subset(training)
                return try MeanDifference.fit(positive: rows.rows(labels.indices.filter { labels[$0] }),
                                              negative: rows.rows(labels.indices.filter { !labels[$0] }),
                                              what: "\(name) mean difference, layer \(layer), fold")
            }, score: { direction, i in direction.score(hidden.row(i)) })
            layerAUC.append(try auc(scores, "mean difference at layer \(layer)"))
            layerScores.append(scores)
        }
        layer = try LayerSelection.best(layerAUC, what: "\(name): out-of-fold mean-difference AUC per layer")
        let hiddenAtBest = data.hiddenMeans(contrast, layer: layer)

        // The probe at that layer, at each C.
        var probeAUC: [Double] = [], probeScores: [[Double]] = []
        for c in Self.probeCs {
            let scores = try folds.outOfFold(fit: { (training: [Int]) throws(CompilationError) in
                try Probe.fit(features: hiddenAtBest.rows(training), labels: subset(training), c: c, what: "\(name) probe, C \(c), fold")
            }, score: { probe, i in probe.decision(hiddenAtBest.row(i)) })
            probeAUC.append(try auc(scores, "probe at C \(c)"))
            probeScores.append(scores)
        }
        var bestC = 0
        for i in probeAUC.indices where probeAUC[i] > probeAUC[bestC] { bestC = i }
        probeC = Self.probeCs[bestC]

        // The scorer: the highest out-of-fold AUC; ties keep the earlier of codebook, mean difference, probe.
        let candidates: [(scorer: Scorer, auc: Double, scores: [Double])] = [
            (.codebook, try auc(codebookScores, "codebook"), codebookScores),
            (.meanDifference, layerAUC[layer], layerScores[layer]),
            (.probe, probeAUC[bestC], probeScores[bestC]),
        ]
        var chosen = candidates[0]
        for candidate in candidates.dropFirst() where candidate.auc > chosen.auc { chosen = candidate }
        let threshold = try ROC.lowestThreshold(atFalsePositiveRate: targetFPR, scores: chosen.scores, labels: labels,
                                                what: "\(name): out-of-fold \(chosen.scorer.rawValue) scores")
        let rates = try ROC.rates(atThreshold: threshold, scores: chosen.scores, labels: labels, what: "\(name): out-of-fold scores")
        verdict = .init(scorer: chosen.scorer, threshold: threshold, targetFPR: targetFPR,
                        crossValidatedTPR: rates.truePositiveRate, crossValidatedFPR: rates.falsePositiveRate)
        configuration = .init(folds: folds.count,
                              auc: .init(codebook: candidates[0].auc, meanDifference: candidates[1].auc, probe: candidates[2].auc),
                              meanDifferenceLayerAUC: layerAUC, probeC: probeC,
                              probeCAUC: Dictionary(uniqueKeysWithValues: zip(Self.probeCs.map { "\($0)" }, probeAUC)))
    }
}
