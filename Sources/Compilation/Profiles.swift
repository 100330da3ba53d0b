/// How one coordinate of `(sum, u, v)` separates a contrast's two classes (SPEC §6, "Profiles").
package struct CoordinateProfile: Sendable, Equatable {
    package let meanPositive: Double
    package let meanNegative: Double
    /// Class standard deviations with ddof 1 (the sample std, `np.std(ddof=1)`).
    package let stdPositive: Double
    package let stdNegative: Double
    /// `sqrt(((n₊−1)s₊² + (n₋−1)s₋²) / (n₊+n₋−2))`.
    package let pooledStd: Double
    /// `(mean₊ − mean₋) / pooled`.
    package let cohenD: Double
}

/// A contrast's profile: per coordinate of `(sum, u, v)` and the silhouette of its two classes.
package struct ContrastProfile: Sendable, Equatable {
    /// `[sum, u, v]`.
    package let coordinates: [CoordinateProfile]
    /// `sklearn.metrics.silhouette_score` of the two classes in `(sum, u, v)`, Euclidean.
    package let silhouette: Double

    /// The profile of `positive` and `negative` points.
    ///
    /// Each class needs at least 2 points (the ddof-1 std is undefined for one point). A coordinate in
    /// which the pooled std is 0 (both classes constant there) has no Cohen's d and is an error rather
    /// than an infinity or a NaN in the artifacts.
    package static func compute(positive: [SIMD3<Double>], negative: [SIMD3<Double>],
                               what: String = "contrast") throws(CompilationError) -> ContrastProfile {
        guard positive.count >= 2 else { throw .tooFewSamples(what: "\(what): positive class", count: positive.count, required: 2) }
        guard negative.count >= 2 else { throw .tooFewSamples(what: "\(what): negative class", count: negative.count, required: 2) }
        try requireFinite(positive, what: "\(what): positive class")
        try requireFinite(negative, what: "\(what): negative class")
        let names = ["sum", "u", "v"]
        var coordinates = [CoordinateProfile]()
        for axis in 0..<3 {
            let a = positive.map { $0[axis] }, b = negative.map { $0[axis] }
            let n1 = Double(a.count), n2 = Double(b.count)
            let s1 = SampleStatistics.standardDeviation(a, ddof: 1)
            let s2 = SampleStatistics.standardDeviation(b, ddof: 1)
            let pooled = (((n1 - 1) * s1 * s1 + (n2 - 1) * s2 * s2) / (n1 + n2 - 2)).squareRoot()
            guard pooled > 0 else {
                throw .degenerate(what: "\(what): \(names[axis])", reason: "both classes are constant (pooled std 0), Cohen's d is undefined")
            }
            let m1 = SampleStatistics.mean(a), m2 = SampleStatistics.mean(b)
            coordinates.append(CoordinateProfile(meanPositive: m1, meanNegative: m2, stdPositive: s1, stdNegative: s2,
                                                 pooledStd: pooled, cohenD: (m1 - m2) / pooled))
        }
        let silhouette = try Silhouette.score(positive + negative,
                                              labels: Array(repeating: true, count: positive.count)
                                                  + Array(repeating: false, count: negative.count),
                                              what: what)
        return ContrastProfile(coordinates: coordinates, silhouette: silhouette)
    }
}

/// The silhouette score of a two-class partition (`sklearn.metrics.silhouette_score`, Euclidean).
package enum Silhouette {
    /// Mean over samples of `s = (b − a) / max(a, b)`, `a` the mean distance to the other members of the
    /// sample's own class, `b` the mean distance to the other class; `s = 0` for a sample alone in its
    /// class and where `a = b = 0` (sklearn's `nan_to_num`). Needs both classes and at least 3 samples
    /// (sklearn: 2 ≤ number of labels ≤ n − 1).
    ///
    /// Distances are computed directly, `sqrt(Σ(x − y)²)`; sklearn expands `|x|² − 2x·y + |y|²`, which
    /// differs by rounding (about 1e-8 relative for close points).
    package static func score(_ points: [SIMD3<Double>], labels: [Bool], what: String = "silhouette") throws(CompilationError) -> Double {
        let n = points.count
        guard labels.count == n else {
            throw .shapeMismatch(what: what, expected: "\(n) labels", actual: "\(labels.count)")
        }
        let positives = labels.filter { $0 }.count
        let negatives = n - positives
        guard positives > 0, negatives > 0 else { throw .missingClass(what: what, positives: positives, negatives: negatives) }
        guard n >= 3 else { throw .tooFewSamples(what: what, count: n, required: 3) }
        try requireFinite(points, what: what)

        // distanceSums[i][c]: the sum of distances from sample i to the samples of class c (1 = positive).
        var toPositive = [Double](repeating: 0, count: n)
        var toNegative = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for j in (i + 1)..<n {
                let delta = points[i] - points[j]
                let distance = (delta * delta).sum().squareRoot()
                if labels[j] { toPositive[i] += distance } else { toNegative[i] += distance }
                if labels[i] { toPositive[j] += distance } else { toNegative[j] += distance }
            }
        }
        var total = 0.0
        for i in 0..<n {
            let own = labels[i] ? positives : negatives
            guard own > 1 else { continue }  // a singleton class: s = 0
            let a = (labels[i] ? toPositive[i] : toNegative[i]) / Double(own - 1)
            let b = (labels[i] ? toNegative[i] : toPositive[i]) / Double(labels[i] ? negatives : positives)
            let largest = max(a, b)
            if largest > 0 { total += (b - a) / largest }
        }
        return total / Double(n)
    }
}

/// Mean and population standard deviation (ddof 0, NumPy's default) of each coordinate of `(sum, u, v)`
/// over the whole train population; ddof 0 because it describes the population itself, not an estimate
/// from a sample of it.
package struct PopulationStatistics: Sendable, Equatable {
    package let mean: SIMD3<Double>
    package let std: SIMD3<Double>

    package static func compute(_ points: [SIMD3<Double>], what: String = "population") throws(CompilationError) -> PopulationStatistics {
        guard !points.isEmpty else { throw .tooFewSamples(what: what, count: 0, required: 1) }
        try requireFinite(points, what: what)
        var mean = SIMD3<Double>(), std = SIMD3<Double>()
        for axis in 0..<3 {
            let values = points.map { $0[axis] }
            mean[axis] = SampleStatistics.mean(values)
            std[axis] = SampleStatistics.standardDeviation(values, ddof: 0)
        }
        return PopulationStatistics(mean: mean, std: std)
    }
}

private func requireFinite(_ points: [SIMD3<Double>], what: String) throws(CompilationError) {
    if let index = points.firstIndex(where: { !($0.x.isFinite && $0.y.isFinite && $0.z.isFinite) }) {
        throw .nonFiniteValue(what: what, index: index)
    }
}
