import Evaluation
import EvaluationFormat
import Foundation
import Testing
import TestSupport

/// The regression check of `evaluate --golden`: which AUCs count as dropped, and the table that shows them.
@Suite struct GoldenComparisonTests {
    static func document(_ auc: [String: [Metric: Double]]) -> EvaluationDocument {
        EvaluationDocument(split: .heldout, artifacts: .init(configSHA256: "00", layer: 1), contrasts: auc.keys.sorted().map { name in
            EvaluationDocument.Contrast(name: name, positive: "p", negative: "n", nPositive: 3, nNegative: 3,
                                        auc: MetricValues { auc[name]![$0] ?? 0.9 }, tprAtFPR01: MetricValues { _ in 0 },
                                        atThreshold: .init(tpr: 1, fpr: 0))
        })
    }

    /// Writes `document` (optionally edited as JSON) and reads it back as a golden.
    static func golden(_ document: EvaluationDocument, edit: (inout [String: Any]) -> Void = { _ in }) throws -> GoldenDocument {
        var json = try #require(try JSONSerialization.jsonObject(with: document.encoded()) as? [String: Any])
        edit(&json)
        let folder = try Fixtures.temporaryDirectory("golden")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("golden.json")
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        return try GoldenDocument(contentsOf: url)
    }

    @Test func onlyDropsBeyondTheToleranceCount() throws {
        // Binary fractions, so that golden − now is exact and the boundary is a real boundary.
        let golden = try Self.golden(Self.document(["a": [.codebook: 0.875, .probe: 0.75], "b": [.window8: 0.5]]))
        let now = Self.document(["a": [.codebook: 0.8125, .probe: 0.75 - 0.0625], "b": [.window8: 0.625]])
        // a.codebook and a.probe dropped by exactly 0.0625: within a tolerance of 0.0625, beyond 0.03125.
        #expect(GoldenComparison.drops(now, golden: golden, tolerance: 0.0625).isEmpty)
        let drops = GoldenComparison.drops(now, golden: golden, tolerance: 0.03125)
        #expect(drops == [GoldenDrop(contrast: "a", metric: "codebook", golden: 0.875, now: 0.8125),
                          GoldenDrop(contrast: "a", metric: "probe", golden: 0.75, now: 0.6875)])
        #expect(drops.map(\.drop) == [0.0625, 0.0625])
        // Improvements never count.
        #expect(GoldenComparison.drops(Self.document(["a": [.codebook: 1, .probe: 1], "b": [.window8: 1]]), golden: golden, tolerance: 0).isEmpty)
    }

    @Test func aMissingContrastOrMetricCountsAsADrop() throws {
        let now = Self.document(["a": [:]])
        let golden = try Self.golden(Self.document(["a": [:], "gone": [:]])) { json in
            var contrasts = json["contrasts"] as! [[String: Any]]
            var auc = contrasts[0]["auc"] as! [String: Any]
            auc["window_32"] = 0.5
            contrasts[0]["auc"] = auc
            json["contrasts"] = contrasts
        }
        let drops = GoldenComparison.drops(now, golden: golden, tolerance: 0.02)
        #expect(drops.map { "\($0.contrast).\($0.metric)" } == ["a.window_32"] + Metric.allCases.map { "gone.\($0.rawValue)" }.sorted())
        #expect(drops.allSatisfy { $0.now == nil && $0.drop == nil })
        let table = GoldenComparison.table(drops)
        #expect(table.contains("window_32") && table.contains("missing"))
    }

    @Test func tableListsEveryDrop() {
        let table = GoldenComparison.table([
            GoldenDrop(contrast: "harmful_vs_harmless", metric: "codebook", golden: 0.8, now: 0.5),
            GoldenDrop(contrast: "x", metric: "per_token", golden: 0.7, now: nil),
        ])
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].split(separator: " ").map(String.init) == ["contrast", "metric", "golden", "now", "drop"])
        #expect(lines[2].split(separator: " ").map(String.init) == ["harmful_vs_harmless", "codebook", "0.8000", "0.5000", "0.3000"])
        #expect(lines[3].split(separator: " ").map(String.init) == ["x", "per_token", "0.7000", "missing", "-"])
        #expect(Set(lines.map { $0.count }).count == 1, "columns line up")
    }

    @Test func aBadGoldenIsRefused() throws {
        let folder = try Fixtures.temporaryDirectory("golden")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("golden.json")
        for (text, reason) in [
            ("{", "not an eval.json"),
            (#"{"format_version": 2, "split": "heldout", "contrasts": []}"#, "format_version 2"),
            (#"{"format_version": 1, "split": "heldout", "contrasts": [{"name": "a", "auc": {"codebook": "high"}}]}"#, "contrasts[0].auc.codebook"),
            (#"{"format_version": 1, "split": "heldout", "contrasts": [{"name": "a", "auc": {}}, {"name": "a", "auc": {}}]}"#, "appears twice"),
        ] {
            try Data(text.utf8).write(to: url)
            #expect { try GoldenDocument(contentsOf: url) } throws: { error in
                guard case let .badGolden(path, message)? = error as? EvaluationError else { return false }
                return path == url.path && message.contains(reason)
            }
        }
        #expect(throws: EvaluationError.self) { try GoldenDocument(contentsOf: folder.appendingPathComponent("absent.json")) }
    }
}
