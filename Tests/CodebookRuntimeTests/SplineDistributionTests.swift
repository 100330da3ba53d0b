import CodebookRuntime
import TestSupport
import Testing

@Suite struct SplineDistributionTests {
    struct Case: Decodable {
        let name: String
        let knots: [Double]
        let values: [Double]
        let slopes: [Double]
        let epsilon: Double
        let points: [Double]
        let cdf: [Double]
        let probabilities: [Double]
        let icdf: [Double]
    }
    struct Fixture: Decodable { let cases: [Case] }

    /// CDF (PCHIP, clamped to [ε, 1 − ε], ε outside the knots) and ICDF (PCHIP through (y, x)) against
    /// SciPy, on knots fitted by NumPy (the fitting itself is tested in CompilationTests). Same arithmetic:
    /// 1e-15 relative only absorbs a possible reordering; the knots of "constant" and "integer_ties" are
    /// one ulp apart, where the CDF jumps over 1/32 within an ulp.
    @Test(arguments: ["normal500", "integer_ties", "constant", "small5", "skewed"])
    func matchesSciPy(name: String) throws {
        let fixture: Fixture = try numericsFixture("splines.json")
        let c = try #require(fixture.cases.first { $0.name == name })
        let distribution = try SplineDistribution(knots: c.knots, values: c.values, epsilon: c.epsilon)
        #expect(distribution.slopes == c.slopes)
        for (x, expected) in zip(c.points, c.cdf) {
            #expect(close(distribution.cdf(x), expected, 1e-15), "cdf(\(x)): \(distribution.cdf(x)) vs \(expected)")
        }
        for (p, expected) in zip(c.probabilities, c.icdf) {
            #expect(close(distribution.icdf(p), expected, 1e-15), "icdf(\(p)): \(distribution.icdf(p)) vs \(expected)")
        }
        let stored = try SplineDistribution(knots: c.knots, values: c.values, slopes: c.slopes, epsilon: c.epsilon)
        #expect(stored == distribution)
    }

    @Test func clampsToEpsilon() throws {
        let d = try SplineDistribution(knots: [0, 1, 2], values: [0, 0.5, 1], epsilon: 0.01)
        #expect(d.cdf(-.infinity) == 0.01)
        #expect(d.cdf(-1) == 0.01)
        #expect(d.cdf(0) == 0.01)  // F(first knot) = 0 → ε
        #expect(d.cdf(2) == 0.99)
        #expect(d.cdf(2.nextUp) == 0.99)
        #expect(d.cdf(.infinity) == 0.99)
        #expect(d.cdf(1) == 0.5)
        #expect(d.cdf(.nan).isNaN)
        #expect(d.cdf(-0.0) == d.cdf(0.0))
        #expect(d.icdf(0.5) == 1)
        #expect(d.icdf(0) == 0)
    }

    @Test func refusesBadParameters() {
        #expect(throws: CodebookRuntimeError.self) { try SplineDistribution(knots: [0, 1], values: [0, 1], epsilon: 0) }
        #expect(throws: CodebookRuntimeError.self) { try SplineDistribution(knots: [0, 1], values: [0, 1], epsilon: 0.5) }
        #expect(throws: CodebookRuntimeError.self) { try SplineDistribution(knots: [0, 1], values: [0, 1], epsilon: .nan) }
        // Values must increase strictly, or the inverse does not exist.
        #expect(throws: CodebookRuntimeError.self) { try SplineDistribution(knots: [0, 1, 2], values: [0, 0.5, 0.5], epsilon: 0.1) }
    }
}
