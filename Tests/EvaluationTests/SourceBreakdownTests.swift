import CodebookRuntime
@testable import Evaluation
import EvaluationFormat
import Foundation
import Testing

/// An external set mixes benchmarks in a class; evaluate breaks each contrast down by the source of its
/// positives and of its negatives (the part of a prompt's id before its number), so a source on which
/// a detector fails is not hidden in the mixed AUC.
@Suite struct SourceBreakdownTests {
    @Test(arguments: [
        ("gandalf-0042", "gandalf"), ("jbb-harmful-0001", "jbb-harmful"), ("harmful-0001", "harmful"), ("a-1", "a"),
        ("p1", nil), ("x-", nil), ("-12", nil), ("a-1b", nil), ("a-\u{0663}", nil), ("", nil),
    ] as [(String, String?)])
    func sourceOfAnID(_ id: String, _ source: String?) {
        #expect(PromptSource.of(id) == source)
    }

    /// Positives from `a` (2) and `b` (3), negatives from `x` (2) and `y` (1); AUCs worked out by hand.
    static let positive: [String?] = ["a", "a", "b", "b", "b"], negative: [String?] = ["x", "x", "y"]
    static let values = [0.9, 0.8, 0.3, 0.6, 0.2, 0.5, 0.1, 0.7]
    static let flagged = [true, false, true, false, false, false, true, false]

    static func scores(multilayer: Bool) -> [Metric: LabeledScores] {
        let labels = [Bool](repeating: true, count: 5) + [Bool](repeating: false, count: 3)
        var scores: [Metric: LabeledScores] = [
            .codebook: .init(scores: values, labels: labels),
            .meanDifference: .init(scores: values.map { -$0 }, labels: labels),  // every AUC becomes 1 − AUC
            .probe: .init(scores: values, labels: labels),
        ]
        if multilayer { scores[.multilayerProbe] = .init(scores: values.map { _ in 0 }, labels: labels) }  // all ties: ½
        return scores
    }

    @Test func eachSourceAgainstEachSource() throws {
        let pairs = try #require(try Evaluator.sourcePairs("c", positive: Self.positive, negative: Self.negative,
                                                           scores: Self.scores(multilayer: true), flagged: Self.flagged))
        #expect(pairs.map { "\($0.positive)/\($0.negative)" } == ["a/x", "a/y", "b/x", "b/y"])
        #expect(pairs.map(\.nPositive) == [2, 2, 3, 3] && pairs.map(\.nNegative) == [2, 1, 2, 1])
        // a's 0.9, 0.8 beat every negative; b's 0.3, 0.6, 0.2 beat 4 of x's 6 pairings and none of y's 0.7.
        let expected = [1, 1, 4.0 / 6, 0]
        for (pair, auc) in zip(pairs, expected) {
            #expect(abs(pair.auc.codebook - auc) < 1e-12 && abs(pair.auc.probe - auc) < 1e-12, "\(pair.positive)/\(pair.negative)")
            #expect(abs(pair.auc.meanDifference - (1 - auc)) < 1e-12, "\(pair.positive)/\(pair.negative)")
            #expect(pair.auc.multilayerProbe == 0.5)
        }
        // Flags: a 1 of 2, b 1 of 3; x 1 of 2, y 0 of 1.
        let third: Double = 1.0 / 3
        let expectedTPR: [Double] = [0.5, 0.5, third, third], expectedFPR: [Double] = [0.5, 0, 0.5, 0]
        #expect(pairs.map(\.verdict.tpr) == expectedTPR)
        #expect(pairs.map(\.verdict.fpr) == expectedFPR)

        let without = try #require(try Evaluator.sourcePairs("c", positive: Self.positive, negative: Self.negative,
                                                             scores: Self.scores(multilayer: false), flagged: Self.flagged))
        #expect(without.allSatisfy { $0.auc.multilayerProbe == nil })
    }

    @Test func noBreakdownWithoutSeveralSources() throws {
        let scores = Self.scores(multilayer: false)
        func pairs(_ positive: [String?], _ negative: [String?]) throws -> [EvaluationDocument.SourcePair]? {
            try Evaluator.sourcePairs("c", positive: positive, negative: negative, scores: scores, flagged: Self.flagged)
        }
        #expect(try pairs(["p", "p", "p", "p", "p"], ["n", "n", "n"]) == nil, "one source per class: a SPEC catalog")
        #expect(try pairs(["a", "a", "b", "b", nil], Self.negative) == nil, "an id without a source")
        #expect(try pairs(Self.positive, ["n", "n", "n"])?.count == 2, "several sources on one side are enough")
        // More sources than any benchmark mix has: the ids are not benchmark names.
        let many = (0..<(Evaluator.maximumSources + 1)).map { "s\($0)" as String? }
        let labels = [Bool](repeating: true, count: many.count) + [false]
        let manyScores = scores.mapValues { _ in LabeledScores(scores: (0..<labels.count).map(Double.init), labels: labels) }
        #expect(try Evaluator.sourcePairs("c", positive: many, negative: ["n"], scores: manyScores,
                                          flagged: [Bool](repeating: false, count: labels.count)) == nil)
    }

    @Test func documentKeys() throws {
        let pairs = try Evaluator.sourcePairs("c", positive: Self.positive, negative: Self.negative,
                                              scores: Self.scores(multilayer: false), flagged: Self.flagged)
        let values = MetricValues { $0.isOptional ? nil : 0.5 }
        var contrast = EvaluationDocument.Contrast(name: "c", positive: "p", negative: "n", nPositive: 5, nNegative: 3, auc: values,
                                                   tprAtFPR01: values, atThreshold: .init(tpr: 0, fpr: 0))
        let document = { EvaluationDocument(split: .all, artifacts: .init(configSHA256: "0", layer: 0), contrasts: [contrast]) }
        #expect(try !String(decoding: document().encoded(), as: UTF8.self).contains("sources"), "absent without a breakdown")
        contrast.sources = pairs
        let data = try document().encoded()
        #expect(try JSONDecoder().decode(EvaluationDocument.self, from: data) == document())
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entry = try #require((json["contrasts"] as? [[String: Any]])?.first?["sources"] as? [[String: Any]])
        #expect(Set(entry[0].keys) == ["positive", "negative", "n_positive", "n_negative", "auc", "verdict"])
        #expect(Set((entry[0]["auc"] as? [String: Any] ?? [:]).keys) == ["codebook", "mean_difference", "probe"])
    }

    @Test func reportShowsTheBreakdown() throws {
        var run = try ReportTests.run()
        #expect(try !ReportRenderer.html(run).contains("<h2>By source</h2>"), "the fixture's ids have one source per condition")
        run.document.contrasts[0].sources = try Evaluator.sourcePairs("c", positive: Self.positive, negative: Self.negative,
                                                                      scores: Self.scores(multilayer: true), flagged: Self.flagged)
        let html = try ReportRenderer.html(run)
        #expect(html.contains("<h2>By source</h2>"))
        let name = run.document.contrasts[0].name
        #expect(html.contains("<tr><th class=\"name\">\(name)</th><td>b</td><td>3</td><td>x</td><td>2</td><td class=\"metric\""))
        #expect(html.contains(">0.667</td>") && html.contains(">0.333</td>"))
        #expect(ReportTests.count("<th class=\"metric\">multi-layer probe</th>", in: html) >= 2, "a column when every pair has it")
    }
}
