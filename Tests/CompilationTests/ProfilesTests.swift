import Compilation
import TestSupport
import Testing

@Suite struct ProfilesTests {
    struct Case: Decodable {
        let name: String
        let positive: [Double]
        let negative: [Double]
        let silhouette: Double
        let population_mean: [Double]
        let population_std: [Double]
        let mean_positive: [Double]?
        let mean_negative: [Double]?
        let std_positive: [Double]?
        let std_negative: [Double]?
        let pooled: [Double]?
        let cohen_d: [Double]?
    }
    struct Fixture: Decodable { let cases: [Case] }

    /// Class means, ddof-1 stds, pooled std and Cohen's d against NumPy (same formulas: 1e-14 covers the
    /// summation order), and the silhouette against `sklearn.metrics.silhouette_score`. sklearn computes
    /// distances as sqrt(|x|² − 2x·y + |y|²), which can differ from the direct sqrt(Σ(x − y)²) by ~1e-8
    /// for nearly coincident points; on these fixtures (duplicates included) the measured difference is
    /// ≤ 6e-17, so 1e-12.
    @Test(arguments: ["separated", "overlapping", "duplicates"])
    func matchesNumPyAndSklearn(name: String) throws {
        let fixture: Fixture = try numericsFixture("profiles.json")
        let c = try #require(fixture.cases.first { $0.name == name })
        let profile = try ContrastProfile.compute(positive: fixturePoints(c.positive), negative: fixturePoints(c.negative))
        for axis in 0..<3 {
            let p = profile.coordinates[axis]
            #expect(close(p.meanPositive, try #require(c.mean_positive)[axis], 1e-14))
            #expect(close(p.meanNegative, try #require(c.mean_negative)[axis], 1e-14))
            #expect(close(p.stdPositive, try #require(c.std_positive)[axis], 1e-14))
            #expect(close(p.stdNegative, try #require(c.std_negative)[axis], 1e-14))
            #expect(close(p.pooledStd, try #require(c.pooled)[axis], 1e-14))
            #expect(close(p.cohenD, try #require(c.cohen_d)[axis], 1e-13))
        }
        #expect(close(profile.silhouette, c.silhouette, 1e-12), "\(profile.silhouette) vs \(c.silhouette)")
    }

    /// A class with one member contributes s = 0 for that member (sklearn's rule); classes of sizes 2 and 1
    /// (3 samples) are the smallest sklearn accepts. Tolerance as above.
    @Test(arguments: ["singleton", "two_and_one", "separated", "overlapping", "duplicates"])
    func silhouetteMatchesSklearn(name: String) throws {
        let fixture: Fixture = try numericsFixture("profiles.json")
        let c = try #require(fixture.cases.first { $0.name == name })
        let points = fixturePoints(c.positive) + fixturePoints(c.negative)
        let labels = Array(repeating: true, count: c.positive.count / 3) + Array(repeating: false, count: c.negative.count / 3)
        let score = try Silhouette.score(points, labels: labels)
        #expect(close(score, c.silhouette, 1e-12), "\(score) vs \(c.silhouette)")
        let population = try PopulationStatistics.compute(points)
        for axis in 0..<3 {
            #expect(close(population.mean[axis], c.population_mean[axis], 1e-14))
            #expect(close(population.std[axis], c.population_std[axis], 1e-14))
        }
    }

    @Test func refusesDegenerateContrasts() {
        let a = SIMD3<Double>(0, 0, 0), b = SIMD3<Double>(1, 2, 3)
        #expect(throws: CompilationError.tooFewSamples(what: "c: positive class", count: 1, required: 2)) {
            try ContrastProfile.compute(positive: [a], negative: [a, b], what: "c")
        }
        #expect(throws: CompilationError.self) { try ContrastProfile.compute(positive: [a, b], negative: [], what: "c") }
        // Both classes constant in every coordinate: pooled std 0.
        #expect(throws: CompilationError.self) { try ContrastProfile.compute(positive: [a, a], negative: [b, b]) }
        #expect(throws: CompilationError.nonFiniteValue(what: "contrast: negative class", index: 1)) {
            try ContrastProfile.compute(positive: [a, b], negative: [a, SIMD3(0, .nan, 0)])
        }
        #expect(throws: CompilationError.missingClass(what: "silhouette", positives: 2, negatives: 0)) {
            try Silhouette.score([a, b], labels: [true, true])
        }
        #expect(throws: CompilationError.tooFewSamples(what: "silhouette", count: 2, required: 3)) {
            try Silhouette.score([a, b], labels: [true, false])
        }
    }

    /// Two far-apart tight clusters approach 1; labels that split both clusters score negative, worked
    /// out by hand for four points on a line.
    @Test func silhouetteExtremes() throws {
        let left = (0..<5).map { SIMD3(Double($0) * 0.01, 0, 0) }
        let right = (0..<5).map { SIMD3(100 + Double($0) * 0.01, 0, 0) }
        let labels = Array(repeating: true, count: 5) + Array(repeating: false, count: 5)
        #expect(try Silhouette.score(left + right, labels: labels) > 0.999)
        // P at 0 and 101, N at 1 and 100: s = −0.5 for both P, (50.5 − 99)/99 for both N.
        let line = [0.0, 1, 100, 101].map { SIMD3($0, 0, 0) }
        let expected = (2 * -0.5 + 2 * (50.5 - 99) / 99) / 4
        #expect(close(try Silhouette.score(line, labels: [true, false, false, true]), expected, 1e-15))
    }
}
