import CodebookRuntime

/// Descriptive statistics of samples, with NumPy's conventions (named where they matter).
package enum SampleStatistics {
    /// `np.quantile(sample, probabilities)` (default method "linear", type 7), or `method: .hazen`.
    /// The sample must be non-empty and free of NaN and infinities; probabilities in [0, 1].
    package static func quantiles(of sample: [Double], at probabilities: [Double],
                                 method: EmpiricalQuantile.Method = .linear,
                                 what: String = "sample") throws(CompilationError) -> [Double] {
        guard !sample.isEmpty else { throw .tooFewSamples(what: what, count: 0, required: 1) }
        try requireFinite(sample, what: what)
        if let index = probabilities.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw .degenerate(what: what, reason: "quantile level \(probabilities[index]) outside [0, 1]")
        }
        let sorted = sample.sorted()
        return probabilities.map { EmpiricalQuantile.quantile(sorted: sorted, probability: $0, method: method) }
    }

    /// The arithmetic mean (NaN for an empty collection).
    package static func mean(_ values: some Collection<Double>) -> Double {
        var sum = 0.0
        for value in values { sum += value }
        return sum / Double(values.count)
    }

    /// `np.std(values, ddof=ddof)`: `sqrt(Σ(x − mean)² / (n − ddof))`, two-pass.
    package static func standardDeviation(_ values: some Collection<Double>, ddof: Int) -> Double {
        let m = mean(values)
        var squares = 0.0
        for value in values {
            let deviation = value - m
            squares += deviation * deviation
        }
        return (squares / Double(values.count - ddof)).squareRoot()
    }

    /// Throws `nonFiniteValue` naming the first NaN or infinity.
    static func requireFinite(_ values: [Double], what: String) throws(CompilationError) {
        if let index = values.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteValue(what: what, index: index) }
    }
}

extension SplineDistribution {
    /// Number of knots of a fitted distribution: the quantiles at `j/32`, `j = 0…32`.
    package static let fittedKnotCount = 33

    /// The knots of SPEC §6: `x_j = np.quantile(sample, j/32)`; where `x_j ≤ x_{j−1}` (ties),
    /// `x_j = nextUp(x_{j−1})`, so the knots increase strictly even for a constant sample.
    package static func fittedKnots(for sample: [Double], what: String = "sample") throws(CompilationError) -> [Double] {
        let levels = fittedLevels
        var knots = try SampleStatistics.quantiles(of: sample, at: levels, what: what)
        for j in 1..<knots.count where knots[j] <= knots[j - 1] {
            knots[j] = knots[j - 1].nextUp
        }
        return knots
    }

    /// `y_j = j/32`.
    package static var fittedLevels: [Double] {
        (0..<fittedKnotCount).map { Double($0) / Double(fittedKnotCount - 1) }
    }

    /// The distribution of SPEC §6 fitted to `sample`: knots from `fittedKnots`, values `j/32`, PCHIP
    /// slopes, `ε = 1/(2N)`. Throws for fewer than 2 values, a NaN or an infinity, and when ties sit where
    /// one-ulp steps are subnormal (e.g. at 0), whose secants overflow (SciPy's `PchipInterpolator`
    /// refuses those knots too).
    package static func fitted(to sample: [Double], what: String = "sample") throws(CompilationError) -> SplineDistribution {
        // ε = 1/(2N) must stay below 1/2 for [ε, 1 − ε] to be an interval.
        guard sample.count >= 2 else { throw .tooFewSamples(what: what, count: sample.count, required: 2) }
        let knots = try fittedKnots(for: sample, what: what)
        do {
            return try SplineDistribution(knots: knots, values: fittedLevels, epsilon: 1 / (2 * Double(sample.count)))
        } catch {
            throw .spline(what: what, reason: error.description)
        }
    }
}
