import CodebookRuntime
import Compilation
import EvaluationFormat
import Foundation

/// `report.html`: one self-contained page (inline CSS and SVG; no script, font or image from
/// elsewhere) with the numbers, the ROC curves, the simplex scatter and the AUC per layer.
/// Every text that comes from a file (contrast and condition names, paths) is escaped.
package enum ReportRenderer {
    package static func html(_ run: EvaluationRun) throws -> String {
        let document = run.document, configuration = run.configuration
        var page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Codebook evaluation — \(escape(configuration.model.path))</title>
        <style>\(style)</style>
        </head>
        <body>
        <header>
        <h1>Codebook evaluation</h1>
        <dl class="meta">
        <div><dt>model</dt><dd>\(escape(configuration.model.type)) · \(escape(configuration.model.path)) · \(configuration.model.numLayers) layers × \(configuration.model.hiddenSize)</dd></div>
        <div><dt>codebook layer</dt><dd>\(document.artifacts.layer) (\(escape(configuration.layerSelection?.mode ?? "fixed")))</dd></div>
        <div><dt>split</dt><dd>\(document.split.rawValue)</dd></div>
        <div><dt>config sha256</dt><dd><code>\(escape(document.artifacts.configSHA256))</code></dd></div>
        <div><dt>compiler</dt><dd>\(escape(configuration.compilerVersion))</dd></div>
        </dl>
        </header>

        """
        page += numbersSection(document)
        page += verdictSection(document, configuration, hiddenLayers: run.hiddenLayers)
        page += sourcesSection(document)
        page += try rocSection(run)
        page += simplexSection(run)
        page += layerSection(configuration)
        page += "</body>\n</html>\n"
        return page
    }

    // MARK: - Numbers

    private static func numbersSection(_ document: EvaluationDocument) -> String {
        let metrics = Metric.allCases.filter { m in document.contrasts.allSatisfy { $0.auc[m] != nil } }
        var html = """
        <section>
        <h2>Numbers</h2>
        <p class="note"><em>codebook</em>: the classifier on the prompt's perturbation; <em>window w</em>: the highest mean
        probability over <em>w</em> consecutive tokens; <em>per token</em>: every token, labeled with its prompt's class;
        <em>mean difference</em>, <em>probe</em>: the hidden-space directions on the prompt's hidden states, read with the
        pooling compile chose (see the screen's verdict below)\(metrics.contains(.multilayerProbe)
            ? "; <em>multi-layer probe</em>: a probe on every layer's hidden state at once, the prompt's mean or its best window" : "").
        n₊, n₋: prompts of the positive and negative class.</p>
        <h3>AUC</h3>
        <p class="note">Area under the ROC curve (Mann–Whitney, ties count ½); 0.5 is chance. Shading: blue above 0.5, red below.</p>

        """
        html += table(document, head: "<th>n₊</th><th>n₋</th>" + metrics.map { "<th class=\"metric\">\(escape($0.label))</th>" }.joined()) { contrast in
            "<td>\(contrast.nPositive)</td><td>\(contrast.nNegative)</td>"
                + metrics.map { cell(contrast.auc[$0]!, shade: aucShade(contrast.auc[$0]!)) }.joined()
        } mean: { contrasts in
            "<td></td><td></td>" + metrics.map { m in cell(mean(contrasts.map { $0.auc[m]! }), shade: nil) }.joined()
        }
        html += """
        <h3>Operating points</h3>
        <p class="note">TPR at 1% FPR: the highest true positive rate among the thresholds whose false positive rate is at most 1%.
        At threshold: the codebook classifier's rates at its stored (Youden) threshold.</p>

        """
        html += table(document, head: metrics.map { "<th class=\"metric\">\(escape($0.label))</th>" }.joined() + "<th class=\"split\">TPR</th><th>FPR</th>",
                      groups: "<th colspan=\"\(metrics.count)\" class=\"group\">TPR at 1% FPR</th><th colspan=\"2\" class=\"group split\">at threshold</th>") { contrast in
            metrics.map { cell(contrast.tprAtFPR01[$0]!, shade: rateShade(contrast.tprAtFPR01[$0]!)) }.joined()
                + cell(contrast.atThreshold.tpr, shade: nil, split: true) + cell(contrast.atThreshold.fpr, shade: nil)
        } mean: { contrasts in
            metrics.map { m in cell(mean(contrasts.map { $0.tprAtFPR01[m]! }), shade: nil) }.joined()
                + cell(mean(contrasts.map(\.atThreshold.tpr)), shade: nil, split: true) + cell(mean(contrasts.map(\.atThreshold.fpr)), shade: nil)
        }
        return html + "</section>\n"
    }

    /// How each behavior is decided (compile's choices, from config.json) and what that verdict flags here.
    private static func verdictSection(_ document: EvaluationDocument, _ configuration: CodebookConfiguration, hiddenLayers: [Int]) -> String {
        let directions = Dictionary(zip(configuration.directions, hiddenLayers).map { ($0.name, ($0, $1)) }, uniquingKeysWith: { a, _ in a })
        var html = """
        <section>
        <h2>The screen's verdict</h2>
        <p class="note">Per behavior, the scorer compile chose by grouped cross-validation on the train split, the hidden-space
        pooling, layer and C it chose, the threshold (in the scorer's decision units, calibrated to the target false positive
        rate out of fold), and the verdict's rates on this split: what a firewall with this codebook flags. "Other FPR" is the
        share of the split's prompts of every other condition evaluated here (neither of the behavior's two) that it flags.</p>
        <div class="scroll"><table class="numbers">
        <thead><tr><th class="name">contrast</th><th>scorer</th><th>pooling</th><th>layer</th><th>C</th><th>threshold</th><th>target FPR</th><th class="split">TPR</th><th>FPR</th><th>other FPR</th></tr></thead>
        <tbody>

        """
        for contrast in document.contrasts {
            guard let (direction, layer) = directions[contrast.name] else { continue }
            // Red where the verdict lets through more negatives than it was calibrated for.
            let target = direction.verdict.targetFPR
            func falsePositives(_ rate: Double) -> String { cell(rate, shade: rate > target ? aucShade(0.5 - rate) : nil) }
            let rates = contrast.verdict.map { cell($0.tpr, shade: nil, split: true) + falsePositives($0.fpr) + ($0.otherFPR.map(falsePositives) ?? "<td></td>") }
                ?? "<td class=\"split\"></td><td></td><td></td>"
            // The multi-layer probe reads every layer's mean-pooled state, at its own C.
            let multilayer = direction.verdict.scorer == .multilayerProbe
            let (pooling, layers, c) = multilayer
                ? ((direction.multilayerProbePooling ?? .mean).rawValue, "0–\(configuration.model.numLayers - 1)", direction.selection.multilayerProbeC ?? .nan)
                : ((direction.hiddenPooling ?? .mean).rawValue, "\(layer)", direction.selection.probeC)
            html += "<tr><th class=\"name\">\(escape(contrast.name))</th><td>\(escape(direction.verdict.scorer.rawValue))</td>"
                + "<td>\(escape(pooling))</td><td>\(layers)</td>"
                + "<td>\(format(c, 3))</td><td>\(format(direction.verdict.threshold, 3))</td>"
                + "<td>\(format(direction.verdict.targetFPR, 3))</td>" + rates + "</tr>\n"
        }
        return html + "</tbody></table></div>\n</section>\n"
    }

    /// Each contrast's numbers by source of its positives and negatives, when its classes mix sources
    /// (an external set); nothing otherwise.
    private static func sourcesSection(_ document: EvaluationDocument) -> String {
        let contrasts = document.contrasts.filter { $0.sources != nil }
        guard !contrasts.isEmpty else { return "" }
        let scorers = Scorer.allCases.filter { s in contrasts.allSatisfy { $0.sources!.allSatisfy { $0.auc[s] != nil } } }
        var html = """
        <section>
        <h2>By source</h2>
        <p class="note">Where the prompts of a class come from several sources (the part of a prompt's id before its number),
        each source of positives against each source of negatives: the AUC of each scorer a verdict can use, and the verdict's
        TPR on those positives and FPR on those negatives. A mixed set's AUC can hide a source on which the detector fails.</p>
        <div class="scroll"><table class="numbers">
        <thead><tr><th class="name">contrast</th><th>positives</th><th>n₊</th><th>negatives</th><th>n₋</th>\(scorers.map { "<th class=\"metric\">\(escape(Metric($0).label))</th>" }.joined())<th class="split">verdict TPR</th><th>FPR</th></tr></thead>
        <tbody>

        """
        for contrast in contrasts {
            for pair in contrast.sources! {
                html += "<tr><th class=\"name\">\(escape(contrast.name))</th><td>\(escape(pair.positive))</td><td>\(pair.nPositive)</td>"
                    + "<td>\(escape(pair.negative))</td><td>\(pair.nNegative)</td>"
                    + scorers.map { cell(pair.auc[$0]!, shade: aucShade(pair.auc[$0]!)) }.joined()
                    + cell(pair.verdict.tpr, shade: nil, split: true) + cell(pair.verdict.fpr, shade: nil)
                    + "</tr>\n"
            }
        }
        return html + "</tbody></table></div>\n</section>\n"
    }

    /// A table with one row per contrast (and a mean row when there are several).
    private static func table(_ document: EvaluationDocument, head: String, groups: String? = nil,
                              row: (EvaluationDocument.Contrast) -> String,
                              mean: ([EvaluationDocument.Contrast]) -> String) -> String {
        var html = "<div class=\"scroll\"><table class=\"numbers\">\n<thead>\n"
        if let groups { html += "<tr><th></th>\(groups)</tr>\n" }
        html += "<tr><th class=\"name\">contrast</th>\(head)</tr>\n</thead>\n<tbody>\n"
        for contrast in document.contrasts {
            html += "<tr><th class=\"name\">\(escape(contrast.name))<span>\(escape(contrast.positive)) vs \(escape(contrast.negative))</span></th>"
            html += row(contrast) + "</tr>\n"
        }
        if document.contrasts.count > 1 {
            html += "<tr class=\"mean\"><th class=\"name\">mean</th>" + mean(document.contrasts) + "</tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    private static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    private static func cell(_ value: Double, shade: String?, split: Bool = false) -> String {
        let style = shade.map { " style=\"background:\($0)\"" } ?? ""
        return "<td class=\"\(split ? "metric split" : "metric")\"\(style)>\(String(format: "%.3f", value))</td>"
    }

    /// Blue from 0.5 (none) to 1 (strong); red below 0.5 (worse than chance).
    private static func aucShade(_ auc: Double) -> String {
        auc >= 0.5 ? "rgba(37,99,235,\(format(0.04 + 0.36 * min(1, (auc - 0.5) / 0.5), 3)))"
            : "rgba(220,38,38,\(format(0.08 + 0.32 * min(1, (0.5 - auc) / 0.5), 3)))"
    }

    private static func rateShade(_ rate: Double) -> String {
        "rgba(37,99,235,\(format(0.04 + 0.36 * max(0, min(1, rate)), 3)))"
    }

    // MARK: - ROC curves

    /// The metrics drawn in each ROC panel, with their colors (the multi-layer probe's when measured).
    private static let allROCMetrics: [(Metric, String)] = [
        (.codebook, "#2563eb"), (.window8, "#ea580c"), (.meanDifference, "#059669"), (.probe, "#9333ea"), (.multilayerProbe, "#be123c"),
    ]

    private static func rocSection(_ run: EvaluationRun) throws -> String {
        let rocMetrics = allROCMetrics.filter { metric, _ in run.contrasts.allSatisfy { $0.scores[metric] != nil } }
        var html = """
        <section>
        <h2>ROC curves</h2>
        <p class="note">One panel per contrast (positive class first); the legend gives each scorer's AUC. The dashed diagonal is chance.</p>
        <div class="legend">\(rocMetrics.map { "<span><i style=\"background:\($1)\"></i>\(escape($0.label))</span>" }.joined())</div>
        <div class="grid">

        """
        for contrast in run.contrasts {
            var curves: [(points: [ROCPoint], color: String, metric: Metric)] = []
            for (metric, color) in rocMetrics {
                let scores = contrast.scores[metric]!
                curves.append((try ROC.curve(scores: scores.scores, labels: scores.labels), color, metric))
            }
            html += "<figure>\n" + rocPanel(contrast.entry, curves: curves)
            html += "<figcaption><b>\(escape(contrast.entry.name))</b><br>\(escape(contrast.entry.positive)) (\(contrast.entry.nPositive)) vs \(escape(contrast.entry.negative)) (\(contrast.entry.nNegative))</figcaption>\n</figure>\n"
        }
        html += "</div>\n</section>\n"
        return html
    }

    private static func rocPanel(_ entry: EvaluationDocument.Contrast, curves: [(points: [ROCPoint], color: String, metric: Metric)]) -> String {
        let size = 300.0, left = 48.0, top = 12.0, plot = 232.0
        func x(_ fpr: Double) -> String { format(left + fpr * plot) }
        func y(_ tpr: Double) -> String { format(top + (1 - tpr) * plot) }
        var svg = "<svg viewBox=\"0 0 \(format(size)) \(format(size))\" width=\"\(format(size))\" height=\"\(format(size))\" role=\"img\" aria-label=\"ROC curves of \(escape(entry.name))\">\n"
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg += "<line class=\"gridline\" x1=\"\(x(tick))\" y1=\"\(y(0))\" x2=\"\(x(tick))\" y2=\"\(y(1))\"/>"
            svg += "<line class=\"gridline\" x1=\"\(x(0))\" y1=\"\(y(tick))\" x2=\"\(x(1))\" y2=\"\(y(tick))\"/>"
            svg += "<text class=\"tick\" x=\"\(x(tick))\" y=\"\(format(top + plot + 16))\" text-anchor=\"middle\">\(tickLabel(tick))</text>"
            svg += "<text class=\"tick\" x=\"\(format(left - 6))\" y=\"\(y(tick))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(tickLabel(tick))</text>\n"
        }
        svg += "<rect class=\"frame\" x=\"\(x(0))\" y=\"\(y(1))\" width=\"\(format(plot))\" height=\"\(format(plot))\"/>\n"
        svg += "<line class=\"chance\" x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(1))\" y2=\"\(y(1))\"/>\n"
        for curve in curves.reversed() {  // the codebook on top
            let points = curve.points.map { "\(x($0.falsePositiveRate)),\(y($0.truePositiveRate))" }.joined(separator: " ")
            svg += "<polyline class=\"curve\" stroke=\"\(curve.color)\" points=\"\(points)\"/>\n"
        }
        // The AUCs, bottom right inside the plot, on a light backing so that curves under them stay apart.
        svg += "<rect class=\"backing\" x=\"\(format(left + plot - 152))\" y=\"\(format(top + plot - 16 - Double(curves.count) * 16 + 2))\" width=\"150\" height=\"\(format(Double(curves.count) * 16 + 12))\"/>\n"
        for (k, curve) in curves.enumerated() {
            let yPosition = top + plot - 8 - Double(curves.count - 1 - k) * 16
            svg += "<rect x=\"\(format(left + plot - 146))\" y=\"\(format(yPosition - 8))\" width=\"10\" height=\"3\" fill=\"\(curve.color)\"/>"
            svg += "<text class=\"auc\" x=\"\(format(left + plot - 132))\" y=\"\(format(yPosition - 6))\" dominant-baseline=\"middle\">\(escape(curve.metric.label)) \(String(format: "%.3f", entry.auc[curve.metric]!))</text>\n"
        }
        svg += "<text class=\"axis\" x=\"\(format(left + plot / 2))\" y=\"\(format(size - 18))\" text-anchor=\"middle\">false positive rate</text>"
        svg += "<text class=\"axis\" transform=\"translate(14 \(format(top + plot / 2))) rotate(-90)\" text-anchor=\"middle\">true positive rate</text>\n"
        svg += "</svg>\n"
        return svg
    }

    // MARK: - Simplex

    private static let positiveColor = "#ea580c"
    private static let negativeColor = "#2563eb"

    private static func simplexSection(_ run: EvaluationRun) -> String {
        var html = """
        <section>
        <h2>The (u, v) simplex</h2>
        <p class="note">Each prompt of the \(run.document.split.rawValue) split at its point <i>(u, v)</i> of the simplex: where the mass of its
        three marginal CDFs <i>c = (F₁(z₁), F₂(z₂), F₃(z₃))</i> lies, <i>w = c / Σc</i>; corner <i>e<sub>k</sub></i> is all mass on
        <i>z<sub>k</sub></i>. One panel per contrast; the outlined diamonds are the classes' train centroids stored in the codebook,
        the outlined circles the means of the points shown.</p>
        <div class="legend"><span><i class="dot" style="background:\(positiveColor)"></i>positive class</span><span><i class="dot" style="background:\(negativeColor)"></i>negative class</span><span><b class="diamond">◆</b>train centroid</span><span><b class="ring">●</b>mean of the points shown</span></div>
        <div class="grid">

        """
        let byCondition = Dictionary(run.points.map { ($0.condition, $0) }, uniquingKeysWith: { first, _ in first })
        for contrast in run.contrasts {
            let positive = byCondition[contrast.entry.positive]!, negative = byCondition[contrast.entry.negative]!
            html += "<figure>\n" + simplexPanel(name: contrast.entry.name, classes: [(negative, negativeColor), (positive, positiveColor)])
            html += "<figcaption><b>\(escape(contrast.entry.name))</b><br><span style=\"color:\(positiveColor)\">\(escape(positive.condition)) (\(positive.u.count))</span> vs <span style=\"color:\(negativeColor)\">\(escape(negative.condition)) (\(negative.u.count))</span></figcaption>\n</figure>\n"
        }
        html += "</div>\n</section>\n"
        return html
    }

    private static func simplexPanel(name: String, classes: [(points: ConditionPoints, color: String)]) -> String {
        let width = 300.0, height = 290.0, side = 252.0, left = 24.0, bottom = 256.0
        let h = 3.0.squareRoot() / 2
        func x(_ u: Double) -> String { format(left + u * side) }
        func y(_ v: Double) -> String { format(bottom - v * side) }
        var svg = "<svg viewBox=\"0 0 \(format(width)) \(format(height))\" width=\"\(format(width))\" height=\"\(format(height))\" role=\"img\" aria-label=\"simplex scatter of \(escape(name))\">\n"
        // The medians (where two weights are equal) through the barycenter, then the triangle.
        for (a, b) in [((0.5, 0.0), (0.5, h)), ((0.0, 0.0), (0.75, h / 2)), ((1.0, 0.0), (0.25, h / 2))] {
            svg += "<line class=\"gridline\" x1=\"\(x(a.0))\" y1=\"\(y(a.1))\" x2=\"\(x(b.0))\" y2=\"\(y(b.1))\"/>"
        }
        svg += "\n<polygon class=\"frame\" points=\"\(x(0)),\(y(0)) \(x(1)),\(y(0)) \(x(0.5)),\(y(h))\"/>\n"
        svg += "<text class=\"corner\" x=\"\(x(0))\" y=\"\(format(bottom + 18))\" text-anchor=\"middle\">e₁</text>"
        svg += "<text class=\"corner\" x=\"\(x(1))\" y=\"\(format(bottom + 18))\" text-anchor=\"middle\">e₂</text>"
        svg += "<text class=\"corner\" x=\"\(x(0.5))\" y=\"\(format(bottom - h * side - 6))\" text-anchor=\"middle\">e₃</text>\n"
        for (points, color) in classes {
            svg += "<g fill=\"\(color)\" fill-opacity=\"0.55\">"
            for (u, v) in zip(points.u, points.v) { svg += "<circle cx=\"\(x(u))\" cy=\"\(y(v))\" r=\"3\"/>" }
            svg += "</g>\n"
        }
        for (points, color) in classes {
            let c = points.trainCentroid
            let (cx, cy) = (left + c.u * side, bottom - c.v * side)
            svg += "<path class=\"centroid\" fill=\"\(color)\" d=\"M\(format(cx)) \(format(cy - 8))L\(format(cx + 8)) \(format(cy))L\(format(cx)) \(format(cy + 8))L\(format(cx - 8)) \(format(cy))Z\"/>"
            if !points.u.isEmpty {
                let mu = points.u.reduce(0, +) / Double(points.u.count), mv = points.v.reduce(0, +) / Double(points.v.count)
                svg += "<circle class=\"centroid\" fill=\"none\" stroke=\"\(color)\" cx=\"\(x(mu))\" cy=\"\(y(mv))\" r=\"7\"/>"
            }
            svg += "\n"
        }
        svg += "</svg>\n"
        return svg
    }

    // MARK: - AUC per layer

    private static func layerSection(_ configuration: CodebookConfiguration) -> String {
        var html = """
        <section>
        <h2>AUC per layer</h2>

        """
        guard let selection = configuration.layerSelection, selection.meanTrainAUC.contains(where: { $0 != nil }) else {
            return html + "<p class=\"note\">The codebook does not record the layer selection (config.json has no <code>layer_selection</code>).</p>\n</section>\n"
        }
        let values = selection.meanTrainAUC
        html += "<p class=\"note\">The mean over contrasts of the codebook classifiers' train-split AUC at each layer, as compile recorded it"
        html += selection.mode == "auto" ? " to choose the layer (the highest; ties go to the lower layer)." : " (the layer was fixed with <code>--layer</code>)."
        html += "</p>\n"
        let width = 720.0, height = 316.0, left = 60.0, right = 20.0, top = 30.0, bottom = 52.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let known = values.compactMap { $0 }
        var low = min(0.5, known.min()!), high = max(known.max()!, low + 0.05)
        low = (low * 20).rounded(.down) / 20
        high = min(1, (high * 20).rounded(.up) / 20)
        if high <= low { high = low + 0.05 }
        let count = values.count
        func x(_ layer: Int) -> Double { left + (count == 1 ? plotWidth / 2 : Double(layer) / Double(count - 1) * plotWidth) }
        func y(_ auc: Double) -> Double { top + (high - auc) / (high - low) * plotHeight }
        var svg = "<svg viewBox=\"0 0 \(format(width)) \(format(height))\" width=\"\(format(width))\" height=\"\(format(height))\" role=\"img\" aria-label=\"mean train AUC per layer\">\n"
        let step = (high - low) > 0.3 ? 0.1 : 0.05
        for tick in stride(from: low, through: high + 1e-9, by: step) {
            svg += "<line class=\"gridline\" x1=\"\(format(left))\" y1=\"\(format(y(tick)))\" x2=\"\(format(left + plotWidth))\" y2=\"\(format(y(tick)))\"/>"
            svg += "<text class=\"tick\" x=\"\(format(left - 8))\" y=\"\(format(y(tick)))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(String(format: "%.2f", tick))</text>\n"
        }
        let labelEvery = max(1, Int((Double(count) / 16).rounded(.up)))
        for layer in 0..<count where layer % labelEvery == 0 || layer == count - 1 {
            svg += "<text class=\"tick\" x=\"\(format(x(layer)))\" y=\"\(format(top + plotHeight + 18))\" text-anchor=\"middle\">\(layer)</text>"
        }
        svg += "\n<rect class=\"frame\" x=\"\(format(left))\" y=\"\(format(top))\" width=\"\(format(plotWidth))\" height=\"\(format(plotHeight))\"/>\n"
        // The chosen layer.
        let chosen = configuration.perturbation.layer
        svg += "<line class=\"chosen\" x1=\"\(format(x(chosen)))\" y1=\"\(format(top))\" x2=\"\(format(x(chosen)))\" y2=\"\(format(top + plotHeight))\"/>"
        let anchor = chosen == count - 1 && count > 1 ? "end" : chosen == 0 && count > 1 ? "start" : "middle"
        let shift = anchor == "end" ? -6.0 : anchor == "start" ? 6.0 : 0
        svg += "<text class=\"chosen-label\" x=\"\(format(x(chosen) + shift))\" y=\"\(format(top - 9))\" text-anchor=\"\(anchor)\">chosen layer \(chosen)</text>\n"
        // The line, broken where a layer was not fitted.
        var segment: [String] = []
        func flush() {
            if segment.count > 1 { svg += "<polyline class=\"layer-line\" points=\"\(segment.joined(separator: " "))\"/>\n" }
            segment = []
        }
        for (layer, value) in values.enumerated() {
            guard let value else { flush(); continue }
            segment.append("\(format(x(layer))),\(format(y(value)))")
        }
        flush()
        for (layer, value) in values.enumerated() {
            guard let value else { continue }
            svg += "<circle class=\"\(layer == chosen ? "layer-dot chosen-dot" : "layer-dot")\" cx=\"\(format(x(layer)))\" cy=\"\(format(y(value)))\" r=\"\(layer == chosen ? 6 : 4)\"><title>layer \(layer): \(String(format: "%.4f", value))</title></circle>"
        }
        svg += "\n<text class=\"axis\" x=\"\(format(left + plotWidth / 2))\" y=\"\(format(height - 10))\" text-anchor=\"middle\">layer (0 = embeddings)</text>"
        svg += "<text class=\"axis\" transform=\"translate(16 \(format(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">mean train AUC</text>\n"
        svg += "</svg>\n"
        return html + svg + "</section>\n"
    }

    // MARK: - Helpers

    /// Text for HTML content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private static func format(_ value: Double, _ digits: Int = 1) -> String {
        String(format: "%.\(digits)f", value)
    }

    private static func tickLabel(_ value: Double) -> String {
        value == 0 ? "0" : value == 1 ? "1" : String(format: "%.2f", value)
    }

    private static let style = """

    :root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; }
    * { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 1320px; padding: 28px 32px 48px; color: var(--ink); background: #fff;
           font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif; }
    h1 { font-size: 28px; margin: 0 0 10px; letter-spacing: -0.01em; }
    h2 { font-size: 20px; margin: 36px 0 6px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
    h3 { font-size: 16px; margin: 18px 0 2px; }
    .meta { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 0; color: var(--muted); font-size: 14px; }
    .meta div { display: flex; gap: 6px; } .meta dt { font-weight: 600; color: var(--ink); } .meta dd { margin: 0; }
    code { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
    .note { color: var(--muted); font-size: 14px; max-width: 980px; margin: 4px 0 12px; }
    .scroll { overflow-x: auto; }
    table.numbers { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
    table.numbers th, table.numbers td { padding: 4px 7px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
    table.numbers thead th { font-weight: 600; color: var(--muted); vertical-align: bottom; font-size: 12px; }
    table.numbers th.group { text-align: center; color: var(--ink); border-bottom: 2px solid var(--ink); font-size: 13px; }
    table.numbers th.name { text-align: left; color: var(--ink); }
    table.numbers tbody th.name span { display: block; font-weight: 400; color: var(--muted); font-size: 12px; }
    table.numbers tr.mean th, table.numbers tr.mean td { font-weight: 600; border-top: 2px solid var(--ink); }
    table.numbers td.metric, table.numbers th.metric { min-width: 74px; }
    table.numbers .split { border-left: 2px solid var(--line); }
    .legend { display: flex; flex-wrap: wrap; gap: 6px 22px; font-size: 14px; margin: 6px 0 10px; }
    .legend span { display: inline-flex; align-items: center; gap: 7px; }
    .legend i { display: inline-block; width: 22px; height: 4px; border-radius: 2px; }
    .legend i.dot { width: 10px; height: 10px; border-radius: 50%; opacity: 0.75; }
    .legend b.diamond { font-size: 16px; color: #374151; } .legend b.ring { font-size: 16px; color: transparent; -webkit-text-stroke: 1.5px #374151; }
    .grid { display: flex; flex-wrap: wrap; gap: 18px 16px; }
    figure { margin: 0; }
    figcaption { font-size: 13px; color: var(--muted); text-align: center; max-width: 300px; }
    figcaption b { color: var(--ink); font-weight: 600; }
    svg { display: block; font-family: inherit; }
    svg .gridline { stroke: #eef0f3; stroke-width: 1; }
    svg .frame { fill: none; stroke: #9ca3af; stroke-width: 1; }
    svg .chance { stroke: #9ca3af; stroke-width: 1; stroke-dasharray: 4 4; }
    svg .curve { fill: none; stroke-width: 2; stroke-linejoin: round; }
    svg .tick { font-size: 11px; fill: var(--muted); }
    svg .axis { font-size: 12px; fill: #374151; }
    svg .auc { font-size: 11px; fill: #374151; }
    svg .backing { fill: #fff; fill-opacity: 0.85; stroke: #e5e7eb; rx: 3; }
    svg .corner { font-size: 13px; fill: #374151; font-style: italic; }
    svg .centroid { stroke: #111827; stroke-width: 1.5; }
    svg circle.centroid { stroke-width: 2.5; }
    svg .chosen { stroke: #ea580c; stroke-width: 1.5; stroke-dasharray: 5 4; }
    svg .chosen-label { font-size: 12px; fill: #c2410c; font-weight: 600; }
    svg .layer-line { fill: none; stroke: #2563eb; stroke-width: 2; }
    svg .layer-dot { fill: #2563eb; stroke: #fff; stroke-width: 1.5; }
    svg .chosen-dot { fill: #ea580c; }

    """
}
