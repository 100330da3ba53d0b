import Activations
import CodebookRuntime
import LinearAlgebra

/// The 3-D codebook fitted at one layer (SPEC §6): basis, splines, decomposition, and each
/// contrast's logistic classifier on `(sum, u, v)` with its train probabilities.
struct LayerFit {
    struct ContrastFit {
        let contrast: Contrast
        let positive: [SIMD3<Double>]  // train points (sum, u, v)
        let negative: [SIMD3<Double>]
        let classifier: LogisticModel  // F32-rounded
        let probabilities: [Double]    // positives first, then negatives
        let labels: [Bool]
        let auc: Double
    }

    let layer: Int
    let basis: ProjectionBasis
    let singularValues: [Double]
    let decomposition: Decomposition
    /// Every train prompt's `(sum, u, v)`.
    let population: [SIMD3<Double>]
    let contrasts: [ContrastFit]

    var meanTrainAUC: Double { contrasts.map(\.auc).reduce(0, +) / Double(contrasts.count) }

    init(_ data: TrainingSet, layer: Int) throws {
        self.layer = layer
        let fitted = try PerturbationBasis.fit(population: data.population(layer: layer))
        let basis = ProjectionBasis(mean: fitted.mean.map(storedAsFloat), components: fitted.components.elements.map(storedAsFloat))
        self.basis = basis
        singularValues = fitted.singularValues.map(storedAsFloat)

        // z of every train prompt with the stored basis; one spline per coordinate, one for the sum.
        var zByCondition: [String: [SIMD3<Double>]] = [:]
        var z: [SIMD3<Double>] = []
        for name in data.header.conditions {
            let points = data.perturbations(name, layer: layer).map { basis.project($0) }
            zByCondition[name] = points
            z += points
        }
        let marginals = try (0..<3).map { axis in
            try SplineDistribution.fitted(to: z.map { $0[axis] }, what: "z[\(axis)] at layer \(layer)")
        }
        let sums = z.map { Decomposition.marginalSum($0, marginals: marginals) }
        let sum = try SplineDistribution.fitted(to: sums, what: "the sum of the marginal CDFs at layer \(layer)")
        let decomposition = try Decomposition(marginals: marginals, sum: sum)
        self.decomposition = decomposition
        population = z.map { decomposition.decompose($0).vector }

        contrasts = try data.header.contrasts.map { contrast in
            let positive = zByCondition[contrast.positive]!.map { decomposition.decompose($0).vector }
            let negative = zByCondition[contrast.negative]!.map { decomposition.decompose($0).vector }
            let points = positive + negative
            let labels = [Bool](repeating: true, count: positive.count) + [Bool](repeating: false, count: negative.count)
            let features = Matrix(rows: points.count, columns: 3, elements: points.flatMap { [$0.x, $0.y, $0.z] })
            let fitted = try LogisticRegression.fit(features: features, labels: labels, what: "\(contrast.name) classifier at layer \(layer)")
            let classifier = LogisticModel(weights: fitted.weights.map(storedAsFloat), bias: storedAsFloat(fitted.bias))
            let probabilities = points.map { LogisticModel.sigmoid(classifier.decision($0)) }
            let auc = try ROC.auc(scores: probabilities, labels: labels, what: "\(contrast.name) at layer \(layer)")
            return ContrastFit(contrast: contrast, positive: positive, negative: negative, classifier: classifier,
                               probabilities: probabilities, labels: labels, auc: auc)
        }
    }
}
