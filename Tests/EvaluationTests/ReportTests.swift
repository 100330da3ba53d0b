import CodebookRuntime
import Evaluation
import EvaluationFormat
import Foundation
import Testing
import TestSupport

/// `report.html` is one self-contained page: nothing fetched from elsewhere, every section drawn, and
/// text from files escaped.
@Suite struct ReportTests {
    static func run(artifacts: URL = Fixtures.url("compile/artifacts")) throws -> EvaluationRun {
        let folder = try Fixtures.temporaryDirectory("report")
        defer { try? FileManager.default.removeItem(at: folder) }
        return try Evaluation.run(EvaluationRequest(artifacts: artifacts, activations: [Fixtures.url("compile/activations.h5")],
                                                    output: folder.appendingPathComponent("eval.json"), split: .all)).run
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func isSelfContainedWithEverySection() throws {
        let run = try Self.run()
        let html = try ReportRenderer.html(run)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        for outside in ["<script", "http://", "https://", "src=", "href=", "@import", "url(", "<link", "@font-face"] {
            #expect(!html.contains(outside), "\(outside)")
        }
        #expect(Self.count("<svg ", in: html) == 3 + 3 + 1, "a ROC panel and a simplex panel per contrast, one layer chart")
        #expect(Self.count("aria-label=\"ROC curves of ", in: html) == 3)
        #expect(Self.count("aria-label=\"simplex scatter of ", in: html) == 3)
        // Four curves per ROC panel (five with the multi-layer probe), a dot per prompt in the simplex
        // panels (each contrast draws both classes).
        let curves = run.document.contrasts.allSatisfy { $0.auc[.multilayerProbe] != nil } ? 5 : 4
        #expect(Self.count("<polyline class=\"curve\"", in: html) == 3 * curves)
        let dots = run.contrasts.map { $0.entry.nPositive + $0.entry.nNegative }.reduce(0, +)
        #expect(Self.count("<circle cx=", in: html) == dots)
        // Every number of eval.json's tables, as printed.
        for contrast in run.document.contrasts {
            #expect(html.contains(">\(contrast.name)<"))
            for metric in contrast.auc.measured {
                #expect(html.contains(">\(String(format: "%.3f", contrast.auc[metric]!))</td>"))
                #expect(html.contains(">\(String(format: "%.3f", contrast.tprAtFPR01[metric]!))</td>"))
            }
        }
        // The screen's verdict: each behavior's scorer, pooling, layer and C as compiled (the multi-layer
        // probe: every layer, mean-pooled, its own C), and its rates here.
        #expect(html.contains("<h2>The screen's verdict</h2>"))
        #expect(run.configuration.directions.contains { $0.verdict.scorer == .multilayerProbe }, "the fixture has multi-layer verdicts")
        for (entry, layer) in zip(run.configuration.directions, run.hiddenLayers) {
            let verdict = try #require(run.document.contrasts.first { $0.name == entry.name }?.verdict)
            let (pooling, layers, c) = entry.verdict.scorer == .multilayerProbe
                ? ("mean", "0–2", entry.selection.multilayerProbeC!) : (entry.hiddenPooling!.rawValue, "\(layer)", entry.selection.probeC)
            #expect(html.contains("<th class=\"name\">\(entry.name)</th><td>\(entry.verdict.scorer.rawValue)</td><td>\(pooling)</td><td>\(layers)</td>"
                                  + "<td>\(String(format: "%.3f", c))</td>"))
            #expect(html.contains(">\(String(format: "%.3f", verdict.tpr))</td>"))
            let otherFPR = try #require(verdict.otherFPR, "the fixture has conditions outside every contrast")
            #expect(html.contains(">\(String(format: "%.3f", otherFPR))</td>"))
        }
        #expect(html.contains("<th>other FPR</th>"))
        #expect(html.contains("<td>last_token</td>"), "the fixture's injection_vs_harmless reads its last token")
        // The layer chart: one dot per layer, the chosen one marked.
        #expect(Self.count("<circle class=\"layer-dot", in: html) == 3)
        #expect(html.contains("chosen layer 2"))
    }

    @Test func escapesTextFromFiles() throws {
        var run = try Self.run()
        let hostile = "<script>alert(\"x\")</script> & 'q'"
        run.contrasts[0].entry.name = hostile
        run.document.contrasts[0].name = hostile
        let html = try ReportRenderer.html(run)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"))
    }

    /// A codebook without compile's layer selection record still gets a report, which says so.
    @Test func withoutLayerSelection() throws {
        let directory = try copyArtifacts("compile/artifacts")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any])
        json["layer_selection"] = nil
        try CodebookConfiguration.seal(object: json).write(to: config)  // re-sealed: an edit compile could have made
        let html = try ReportRenderer.html(try Self.run(artifacts: directory))
        #expect(html.contains("does not record the layer selection"))
        #expect(Self.count("<svg ", in: html) == 3 + 3)
    }
}
