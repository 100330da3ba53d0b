import CodebookRuntime
import LinearAlgebra

/// A linear score in hidden space: `score(h) = vector·h + bias`.
package struct LinearDirection: Sendable, Equatable {
    package let vector: [Double]
    package let bias: Double

    package init(vector: [Double], bias: Double) {
        self.vector = vector
        self.bias = bias
    }

    package func score(_ hidden: some Collection<Double>) -> Double {
        precondition(hidden.count == vector.count, "LinearDirection: \(hidden.count) values for \(vector.count) dimensions")
        var s = bias
        for (d, h) in zip(vector, hidden) { s += d * h }
        return s
    }

    /// The score of every row of `samples` (`[N, d]`).
    package func scores(_ samples: Matrix<Double>) -> [Double] {
        (0..<samples.rows).map { score(samples.row($0)) }
    }
}

/// The mean difference in two forms.
///
/// - `fit`, SPEC §6's: `d = mean₊ − mean₋`, unit-normalized, bias `−d·(mean₊ + mean₋)/2` (the midpoint of
///   the class means scores 0). Compile scans it over every layer and pooling to choose where the
///   hidden-space scorers read, and its multiple-instance form picks the windows they are fitted on.
/// - `fitScaled`, the `mean_difference` scorer that compile stores: the same difference measured in units
///   of the within-class spread, `w = (mean₊ − mean₋) / σ²` per dimension, unit-normalized, the same
///   midpoint bias. It is Fisher's discriminant with a diagonal covariance. A causal detector's hidden
///   states have a few dimensions that spread ten times as widely as the median one and follow the
///   prompt's length (SmolLM2's "massive activations"); the raw difference lets them outvote the rest.
///   `σ²` is the pooled within-class variance (ddof 0) plus `1e-9 ×` the largest variance of any
///   dimension over both classes together, as scikit-learn's `GaussianNB(var_smoothing=1e-9)` smooths: a
///   dimension constant within each class gets a large but finite weight, not a division by zero.
package enum MeanDifference {
    /// The share of the largest dimension's variance added to every variance (`GaussianNB`'s default).
    static let varianceSmoothing = 1e-9

    /// Fits SPEC §6's direction on one layer's samples (`[n₊, d]` and `[n₋, d]`, at least one row each).
    package static func fit(positive: Matrix<Double>, negative: Matrix<Double>,
                           what: String = "mean difference") throws(CompilationError) -> LinearDirection {
        let (meanPositive, meanNegative) = try classMeans(positive, negative, what: what)
        return try direction(zip(meanPositive, meanNegative).map { $0 - $1 }, meanPositive, meanNegative, what: what)
    }

    /// Fits the scaled direction on one layer's samples (`[n₊, d]` and `[n₋, d]`, at least one row each).
    package static func fitScaled(positive: Matrix<Double>, negative: Matrix<Double>,
                                 what: String = "mean difference") throws(CompilationError) -> LinearDirection {
        let (meanPositive, meanNegative) = try classMeans(positive, negative, what: what)
        let count = Double(positive.rows + negative.rows)
        let difference = zip(meanPositive, meanNegative).map { $0 - $1 }
        let within = zip(squaredDeviations(positive, from: meanPositive), squaredDeviations(negative, from: meanNegative))
            .map { ($0 + $1) / count }
        // The variance over both classes together, by the law of total variance: within + between.
        let betweenShare = Double(positive.rows) * Double(negative.rows) / (count * count)
        let largest = difference.indices.map { within[$0] + betweenShare * difference[$0] * difference[$0] }.max() ?? 0
        let smoothing = varianceSmoothing * largest
        return try direction(difference.indices.map { difference[$0] / (within[$0] + smoothing) }, meanPositive, meanNegative, what: what)
    }

    private static func classMeans(_ positive: Matrix<Double>, _ negative: Matrix<Double>,
                                   what: String) throws(CompilationError) -> ([Double], [Double]) {
        guard positive.columns == negative.columns else {
            throw .shapeMismatch(what: what, expected: "\(positive.columns) columns in both classes", actual: "\(negative.columns)")
        }
        guard positive.rows > 0, negative.rows > 0 else {
            throw .missingClass(what: what, positives: positive.rows, negatives: negative.rows)
        }
        return (try columnMeans(positive, what: "\(what): positive class"), try columnMeans(negative, what: "\(what): negative class"))
    }

    /// `vector` unit-normalized, with the bias that scores the midpoint of the class means 0.
    private static func direction(_ vector: [Double], _ meanPositive: [Double], _ meanNegative: [Double],
                                  what: String) throws(CompilationError) -> LinearDirection {
        let norm = vector.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0, norm.isFinite else {
            throw .degenerate(what: what, reason: "the class means coincide, there is no direction")
        }
        let unit = vector.map { $0 / norm }
        var bias = 0.0
        for j in unit.indices { bias -= unit[j] * ((meanPositive[j] + meanNegative[j]) / 2) }
        return LinearDirection(vector: unit, bias: bias)
    }

    /// Per column, the sum over the rows of `(x − mean)²`.
    static func squaredDeviations(_ samples: Matrix<Double>, from mean: [Double]) -> [Double] {
        let columns = samples.columns
        var sums = [Double](repeating: 0, count: columns)
        for r in 0..<samples.rows {
            for c in 0..<columns {
                let deviation = samples.elements[r * columns + c] - mean[c]
                sums[c] += deviation * deviation
            }
        }
        return sums
    }

    static func columnMeans(_ samples: Matrix<Double>, what: String) throws(CompilationError) -> [Double] {
        let columns = samples.columns
        if let index = samples.elements.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(what: "\(what): sample \(index / max(columns, 1))", index: index % max(columns, 1))
        }
        var mean = [Double](repeating: 0, count: columns)
        for r in 0..<samples.rows {
            for c in 0..<columns { mean[c] += samples.elements[r * columns + c] }
        }
        return mean.map { $0 / Double(samples.rows) }
    }
}

/// Feature standardization `(x − mean) / std` with the train mean and population std (ddof 0).
/// A column that is constant on the train split has std 1 instead of 0 (SPEC §6), so it standardizes to
/// 0 rather than to 0/0. "Constant" means all values equal: the two-pass std of equal values can be a
/// rounding residue (1e-17) rather than exactly 0, and dividing by that would turn the column into noise.
package struct Standardization: Sendable, Equatable {
    package let mean: [Double]
    package let std: [Double]

    package init(mean: [Double], std: [Double]) {
        precondition(mean.count == std.count, "Standardization: \(mean.count) means, \(std.count) stds")
        self.mean = mean
        self.std = std
    }

    package static func fit(_ samples: Matrix<Double>, what: String = "standardization") throws(CompilationError) -> Standardization {
        guard samples.rows > 0 else { throw .tooFewSamples(what: what, count: 0, required: 1) }
        let columns = samples.columns
        let mean = try MeanDifference.columnMeans(samples, what: what)
        var squares = [Double](repeating: 0, count: columns)
        var constant = [Bool](repeating: true, count: columns)
        for r in 0..<samples.rows {
            for c in 0..<columns {
                let value = samples.elements[r * columns + c]
                let deviation = value - mean[c]
                squares[c] += deviation * deviation
                if value != samples.elements[c] { constant[c] = false }
            }
        }
        let std = (0..<columns).map { c in
            constant[c] ? 1 : (squares[c] / Double(samples.rows)).squareRoot()
        }
        return Standardization(mean: mean, std: std)
    }

    /// `(x − mean) / std` for every row of `samples` (`[N, d]`).
    package func apply(_ samples: Matrix<Double>) -> Matrix<Double> {
        precondition(samples.columns == mean.count, "Standardization: \(samples.columns) columns for \(mean.count)")
        var result = samples
        let columns = samples.columns
        for r in 0..<samples.rows {
            for c in 0..<columns {
                result.elements[r * columns + c] = (samples.elements[r * columns + c] - mean[c]) / std[c]
            }
        }
        return result
    }
}

/// The `probe` of SPEC §6: L2 logistic regression (C = 1) on standardized hidden states.
package struct Probe: Sendable, Equatable {
    package let standardization: Standardization
    /// Weights and bias in the standardized space.
    package let model: LogisticModel

    package init(standardization: Standardization, model: LogisticModel) {
        self.standardization = standardization
        self.model = model
    }

    /// Fits the standardization and the regression on `features` (`[N, d]`).
    package static func fit(features: Matrix<Double>, labels: [Bool], c: Double = 1, solver: LogisticRegression.Solver = .primal,
                           what: String = "probe") throws(CompilationError) -> Probe {
        try fitPath(features: features, labels: labels, cs: [c], solver: solver, what: what)[0]
    }

    /// `fit` at each C of `cs`, one standardization, the regressions as one path (`LogisticRegression.fitPath`).
    package static func fitPath(features: Matrix<Double>, labels: [Bool], cs: [Double], solver: LogisticRegression.Solver = .primal,
                               what: String = "probe") throws(CompilationError) -> [Probe] {
        let standardization = try Standardization.fit(features, what: what)
        let models = try LogisticRegression.fitPath(features: standardization.apply(features), labels: labels, cs: cs,
                                                    solver: solver, what: what)
        return models.map { Probe(standardization: standardization, model: $0) }
    }

    /// The logit of one hidden state.
    package func decision(_ hidden: some Collection<Double>) -> Double {
        model.decision(zip(hidden, zip(standardization.mean, standardization.std)).map { ($0 - $1.0) / $1.1 })
    }
}

/// Choosing a layer by a score per layer (e.g. mean train AUC over contrasts).
package enum LayerSelection {
    /// The index of the highest score; ties → the lower layer. Empty or NaN scores are an error.
    package static func best(_ scores: [Double], what: String = "layer scores") throws(CompilationError) -> Int {
        guard !scores.isEmpty else { throw .tooFewSamples(what: what, count: 0, required: 1) }
        if let index = scores.firstIndex(where: { $0.isNaN }) { throw .nonFiniteValue(what: what, index: index) }
        var best = 0
        for i in 1..<scores.count where scores[i] > scores[best] { best = i }
        return best
    }
}
