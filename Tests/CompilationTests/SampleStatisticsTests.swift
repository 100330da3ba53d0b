import CodebookRuntime
import Compilation
import Testing

@Suite struct SampleStatisticsTests {
    struct QuantileCase: Decodable {
        let name: String
        let sample: [Double]
        let q: [Double]
        let linear: [Double]
        let hazen: [Double]
    }
    struct QuantileFixture: Decodable { let cases: [QuantileCase] }

    /// `np.quantile` (default "linear" and "hazen") on unsorted samples with ties, ±0, constants:
    /// the same doubles, since the arithmetic is NumPy's.
    @Test func quantilesMatchNumPy() throws {
        let fixture: QuantileFixture = try numericsFixture("quantiles.json")
        for c in fixture.cases {
            #expect(try SampleStatistics.quantiles(of: c.sample, at: c.q) == c.linear, "\(c.name)")
            #expect(try SampleStatistics.quantiles(of: c.sample, at: c.q, method: .hazen) == c.hazen, "\(c.name)")
        }
    }

    @Test func quantilesRefuseBadInput() {
        #expect(throws: CompilationError.tooFewSamples(what: "sample", count: 0, required: 1)) {
            try SampleStatistics.quantiles(of: [], at: [0.5])
        }
        #expect(throws: CompilationError.nonFiniteValue(what: "sample", index: 1)) {
            try SampleStatistics.quantiles(of: [1, .nan, 2], at: [0.5])
        }
        #expect(throws: CompilationError.nonFiniteValue(what: "sample", index: 0)) {
            try SampleStatistics.quantiles(of: [.infinity, 2], at: [0.5])
        }
        #expect(throws: CompilationError.self) { try SampleStatistics.quantiles(of: [1, 2], at: [1.5]) }
        #expect(throws: CompilationError.self) { try SampleStatistics.quantiles(of: [1, 2], at: [.nan]) }
    }

    struct SplineCase: Decodable {
        let name: String
        let sample: [Double]
        let knots: [Double]
        let values: [Double]
        let slopes: [Double]
        let epsilon: Double
    }
    struct SplineFixture: Decodable { let cases: [SplineCase] }

    /// Knots (np.quantile at j/32 with the nextUp tie rule), values, PCHIP slopes and ε = 1/(2N), fitted
    /// from the raw samples, equal to the NumPy/SciPy reference to the last bit, including a constant sample
    /// (33 knots one ulp apart) and integer ties.
    @Test(arguments: ["normal500", "integer_ties", "constant", "small5", "skewed"])
    func splineFitMatchesTheReference(name: String) throws {
        let fixture: SplineFixture = try numericsFixture("splines.json")
        let c = try #require(fixture.cases.first { $0.name == name })
        let fitted = try SplineDistribution.fitted(to: c.sample)
        #expect(fitted.knots == c.knots)
        #expect(fitted.values == c.values)
        #expect(fitted.slopes == c.slopes)
        #expect(fitted.epsilon == c.epsilon)
        for j in 1..<fitted.knots.count { #expect(fitted.knots[j] > fitted.knots[j - 1]) }
    }

    @Test func constantSampleKnotsAreConsecutiveDoubles() throws {
        let fitted = try SplineDistribution.fitted(to: [Double](repeating: -2.75, count: 10))
        var expected = [-2.75]
        while expected.count < 33 { expected.append(expected.last!.nextUp) }
        #expect(fitted.knots == expected)
        #expect(fitted.cdf(-2.75.nextDown) == 0.05)
        #expect(fitted.cdf(-2.0) == 0.95)
    }

    @Test func splineFitRefusesDegenerateSamples() {
        #expect(throws: CompilationError.tooFewSamples(what: "z[0]", count: 1, required: 2)) {
            try SplineDistribution.fitted(to: [1.0], what: "z[0]")
        }
        #expect(throws: CompilationError.nonFiniteValue(what: "sample", index: 2)) {
            try SplineDistribution.fitted(to: [1, 2, .nan])
        }
        // Ties at 0 are spread by subnormal steps: the secants overflow (SciPy refuses them as well).
        #expect(throws: CompilationError.self) { try SplineDistribution.fitted(to: [0, 0, 0, 0, 1]) }
    }

    @Test func meanAndStandardDeviation() {
        let values = [2.0, 4, 4, 4, 5, 5, 7, 9]
        #expect(SampleStatistics.mean(values) == 5)
        #expect(SampleStatistics.standardDeviation(values, ddof: 0) == 2)
        #expect(SampleStatistics.standardDeviation(values, ddof: 1) == (32.0 / 7).squareRoot())
    }
}
