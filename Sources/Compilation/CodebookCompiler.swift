import Activations
import CodebookRuntime
import Dispatch
import Foundation
import LinearAlgebra

/// Which layer the codebook reads: chosen by train AUC, or given.
package enum LayerChoice: Sendable, Equatable, CustomStringConvertible {
    case auto
    case fixed(Int)

    /// `auto` or a layer number.
    package init?(_ text: String) {
        if text == "auto" { self = .auto } else if let n = Int(text), n >= 0 { self = .fixed(n) } else { return nil }
    }

    package var description: String {
        switch self {
        case .auto: return "auto"
        case let .fixed(n): return "\(n)"
        }
    }
}

/// What `compile` is asked to do (SPEC §10).
package struct CompileRequest: Sendable {
    package var activations: [URL]
    package var output: URL
    package var layer: LayerChoice = .auto
    /// What cross-validation keeps together (`--groups`; by default each prompt with its twin).
    package var groups: PromptGroups = .byTwin
    /// The false positive rate each verdict's threshold is calibrated for (`--fpr`).
    package var targetFPR: Double = Self.defaultTargetFPR
    package static let defaultTargetFPR = 0.01
    /// The hidden-space scorers' pooling (`--pooling`); `nil` lets cross-validation choose per contrast.
    package var pooling: HiddenPooling?
    /// Whether the probe is fitted, and the choices scored, against other conditions' text too
    /// (`--no-background` turns it off: `TrainingSet.background`).
    package var background = true

    package init(activations: [URL], output: URL, layer: LayerChoice = .auto) {
        self.activations = activations
        self.output = output
        self.layer = layer
    }

    /// Reads `groups.json` for cross-validation's groups.
    package mutating func groupPrompts(by groupsFile: URL) throws {
        groups = try PromptGroups(contentsOf: groupsFile)
    }
}

package struct CompileSummary: Sendable {
    package var output: URL
    package var codebook: Codebook
    package var trainPrompts: Int
    package var seconds: Double

    package var line: String {
        let c = codebook.configuration
        let auc = c.directions.map(\.trainAUC.codebook).reduce(0, +) / Double(max(c.directions.count, 1))
        return "compile: layer \(c.perturbation.layer) (\(c.layerSelection?.mode ?? "fixed"); mean train AUC \(String(format: "%.3f", auc))), "
            + "\(c.directions.count) directions, \(trainPrompts) train prompts → \(output.path) in \(String(format: "%.1f", seconds)) s"
    }
}

/// Stage 2: activations in, the four artifacts out.
package enum CodebookCompiler {
    package static func run(_ request: CompileRequest) throws -> CompileSummary {
        let start = Date()
        // The writer makes --out a folder: a file there is refused before the fitting, not after.
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: request.output.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw CompilationError.cannotWrite(path: request.output.path, reason: "it is a file, not a folder")
        }
        let data = try TrainingSet(ActivationsSet(urls: request.activations))
        if let pooling = request.pooling, !data.poolings.contains(pooling) {
            throw CompilationError.degenerate(what: "--pooling \(pooling.rawValue)",
                                              reason: "the activations do not store it (they have \(data.poolings.map(\.rawValue).joined(separator: ", ")))")
        }
        let codebook = try compile(data, layer: request.layer, groups: request.groups, targetFPR: request.targetFPR,
                                   poolings: request.pooling.map { [$0] }, background: request.background)
        try CodebookWriter.write(codebook, to: request.output)
        let trainPrompts = data.trainRows.values.reduce(0) { $0 + $1.count }
        return CompileSummary(output: request.output, codebook: codebook, trainPrompts: trainPrompts,
                              seconds: Date().timeIntervalSince(start))
    }

    /// Fits the codebook of SPEC §6 (the `files` checksums are filled in by the writer).
    package static func compile(_ set: ActivationsSet, layer choice: LayerChoice, groups: PromptGroups = .byTwin,
                                targetFPR: Double = CompileRequest.defaultTargetFPR, background: Bool = true) throws -> Codebook {
        try compile(TrainingSet(set), layer: choice, groups: groups, targetFPR: targetFPR, background: background)
    }

    /// `poolings`: those the hidden-space scorers may read (`nil`: every one the activations store);
    /// `background`: whether to use background negatives (`TrainingSet.background`); `multilayerFit`: how
    /// the multi-layer probe is fitted (a test's stand-in; `ScorerSelection`); `say`: where a line for
    /// the user goes (standard error).
    static func compile(_ data: TrainingSet, layer choice: LayerChoice, groups: PromptGroups, targetFPR: Double,
                        poolings: [HiddenPooling]? = nil, background: Bool = true,
                        multilayerFit: MultilayerFit = .dual,
                        say: (String) -> Void = { FileHandle.standardError.write(Data("\($0)\n".utf8)) }) throws -> Codebook {
        guard !data.header.contrasts.isEmpty else {
            throw CompilationError.tooFewSamples(what: "contrasts in the activations' catalog", count: 0, required: 1)
        }
        let layers = data.layerCount

        // The layer: every layer's mean train AUC (auto), or the one given.
        var meanAUC = [Double?](repeating: nil, count: layers)
        let best: LayerFit
        switch choice {
        case let .fixed(layer):
            guard (0..<layers).contains(layer) else {
                throw CompilationError.shapeMismatch(what: "--layer", expected: "a layer in 0..<\(layers)", actual: "\(layer)")
            }
            best = try LayerFit(data, layer: layer)
            meanAUC[layer] = best.meanTrainAUC
        case .auto:
            var bestFit: LayerFit?
            for layer in 0..<layers {
                let fit = try LayerFit(data, layer: layer)
                meanAUC[layer] = fit.meanTrainAUC
                if fit.meanTrainAUC > bestFit?.meanTrainAUC ?? -.infinity { bestFit = fit }  // ties keep the lower layer
            }
            best = bestFit!
        }

        let populationStatistics = try PopulationStatistics.compute(best.population, what: "population (sum, u, v)")
        var directions: [CodebookDirection] = []
        var entries: [CodebookConfiguration.Direction] = []
        // Cross-validation (with the multi-layer probe's final fit) is most of compile's time and each
        // contrast's is independent of the others': they run on every core, each alone, so the result
        // does not depend on how many there are.
        let selections = try concurrentMap(best.contrasts) { fit in
            try ScorerSelection(data, fit.contrast, points: fit.positive + fit.negative, labels: fit.labels,
                                background: background ? data.background(fit.contrast) : [], population: best.population,
                                groups: groups, poolings: poolings ?? data.poolings, targetFPR: targetFPR, multilayerFit: multilayerFit)
        }
        for (fit, selection) in zip(best.contrasts, selections) {
            let name = fit.contrast.name
            if let failure = selection.multilayerFailure {
                say("compile: \(name): no multi-layer probe (\(failure))")
            }
            let profile = try ContrastProfile.compute(positive: fit.positive, negative: fit.negative, what: name)
            let thresholds = try ClassifierThresholds.fit(probabilities: fit.probabilities, labels: fit.labels, what: "\(name) classifier")
            let (meanDifference, meanDifferenceAUC, selecting) = try fitMeanDifference(fit.contrast, selection: selection)
            let (probe, probeAUC) = try fitProbe(fit.contrast, selection: selection, selectedBy: selecting)
            let multilayer = try selection.multilayer.map {
                try storedMultilayerProbe(fit.contrast, $0.probe, selection: selection, bags: $0.bags, pooling: $0.pooling, layers: layers)
            }
            let c = profile.coordinates
            directions.append(CodebookDirection(
                name: name, positive: fit.contrast.positive, negative: fit.contrast.negative,
                classifier: fit.classifier, threshold: thresholds.youden, thresholdFPR01: thresholds.fpr01,
                centroids: (SIMD3(c.map(\.meanPositive)).rounded32, SIMD3(c.map(\.meanNegative)).rounded32),
                scale: SIMD3(c.map(\.pooledStd)).rounded32, cohenD: SIMD3(c.map(\.cohenD)).rounded32,
                meanDifference: meanDifference, probe: probe, multilayerProbe: multilayer?.probe,
                verdict: .init(scorer: selection.verdict.scorer, threshold: selection.verdict.threshold)))
            entries.append(CodebookConfiguration.Direction(
                name: name, positive: fit.contrast.positive, negative: fit.contrast.negative,
                threshold: thresholds.youden, thresholdFPR01: thresholds.fpr01, silhouette: profile.silhouette,
                directionThreshold: meanDifference.threshold, probeThreshold: probe.threshold,
                multilayerProbeThreshold: multilayer?.probe.threshold, multilayerProbePooling: multilayer?.probe.pooling,
                trainAUC: .init(codebook: fit.auc, meanDifference: meanDifferenceAUC, probe: probeAUC, multilayerProbe: multilayer?.auc),
                hiddenPooling: selection.pooling, verdict: selection.verdict, selection: selection.configuration))
        }

        let header = data.header
        let configuration = CodebookConfiguration(
            // The model's name (its folder or file), not the path extract was given: the same model
            // elsewhere must give the same config.json, whose sha256 names the published bundle.
            model: .init(type: header.modelType, path: URL(fileURLWithPath: header.modelPath).lastPathComponent, sha256: header.modelSHA256,
                         numLayers: header.numLayers, hiddenSize: header.hiddenSize),
            perturbation: .init(layer: best.layer), directions: entries, files: [:],
            catalogSHA256: header.catalogSHA256, compilerVersion: CodebookVersion.compiler,
            layerSelection: .init(mode: choice == .auto ? "auto" : "fixed", meanTrainAUC: meanAUC))
        return Codebook(configuration: configuration, basis: best.basis, singularValues: best.singularValues,
                        decomposition: best.decomposition, populationMean: populationStatistics.mean.rounded32,
                        populationStd: populationStatistics.std.rounded32, directions: directions)
    }

    /// The `mean_difference` scorer at cross-validation's layer and pooling: the scaled mean difference
    /// (`MeanDifference.fitScaled`) of the windows of the contrast that SPEC §6's multiple-instance mean
    /// difference selects, rounded as stored, with its Youden threshold on the contrast's train
    /// prompts' scores; and that selecting direction, rounded to float32 as compiler 0.4.0 stored it,
    /// so that it picks the same windows for the probe as before.
    private static func fitMeanDifference(_ contrast: Contrast, selection: ScorerSelection) throws -> (HiddenDirection, Double, LinearDirection) {
        let what = "\(contrast.name) mean difference, \(selection.pooling.rawValue), layer \(selection.layer)"
        let (bags, allLabels, contrastSamples, labels) = (selection.bags, selection.labels, selection.contrastSamples, selection.contrastLabels)
        let raw = try MultipleInstance.meanDifference(bags, labels: allLabels, samples: contrastSamples, what: what)
        let selecting = LinearDirection(vector: raw.vector.map(storedAsFloat), bias: storedAsFloat(raw.bias))
        let fitted = try MultipleInstance.scaledMeanDifference(bags, labels: allLabels, samples: contrastSamples, selectedBy: selecting, what: what)
        let unthresholded = HiddenDirection(layer: selection.layer, pooling: selection.pooling, weights: fitted.vector.map(storedAsFloat),
                                            bias: storedAsFloat(fitted.bias), mean: nil, std: nil, threshold: 0)
        let scores = bags.scores(of: contrastSamples) { unthresholded.decision($0) }
        let threshold = try ClassifierThresholds.fit(probabilities: scores, labels: labels, what: "\(contrast.name) mean-difference scores").youden
        let auc = try ROC.auc(scores: scores, labels: labels, what: "\(contrast.name) mean difference")
        return (HiddenDirection(layer: selection.layer, pooling: selection.pooling, weights: unthresholded.weights, bias: unthresholded.bias,
                                mean: nil, std: nil, threshold: threshold), auc, selecting)
    }

    /// The standardized L2 logistic probe at cross-validation's layer, pooling and C, against the
    /// contrast's negatives and its background (on the windows the mean difference `selectedBy` picks,
    /// for windows), rounded as stored, with its Youden threshold on the contrast's train prompts.
    private static func fitProbe(_ contrast: Contrast, selection: ScorerSelection,
                                 selectedBy direction: LinearDirection) throws -> (HiddenDirection, Double) {
        let what = "\(contrast.name) probe, \(selection.pooling.rawValue), layer \(selection.layer)"
        let (bags, allLabels, contrastSamples, labels) = (selection.bags, selection.labels, selection.contrastSamples, selection.contrastLabels)
        let fitted = try MultipleInstance.probe(bags, labels: allLabels, samples: Array(allLabels.indices),
                                                selectedBy: direction, c: selection.probeC, what: what)
        let unthresholded = HiddenDirection(
            layer: selection.layer, pooling: selection.pooling, weights: fitted.model.weights.map(storedAsFloat), bias: storedAsFloat(fitted.model.bias),
            mean: fitted.standardization.mean.map(storedAsFloat), std: fitted.standardization.std.map(storedAsFloat), threshold: 0)
        let probabilities = bags.scores(of: contrastSamples) { LogisticModel.sigmoid(unthresholded.decision($0)) }
        let threshold = try ClassifierThresholds.fit(probabilities: probabilities, labels: labels, what: "\(contrast.name) probe probabilities").youden
        let auc = try ROC.auc(scores: probabilities, labels: labels, what: "\(contrast.name) probe")
        return (HiddenDirection(layer: selection.layer, pooling: selection.pooling, weights: unthresholded.weights, bias: unthresholded.bias,
                                mean: unthresholded.mean, std: unthresholded.std, threshold: threshold), auc)
    }

    /// The multi-layer probe that cross-validation fitted on the states of `layers` layers of the
    /// contrast's prompts and its background read with `pooling` (`bags`, as `ScorerSelection.multilayer`
    /// has them), rounded as stored, with its Youden threshold on the contrast's train prompts.
    private static func storedMultilayerProbe(_ contrast: Contrast, _ fitted: Probe, selection: ScorerSelection, bags: Bags,
                                              pooling: HiddenPooling, layers: Int) throws -> (probe: MultilayerProbe, auc: Double) {
        let what = "\(contrast.name) multi-layer probe"
        let unthresholded = MultilayerProbe(layers: layers, pooling: pooling, weights: fitted.model.weights.map(storedAsFloat),
                                            bias: storedAsFloat(fitted.model.bias), mean: fitted.standardization.mean.map(storedAsFloat),
                                            std: fitted.standardization.std.map(storedAsFloat), threshold: 0)
        let width = bags.instances.columns / layers
        let probabilities = bags.scores(of: selection.contrastSamples) { row in
            LogisticModel.sigmoid(unthresholded.decision { row[(row.startIndex + $0 * width)...].prefix(width) })
        }
        let threshold = try ClassifierThresholds.fit(probabilities: probabilities, labels: selection.contrastLabels,
                                                     what: "\(what) probabilities").youden
        let auc = try ROC.auc(scores: probabilities, labels: selection.contrastLabels, what: what)
        return (MultilayerProbe(layers: layers, pooling: pooling, weights: unthresholded.weights, bias: unthresholded.bias, mean: unthresholded.mean,
                                std: unthresholded.std, threshold: threshold), auc)
    }
}

/// `transform` of every element, on every core; the first error (in element order) is thrown.
private func concurrentMap<Element, Result>(_ elements: [Element], _ transform: (Element) throws -> Result) throws -> [Result] {
    let results = UnsafeMutableBufferPointer<Swift.Result<Result, Error>?>.allocate(capacity: elements.count)
    results.initialize(repeating: nil)
    defer { results.deinitialize(); results.deallocate() }
    withoutActuallyEscaping(transform) { transform in
        let box = UncheckedBox(elements: elements, results: results, transform: transform)
        DispatchQueue.concurrentPerform(iterations: elements.count) { i in
            box.results[i] = Swift.Result { try box.transform(box.elements[i]) }
        }
    }
    return try results.map { try $0!.get() }
}

/// The inputs, output slots and closure of `concurrentMap`: workers only read the inputs and each
/// writes only its own slot.
private struct UncheckedBox<Element, Result>: @unchecked Sendable {
    let elements: [Element]
    let results: UnsafeMutableBufferPointer<Swift.Result<Result, Error>?>
    let transform: (Element) throws -> Result
}

extension SIMD3<Double> {
    /// As stored in the F32 artifacts.
    var rounded32: SIMD3<Double> { SIMD3(storedAsFloat(x), storedAsFloat(y), storedAsFloat(z)) }
}
