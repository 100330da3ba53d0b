import Compilation
import LinearAlgebra
import TestSupport
import Testing

@Suite struct DirectionsTests {
    struct Layer: Decodable {
        let positive: [Double]
        let negative: [Double]
        let direction: [Double]
        let bias: Double
        let auc: Double
        let probe_mean: [Double]
        let probe_std: [Double]
        let probe_coef: [Double]
        let probe_intercept: Double
    }
    struct Fixture: Decodable { let dimension: Int; let layers: [Layer]; let best_layer: Int }

    private func matrices(_ layer: Layer, _ d: Int) -> (positive: Matrix<Double>, negative: Matrix<Double>) {
        (fixtureMatrix(layer.positive, rows: layer.positive.count / d, columns: d),
         fixtureMatrix(layer.negative, rows: layer.negative.count / d, columns: d))
    }

    /// The mean-difference direction, its bias and train AUC against NumPy/sklearn (same formulas; 1e-13
    /// covers summation order), and the layer choice: layers 1 and 2 hold the same data, so their AUCs
    /// tie and the lower layer wins.
    @Test func meanDifferenceMatchesNumPy() throws {
        let fixture: Fixture = try numericsFixture("directions.json")
        let d = fixture.dimension
        for (index, layer) in fixture.layers.enumerated() {
            let (positive, negative) = matrices(layer, d)
            let direction = try MeanDifference.fit(positive: positive, negative: negative)
            for j in 0..<d { #expect(close(direction.vector[j], layer.direction[j], 1e-13), "layer \(index), d\(j)") }
            #expect(close(direction.bias, layer.bias, 1e-13), "layer \(index) bias")
            let norm = direction.vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(close(norm, 1, 1e-15))
        }
        // Each layer's train AUC, and the choice among them (LayerSelection, as compile's choices use it).
        let trainAUCs = try fixture.layers.map { layer in
            let (positive, negative) = matrices(layer, d)
            let direction = try MeanDifference.fit(positive: positive, negative: negative)
            return try ROC.auc(scores: direction.scores(positive) + direction.scores(negative),
                               labels: Array(repeating: true, count: positive.rows) + Array(repeating: false, count: negative.rows))
        }
        let best = try LayerSelection.best(trainAUCs)
        #expect(best == fixture.best_layer)
        #expect(best == 1)
        #expect(trainAUCs[1] == trainAUCs[2])
        for (index, layer) in fixture.layers.enumerated() {
            #expect(close(trainAUCs[index], layer.auc, 1e-14), "layer \(index) AUC")
        }
    }

    /// The probe: standardization with ddof 0 (a constant column, layer 0's column 3, gets std 1) and the
    /// L2 logistic regression on it, against NumPy + sklearn's newton-cholesky at tol 1e-12 (1e-8 as in
    /// LogisticRegressionTests).
    @Test func probeMatchesSklearn() throws {
        let fixture: Fixture = try numericsFixture("directions.json")
        let d = fixture.dimension
        for (index, layer) in fixture.layers.enumerated() {
            let (positive, negative) = matrices(layer, d)
            let features = Matrix(rows: positive.rows + negative.rows, columns: d, elements: positive.elements + negative.elements)
            let labels = Array(repeating: true, count: positive.rows) + Array(repeating: false, count: negative.rows)
            let probe = try Probe.fit(features: features, labels: labels)
            for j in 0..<d {
                #expect(close(probe.standardization.mean[j], layer.probe_mean[j], 1e-14), "layer \(index) mean \(j)")
                #expect(close(probe.standardization.std[j], layer.probe_std[j], 1e-14), "layer \(index) std \(j)")
                #expect(abs(probe.model.weights[j] - layer.probe_coef[j]) <= 1e-8, "layer \(index) w\(j)")
            }
            #expect(abs(probe.model.bias - layer.probe_intercept) <= 1e-8, "layer \(index) b")
        }
        #expect(fixture.layers[0].probe_std[3] == 1)
    }

    /// A constant column whose two-pass std is a rounding residue (0.1 is not a binary fraction), not 0,
    /// is still "zero std": std 1, standardized to (nearly) 0 instead of amplified noise.
    @Test func constantColumnsGetUnitStd() throws {
        let samples = Matrix<Double>([[0.1, 1], [0.1, 2], [0.1, 4]])
        let standardization = try Standardization.fit(samples)
        #expect(standardization.std[0] == 1)
        #expect(abs(standardization.apply(samples)[1, 0]) < 1e-15)
        #expect(standardization.std[1] == (14.0 / 9).squareRoot())
    }

    /// Why the stored difference is scaled: dimension 0 differs between the classes by 10 but spreads by
    /// ±100 within them (a "massive activation"); dimension 1 differs by 1 and spreads by ±0.1. SPEC's
    /// raw difference points along dimension 0 (10 ≫ 1) and misorders the classes; scaled by the
    /// within-class variances the weights are 10/10⁴ and 1/10⁻², so dimension 1, the one that separates,
    /// carries the direction.
    @Test func scaledMeanDifferenceDividesByTheWithinClassSpread() throws {
        let positive = Matrix<Double>([[110, 1.1], [-90, 0.9]])
        let negative = Matrix<Double>([[100, 0.1], [-100, -0.1]])
        let raw = try MeanDifference.fit(positive: positive, negative: negative)
        #expect(raw.vector[0] > 0.99)
        #expect(!raw.scores(positive).allSatisfy { $0 > 0 }, "the raw difference misorders a positive")
        let direction = try MeanDifference.fitScaled(positive: positive, negative: negative)
        // Within-class variances (ddof 0, pooled over the four rows): 10⁴ and 10⁻²; the smoothing adds
        // 1e-9 × the largest overall variance (10,025), about 1e-5, which moves the weights by under 1e-3.
        let expected = [10.0 / 10_000, 1.0 / 0.01]
        let norm = (expected[0] * expected[0] + expected[1] * expected[1]).squareRoot()
        #expect(abs(direction.vector[0] - expected[0] / norm) < 1e-6)
        #expect(abs(direction.vector[1] - expected[1] / norm) < 1e-3)
        #expect(direction.scores(positive).allSatisfy { $0 > 0 } && direction.scores(negative).allSatisfy { $0 < 0 })
        // The bias puts the midpoint of the class means, (5, 0.5), at 0.
        #expect(abs(direction.score([5, 0.5])) < 1e-12)
        // A dimension constant within each class separates perfectly: it gets a large weight, still finite.
        let stepped = try MeanDifference.fitScaled(positive: Matrix([[1.0, 5], [1, 7]]), negative: Matrix([[0.0, 6], [0, 8]]))
        #expect(stepped.vector.allSatisfy { $0.isFinite })
        #expect(stepped.vector[0] > 0.999_999)
        #expect(throws: CompilationError.degenerate(what: "mean difference", reason: "the class means coincide, there is no direction")) {
            try MeanDifference.fitScaled(positive: positive, negative: positive)
        }
    }

    @Test func refusesDegenerateDirections() {
        let same = Matrix<Double>([[1, 2], [3, 4]])
        #expect(throws: CompilationError.degenerate(what: "mean difference", reason: "the class means coincide, there is no direction")) {
            try MeanDifference.fit(positive: same, negative: same)
        }
        #expect(throws: CompilationError.self) { try MeanDifference.fit(positive: Matrix(zeros: 0, 2), negative: same) }
        #expect(throws: CompilationError.self) { try MeanDifference.fit(positive: Matrix([[1.0, 2, 3]]), negative: same) }
        #expect(throws: CompilationError.self) { try MeanDifference.fit(positive: Matrix([[1.0, .nan]]), negative: same) }
    }

    @Test func layerSelection() throws {
        #expect(try LayerSelection.best([0.5, 0.9, 0.9, 0.7]) == 1)
        #expect(try LayerSelection.best([0.95]) == 0)
        #expect(try LayerSelection.best([0.6, 0.6]) == 0)
        #expect(try LayerSelection.best([-.infinity, 0.1]) == 1)
        #expect(throws: CompilationError.nonFiniteValue(what: "layer scores", index: 1)) { try LayerSelection.best([0.5, .nan]) }
        #expect(throws: CompilationError.self) { try LayerSelection.best([]) }
    }
}
