import Activations
import CodebookRuntime
import Compilation
import EvaluationFormat
import Foundation

/// The scores of one metric on one contrast: what its AUC and ROC curve are computed from.
package struct LabeledScores: Sendable {
    package var scores: [Double]
    /// `true` = the contrast's positive class.
    package var labels: [Bool]

    package init(scores: [Double] = [], labels: [Bool] = []) {
        self.scores = scores
        self.labels = labels
    }
}

/// One contrast's evaluation: its `eval.json` entry and the scores behind it.
package struct ContrastRun: Sendable {
    package var entry: EvaluationDocument.Contrast
    /// Per metric (`Metric.allCases` order): prompts for every metric but `perToken` (tokens).
    package var scores: [Metric: LabeledScores]
}

/// The `(u, v)` simplex coordinates of one condition's prompts on the split.
package struct ConditionPoints: Sendable {
    package var condition: String
    package var u: [Double]
    package var v: [Double]
    /// The condition's train class mean of `(sum, u, v)` as stored in the artifacts' `centroids`.
    package var trainCentroid: CodebookCoordinates
}

/// Everything an evaluation computed: the document and what the report draws.
package struct EvaluationRun: Sendable {
    package var document: EvaluationDocument
    package var contrasts: [ContrastRun]
    package var points: [ConditionPoints]
    package var configuration: CodebookConfiguration
    /// Per direction (config.json's order), the hidden-space scorers' layer.
    package var hiddenLayers: [Int]
}

/// Stage 3: a compiled codebook measured on activations (SPEC §9).
package enum Evaluator {
    /// The windows of `window_1` … `window_16`.
    package static let windows = Metric.windows.map { $0.window! }

    /// Evaluates every contrast of `codebook` whose two conditions are in `activations`, on `split`.
    /// `artifacts` and `configSHA256` identify the codebook (for messages and the document).
    package static func evaluate(_ codebook: Codebook, artifacts: URL, configSHA256: String,
                                activations: ActivationsSet, split: EvaluationSplit) throws -> EvaluationRun {
        let header = activations.header, model = codebook.configuration.model
        let activationsPath = activations.files.map(\.url.path).joined(separator: ", ")
        guard header.modelSHA256 == model.sha256 else {
            throw EvaluationError.modelMismatch(activations: activationsPath, activationsSHA256: header.modelSHA256,
                                                artifacts: artifacts.path, artifactsSHA256: model.sha256)
        }
        for (what, ours, theirs) in [("hidden_size", header.hiddenSize, model.hiddenSize), ("num_layers", header.numLayers, model.numLayers)]
        where ours != theirs {
            throw EvaluationError.shapeMismatch(activations: activationsPath, artifacts: artifacts.path, what: what,
                                                activationsValue: ours, artifactsValue: theirs)
        }
        let available = Set(activations.conditions)
        let evaluated = codebook.directions.indices.filter {
            available.contains(codebook.directions[$0].positive) && available.contains(codebook.directions[$0].negative)
        }
        guard !evaluated.isEmpty else {
            throw EvaluationError.noContrasts(activations: activationsPath, contrasts: codebook.directions.map(\.name),
                                              conditions: activations.conditions)
        }
        // Every condition a contrast needs, scored once, in the order of first use.
        var names: [String] = []
        for i in evaluated {
            for name in [codebook.directions[i].positive, codebook.directions[i].negative] where !names.contains(name) {
                names.append(name)
            }
        }
        var conditions: [String: ConditionScores] = [:]
        for name in names {
            conditions[name] = try ConditionScores(codebook, condition: try activations.condition(name),
                                                   tokenPerturbations: activations.tokenPerturbations(name, layer: codebook.layer),
                                                   split: split)
        }

        var runs: [ContrastRun] = []
        for i in evaluated {
            let direction = codebook.directions[i]
            for (side, name) in [("positive", direction.positive), ("negative", direction.negative)] where conditions[name]!.prompts == 0 {
                throw EvaluationError.emptyClass(contrast: direction.name, side: side, condition: name,
                                                 split: split.rawValue, activations: activationsPath)
            }
            let others = names.filter { $0 != direction.positive && $0 != direction.negative }.map { conditions[$0]! }
            runs.append(try contrastRun(direction, index: i, positive: conditions[direction.positive]!,
                                        negative: conditions[direction.negative]!, others: others))
        }
        let points = names.map { name in
            ConditionPoints(condition: name, u: conditions[name]!.coordinates.map(\.u), v: conditions[name]!.coordinates.map(\.v),
                            trainCentroid: trainCentroid(codebook, of: name))
        }
        let document = EvaluationDocument(split: split, artifacts: .init(configSHA256: configSHA256, layer: codebook.layer),
                                          contrasts: runs.map(\.entry))
        return EvaluationRun(document: document, contrasts: runs, points: points, configuration: codebook.configuration,
                             hiddenLayers: codebook.directions.map(\.meanDifference.layer))
    }

    /// `others`: the other evaluated conditions, on which the verdict's flags are false positives too.
    private static func contrastRun(_ direction: CodebookDirection, index i: Int,
                                    positive: ConditionScores, negative: ConditionScores, others: [ConditionScores]) throws -> ContrastRun {
        var scores: [Metric: LabeledScores] = [:]
        for metric in Metric.allCases where !metric.isOptional || direction.multilayerProbe != nil {
            let (p, n) = (positive.scores(metric, direction: i), negative.scores(metric, direction: i))
            scores[metric] = LabeledScores(scores: p + n, labels: [Bool](repeating: true, count: p.count) + [Bool](repeating: false, count: n.count))
        }
        let what = { (metric: Metric) in "\(direction.name) \(metric.rawValue) scores" }
        let auc = try MetricValues { metric in
            try scores[metric].map { try ROC.auc(scores: $0.scores, labels: $0.labels, what: what(metric)) }
        }
        let tpr = try MetricValues { metric in
            try scores[metric].map { try ROC.truePositiveRate(atFalsePositiveRate: 0.01, scores: $0.scores, labels: $0.labels, what: what(metric)) }
        }
        let codebook = scores[.codebook]!
        let rates = try ROC.rates(atThreshold: direction.threshold, scores: codebook.scores, labels: codebook.labels, what: what(.codebook))
        let flagged = positive.flagged(direction: i) + negative.flagged(direction: i)
        let verdictRates = try ROC.rates(atThreshold: 0.5, scores: flagged.map { $0 ? 1 : 0 }, labels: codebook.labels, what: "\(direction.name) verdicts")
        let otherFlags = others.flatMap { $0.flagged(direction: i) }
        let entry = EvaluationDocument.Contrast(
            name: direction.name, positive: direction.positive, negative: direction.negative,
            nPositive: positive.prompts, nNegative: negative.prompts, auc: auc, tprAtFPR01: tpr,
            atThreshold: .init(tpr: rates.truePositiveRate, fpr: rates.falsePositiveRate),
            verdict: .init(scorer: direction.verdict.scorer, tpr: verdictRates.truePositiveRate, fpr: verdictRates.falsePositiveRate,
                           otherFPR: otherFlags.isEmpty ? nil : Double(otherFlags.filter { $0 }.count) / Double(otherFlags.count),
                           nOther: otherFlags.isEmpty ? nil : otherFlags.count),
            sources: try sourcePairs(direction.name, positive: positive.sources, negative: negative.sources, scores: scores, flagged: flagged))
        return ContrastRun(entry: entry, scores: scores)
    }

    /// At most this many sources per class get a breakdown: beyond that the ids are not benchmark names.
    static let maximumSources = 16

    /// The contrast's numbers on each source of positives against each source of negatives, in order
    /// of first appearance, when every prompt has a source (`PromptSource`), some class has more than
    /// one and none has more than `maximumSources`; `nil` otherwise. `scores` and `flagged` hold the
    /// positives, then the negatives, as `sources` do.
    static func sourcePairs(_ name: String, positive: [String?], negative: [String?], scores: [Metric: LabeledScores],
                            flagged: [Bool]) throws -> [EvaluationDocument.SourcePair]? {
        func distinct(_ sources: [String?]) -> [String] {
            var seen: [String] = []
            for case let source? in sources where !seen.contains(source) { seen.append(source) }
            return seen
        }
        let (positives, negatives) = (distinct(positive), distinct(negative))
        guard !(positive + negative).contains(nil), positives.count > 1 || negatives.count > 1,
              max(positives.count, negatives.count) <= maximumSources else { return nil }
        let offset = positive.count
        // Each source's rows in `scores` and `flagged`, found once.
        let negativeRows = negatives.map { n in negative.indices.filter { negative[$0] == n }.map { $0 + offset } }
        var pairs: [EvaluationDocument.SourcePair] = []
        for p in positives {
            let rowsP = positive.indices.filter { positive[$0] == p }
            for (n, rowsN) in zip(negatives, negativeRows) {
                let rows = rowsP + rowsN
                let labels = rows.map { $0 < offset }
                let what = "\(name): \(p) against \(n)"
                let auc = try ScorerAUC { scorer in
                    try scores[Metric(scorer)].map { all in try ROC.auc(scores: rows.map { all.scores[$0] }, labels: labels, what: what) }
                }
                let verdict = try ROC.rates(atThreshold: 0.5, scores: rows.map { flagged[$0] ? 1 : 0 }, labels: labels, what: "\(what), verdicts")
                pairs.append(.init(positive: p, negative: n, nPositive: rowsP.count, nNegative: rows.count - rowsP.count, auc: auc,
                                   verdict: .init(tpr: verdict.truePositiveRate, fpr: verdict.falsePositiveRate)))
            }
        }
        return pairs
    }

    /// The stored train centroid of a condition: the class mean of `(sum, u, v)` of the first direction
    /// that has it as a class (every direction's class mean of one condition is the same point, since
    /// `(sum, u, v)` does not depend on the contrast).
    private static func trainCentroid(_ codebook: Codebook, of condition: String) -> CodebookCoordinates {
        for direction in codebook.directions {
            let c = direction.positive == condition ? direction.centroids.positive
                : direction.negative == condition ? direction.centroids.negative : nil
            if let c { return CodebookCoordinates(sum: c.x, u: c.y, v: c.z) }
        }
        preconditionFailure("\(condition) is a class of an evaluated direction")
    }
}

/// One condition's prompts on the split, scored by every direction: `[prompts, directions]` for the
/// prompt-level scorers, `[tokens, directions]` for the per-token one.
struct ConditionScores {
    let directionCount: Int
    private(set) var prompts = 0
    private(set) var codebook: [Double] = []
    private(set) var windows: [[Double]]  // [Evaluator.windows.count][prompts × directions]
    private(set) var perToken: [Double] = []
    private(set) var meanDifference: [Double] = []
    private(set) var probe: [Double] = []
    /// Empty when the codebook has no multi-layer probes.
    private(set) var multilayerProbe: [Double] = []
    /// The screen's verdict per prompt and direction.
    private(set) var verdicts: [Bool] = []
    /// Each prompt's source (`PromptSource`), `nil` where its id has none.
    private(set) var sources: [String?] = []
    private(set) var coordinates: [CodebookCoordinates] = []

    init(_ codebook: Codebook, condition: ConditionActivations, tokenPerturbations: [Float], split: EvaluationSplit) throws {
        let D = codebook.directions.count, levels = ProjectionBasis.levels, layer = codebook.layer
        directionCount = D
        windows = Array(repeating: [], count: Evaluator.windows.count)
        var output = [Double](repeating: 0, count: D)  // [directions]
        let offsets = condition.index.tokenOffsets
        guard tokenPerturbations.count == (offsets.last ?? 0) * levels else {
            throw ActivationsError.inconsistentBatch(field: "\(condition.name) token_perturbations at layer \(layer)",
                                                     expected: (offsets.last ?? 0) * levels, actual: tokenPerturbations.count)
        }
        // A file extracted before the poolings were stored cannot feed a scorer that reads one of them.
        let available = condition.poolings(modelType: codebook.configuration.model.type)
        for direction in codebook.directions where !available.contains(direction.meanDifference.pooling) {
            throw EvaluationError.missingPooling(condition: condition.name, direction: direction.name,
                                                 pooling: direction.meanDifference.pooling.rawValue)
        }
        for row in condition.index.splits.indices where split.includes(condition.index.splits[row]) {
            prompts += 1
            sources.append(PromptSource.of(condition.index.ids[row]))
            let perturbation = condition.promptPerturbation(row, layer: layer)
            // Every scorer's decision value, the screen's verdict among them.
            let signals = codebook.signals(perturbation: Array(perturbation)) { condition.hidden(row, layer: $0, pooling: $1).map(Array.init) }
            self.codebook += signals.codebook.map(LogisticModel.sigmoid)
            coordinates.append(signals.coordinates)

            let tokens = tokenPerturbations[(offsets[row] * levels)..<(offsets[row + 1] * levels)]
            try tokens.withUnsafeBufferPointer { tokens in
                for (k, window) in Evaluator.windows.enumerated() {
                    windows[k] += try codebook.detect(tokenPerturbations: tokens, window: window).directions.map(\.probability)
                }
                for t in 0..<(tokens.count / levels) {
                    output.withUnsafeMutableBufferPointer {
                        codebook.probabilities(UnsafeBufferPointer(rebasing: tokens[(t * levels)..<((t + 1) * levels)]), into: $0)
                    }
                    perToken += output
                }
            }
            meanDifference += signals.meanDifference
            probe += signals.probe.map(LogisticModel.sigmoid)
            multilayerProbe += signals.multilayerProbe.map(LogisticModel.sigmoid)
            verdicts += codebook.verdict(signals).behaviors.map(\.flagged)
        }
    }

    /// Direction `i`'s verdicts, in prompt order.
    func flagged(direction i: Int) -> [Bool] {
        stride(from: i, to: verdicts.count, by: directionCount).map { verdicts[$0] }
    }

    /// Direction `i`'s scores under `metric`, in prompt (or token) order.
    func scores(_ metric: Metric, direction i: Int) -> [Double] {
        let matrix: [Double]
        switch metric {
        case .codebook: matrix = codebook
        case .window1, .window4, .window8, .window16: matrix = windows[Evaluator.windows.firstIndex(of: metric.window!)!]
        case .perToken: matrix = perToken
        case .meanDifference: matrix = meanDifference
        case .probe: matrix = probe
        case .multilayerProbe: matrix = multilayerProbe
        }
        return stride(from: i, to: matrix.count, by: directionCount).map { matrix[$0] }
    }
}
