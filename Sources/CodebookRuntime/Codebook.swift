import Foundation
import SafeTensors

/// `z = (P − mean) · V3ᵀ`: the codebook's 3-D projection of a 64-level perturbation.
package struct ProjectionBasis: Sendable, Equatable {
    package static let levels = ICDFPerturbation.levels
    /// `[64]`.
    package let mean: [Double]
    /// `[3, 64]`, row-major: the top three right singular vectors.
    package let components: [Double]

    package init(mean: [Double], components: [Double]) {
        precondition(mean.count == Self.levels && components.count == 3 * Self.levels,
                     "ProjectionBasis: mean [\(mean.count)] and components [\(components.count)] for 64 levels")
        self.mean = mean
        self.components = components
    }

    /// Accumulates level by level in Double, in index order: compile and runtime use this one
    /// function, so their points agree to the bit.
    package func project<C: Collection>(_ perturbation: C) -> SIMD3<Double> where C.Element: BinaryFloatingPoint {
        precondition(perturbation.count == Self.levels, "project: \(perturbation.count) values for 64 levels")
        var z = SIMD3<Double>()
        var c = 0
        for value in perturbation {
            let centered = Double(value) - mean[c]
            z.x += centered * components[c]
            z.y += centered * components[Self.levels + c]
            z.z += centered * components[2 * Self.levels + c]
            c += 1
        }
        return z
    }
}

/// A hidden-space direction of one contrast (SPEC §6): `mean_difference` or the probe, at its layer,
/// reading the prompt with its pooling.
package struct HiddenDirection: Sendable, Equatable {
    package let layer: Int
    package let pooling: HiddenPooling
    /// `[d]`: the unit mean-difference vector, or the probe's weights in standardized space.
    package let weights: [Double]
    package let bias: Double
    /// The probe's standardization (`nil` for the mean difference).
    package let mean: [Double]?
    package let std: [Double]?
    package let threshold: Double

    package init(layer: Int, pooling: HiddenPooling = .mean, weights: [Double], bias: Double, mean: [Double]?, std: [Double]?,
                 threshold: Double) {
        self.layer = layer
        self.pooling = pooling
        self.weights = weights
        self.bias = bias
        self.mean = mean
        self.std = std
        self.threshold = threshold
    }

    /// The mean difference's score `d·h + bias`, or the probe's logit on `(h − mean)/std`.
    package func decision<C: Collection>(_ hidden: C) -> Double where C.Element: BinaryFloatingPoint {
        var t = bias
        var i = 0
        if let mean, let std {
            for x in hidden { t += weights[i] * ((Double(x) - mean[i]) / std[i]); i += 1 }
        } else {
            for x in hidden { t += weights[i] * Double(x); i += 1 }
        }
        return t
    }

    /// The decision of a prompt read as `pooling` reads it: the highest of its vectors' (one vector, or
    /// one per window), and which vector gave it (the first among equals).
    package func decision<C: Collection>(bag: [C]) -> (value: Double, index: Int) where C.Element: BinaryFloatingPoint {
        precondition(!bag.isEmpty, "HiddenDirection.decision: no vector")
        var best = (value: -Double.infinity, index: 0)
        for (i, vector) in bag.enumerated() {
            let value = decision(vector)
            if value > best.value || i == 0 { best = (value, i) }
        }
        return best
    }
}

/// The multi-layer probe of one contrast (issue #14, docs/multilayer-study.md): L2 logistic regression
/// on the hidden states of every layer at once, `0..<layers`, concatenated layer after layer and
/// standardized. A detector spreads what tells the behaviors apart over several layers; one layer's
/// probe sees a part of it. It reads each layer's `mean`-pooled state, or (`windowMax`, compiler 0.8.0)
/// each window's states at every layer, the prompt scoring by its best window, as the one-layer
/// scorers read windows (docs/transfer-study.md §16).
package struct MultilayerProbe: Sendable, Equatable {
    /// The probe reads layers `0..<layers`.
    package let layers: Int
    /// `mean` or `windowMax`.
    package let pooling: HiddenPooling
    /// `[layers · d]`, layer-major: the weights in standardized space and the standardization.
    package let weights: [Double]
    package let mean: [Double]
    package let std: [Double]
    package let bias: Double
    /// On the probability, as the one-layer probe's: maximizes Youden's J on the train split.
    package let threshold: Double

    /// The poolings a multi-layer probe may read.
    package static let poolings: [HiddenPooling] = [.mean, .windowMax]

    package init(layers: Int, pooling: HiddenPooling = .mean, weights: [Double], bias: Double, mean: [Double], std: [Double],
                 threshold: Double) {
        precondition(layers > 0 && weights.count % layers == 0 && mean.count == weights.count && std.count == weights.count,
                     "MultilayerProbe: \(weights.count) weights, \(mean.count) means, \(std.count) stds for \(layers) layers")
        precondition(Self.poolings.contains(pooling), "MultilayerProbe: no \(pooling.rawValue) pooling")
        self.layers = layers
        self.pooling = pooling
        self.weights = weights
        self.bias = bias
        self.mean = mean
        self.std = std
        self.threshold = threshold
    }

    /// The logit of one vector of states whose value at layer `l` is `states(l)`.
    package func decision<C: Collection>(_ states: (Int) -> C) -> Double where C.Element: BinaryFloatingPoint {
        let width = weights.count / layers
        var t = bias
        for layer in 0..<layers {
            let state = states(layer)
            precondition(state.count == width, "MultilayerProbe: \(state.count) values at layer \(layer) for \(width)")
            var i = layer * width
            for x in state {
                t += weights[i] * ((Double(x) - mean[i]) / std[i])
                i += 1
            }
        }
        return t
    }

    /// The logit of a prompt whose states with `pooling` at layer `l` are `bag(l)` (one vector, or one
    /// per window, the same windows at every layer): the highest over its vectors, and which gave it
    /// (the first among equals).
    package func decision(bag: (Int) -> [[Float]]) -> (value: Double, index: Int) {
        let bags = (0..<layers).map(bag)
        precondition(bags.allSatisfy { $0.count == bags[0].count && !$0.isEmpty }, "MultilayerProbe: layers read different windows")
        var best = (value: -Double.infinity, index: 0)
        for k in bags[0].indices {
            let t = decision { bags[$0][k] }
            if t > best.value { best = (t, k) }
        }
        return best
    }
}

/// One contrast compiled into a direction of the codebook.
package struct CodebookDirection: Sendable, Equatable {
    package let name: String
    package let positive: String
    package let negative: String
    /// Logistic regression on `(sum, u, v)`.
    package let classifier: LogisticModel
    package let threshold: Double
    package let thresholdFPR01: Double
    /// Class means of `(sum, u, v)`: positive, negative.
    package let centroids: (positive: SIMD3<Double>, negative: SIMD3<Double>)
    package let scale: SIMD3<Double>
    package let cohenD: SIMD3<Double>
    package let meanDifference: HiddenDirection
    package let probe: HiddenDirection
    /// `nil` for a codebook compiled without one (before compiler 0.7.0, or a detector of one layer).
    package let multilayerProbe: MultilayerProbe?
    /// Which scorer decides this behavior's verdict, and where.
    package let verdict: VerdictRule

    package init(name: String, positive: String, negative: String, classifier: LogisticModel, threshold: Double,
                thresholdFPR01: Double, centroids: (positive: SIMD3<Double>, negative: SIMD3<Double>),
                scale: SIMD3<Double>, cohenD: SIMD3<Double>, meanDifference: HiddenDirection, probe: HiddenDirection,
                multilayerProbe: MultilayerProbe? = nil, verdict: VerdictRule) {
        self.name = name
        self.positive = positive
        self.negative = negative
        self.classifier = classifier
        self.threshold = threshold
        self.thresholdFPR01 = thresholdFPR01
        self.centroids = centroids
        self.scale = scale
        self.cohenD = cohenD
        self.meanDifference = meanDifference
        self.probe = probe
        self.multilayerProbe = multilayerProbe
        self.verdict = verdict
    }

    package static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.positive == b.positive && a.negative == b.negative && a.classifier == b.classifier
            && a.threshold == b.threshold && a.thresholdFPR01 == b.thresholdFPR01
            && a.centroids.positive == b.centroids.positive && a.centroids.negative == b.centroids.negative
            && a.scale == b.scale && a.cohenD == b.cohenD && a.meanDifference == b.meanDifference && a.probe == b.probe
            && a.multilayerProbe == b.multilayerProbe && a.verdict == b.verdict
    }
}

/// What one scorer says about one input (or its best window) for one direction.
///
/// For the codebook classifiers and the probes, `probability` is the classifier's probability (of a
/// window: the highest window mean of the per-token probabilities) and `threshold` is on it. For the
/// hidden-space mean difference, `probability` is the logistic of its score `d·h + bias` (of a window:
/// of the highest window mean of the per-token scores, which, the direction being linear, is the score
/// of the window's mean hidden state), and `threshold` and `flagged` are on the score.
package struct DimensionSignal: Sendable, Equatable, Codable {
    package let name: String
    package let probability: Double
    package let flagged: Bool
    package let threshold: Double
    /// For a windowed detection: the first token of the window with the highest mean (the earliest
    /// among equal means); nil for a whole prompt.
    package let windowStart: Int?

    enum CodingKeys: String, CodingKey {
        case name, probability, flagged, threshold
        case windowStart = "window_start"
    }

    package init(name: String, probability: Double, flagged: Bool, threshold: Double, windowStart: Int? = nil) {
        self.name = name
        self.probability = probability
        self.flagged = flagged
        self.threshold = threshold
        self.windowStart = windowStart
    }
}

/// A compiled codebook, loaded and verified: the runtime's entry point (SPEC §8).
public struct Codebook: Sendable {
    package let configuration: CodebookConfiguration
    package let basis: ProjectionBasis
    package let singularValues: [Double]
    package let decomposition: Decomposition
    package let populationMean: SIMD3<Double>
    package let populationStd: SIMD3<Double>
    package let directions: [CodebookDirection]

    package init(configuration: CodebookConfiguration, basis: ProjectionBasis, singularValues: [Double],
                decomposition: Decomposition, populationMean: SIMD3<Double>, populationStd: SIMD3<Double>,
                directions: [CodebookDirection]) {
        self.configuration = configuration
        self.basis = basis
        self.singularValues = singularValues
        self.decomposition = decomposition
        self.populationMean = populationMean
        self.populationStd = populationStd
        self.directions = directions
    }

    /// The layer whose perturbations the codebook reads.
    package var layer: Int { configuration.perturbation.layer }

    /// `z` of a 64-level perturbation.
    package func project<C: Collection>(_ perturbation: C) -> SIMD3<Double> where C.Element: BinaryFloatingPoint {
        basis.project(perturbation)
    }

    /// `z → (sum, u, v)` (SPEC §6).
    package func decompose(_ z: SIMD3<Double>) -> CodebookCoordinates {
        decomposition.decompose(z)
    }

    /// Every direction's classifier on one perturbation.
    package func score<C: Collection>(_ perturbation: C) -> [DimensionSignal] where C.Element: BinaryFloatingPoint {
        let point = decompose(project(perturbation)).vector
        return codebookSignals(directions.map { $0.classifier.decision(point) })
    }

    /// The codebook classifiers' probabilities of one perturbation, written into `output`
    /// (`[directions]`): no allocation, for loops over many vectors.
    package func probabilities(_ perturbation: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Double>) {
        let point = decomposition.decompose(basis.project(perturbation)).vector
        for (i, direction) in directions.enumerated() {
            output[i] = LogisticModel.sigmoid(direction.classifier.decision(point))
        }
    }

    /// The hidden-space signals of one prompt: `hidden(layer, pooling)` gives what a scorer with that
    /// pooling reads at a layer (`PromptStates.features`).
    package func scoreHidden(_ hidden: (Int, HiddenPooling) -> [[Float]]) -> (meanDifference: [DimensionSignal], probe: [DimensionSignal]) {
        let decisions = hiddenDecisions(hidden)
        return hiddenSignals(meanDifference: decisions.meanDifference.map(\.value), probe: decisions.probe.map(\.value))
    }

    /// A prompt's signals as each scorer's `DimensionSignal`s (`codebook score --all-signals`); the
    /// multi-layer probes' only when the codebook has them.
    package func dimensionSignals(_ signals: PromptSignals)
        -> (codebook: [DimensionSignal], meanDifference: [DimensionSignal], probe: [DimensionSignal], multilayerProbe: [DimensionSignal]?) {
        let hidden = hiddenSignals(meanDifference: signals.meanDifference, probe: signals.probe)
        let multilayer = hasMultilayerProbes ? zip(directions, signals.multilayerProbe).map { direction, t in
            let p = LogisticModel.sigmoid(t), threshold = direction.multilayerProbe!.threshold
            return DimensionSignal(name: direction.name, probability: p, flagged: p >= threshold, threshold: threshold)
        } : nil
        return (codebookSignals(signals.codebook), hidden.meanDifference, hidden.probe, multilayer)
    }

    /// The codebook classifiers' decision values as signals: the probability, flagged at the stored
    /// (Youden) threshold on it.
    private func codebookSignals(_ decisions: [Double]) -> [DimensionSignal] {
        zip(directions, decisions).map { direction, t in
            let p = LogisticModel.sigmoid(t)
            return DimensionSignal(name: direction.name, probability: p, flagged: p >= direction.threshold, threshold: direction.threshold)
        }
    }

    /// The hidden-space decision values as signals. The mean difference's "probability" is the logistic
    /// of its score, flagged at `score ≥ threshold`; the probe's is its probability, flagged on it.
    private func hiddenSignals(meanDifference: [Double], probe: [Double]) -> (meanDifference: [DimensionSignal], probe: [DimensionSignal]) {
        let difference = zip(directions, meanDifference).map { direction, score in
            DimensionSignal(name: direction.name, probability: LogisticModel.sigmoid(score),
                            flagged: score >= direction.meanDifference.threshold, threshold: direction.meanDifference.threshold)
        }
        let probe = zip(directions, probe).map { direction, t in
            let p = LogisticModel.sigmoid(t)
            return DimensionSignal(name: direction.name, probability: p, flagged: p >= direction.probe.threshold, threshold: direction.probe.threshold)
        }
        return (difference, probe)
    }
}
