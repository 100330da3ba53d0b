import CodebookRuntime
import TestSupport
import Testing

@Suite struct DecompositionTests {
    struct Spline: Decodable { let knots: [Double]; let slopes: [Double]; let epsilon: Double }
    struct Fixture: Decodable {
        let rows: Int
        let z: [Double]
        let marginals: [Spline]
        let sum: Spline
        let s: [Double]
        let weights: [Double]
        let coordinates: [Double]
    }

    static let levels = (0..<33).map { Double($0) / 32 }

    /// The 200 population points of `basis.json`, decomposed with the splines fitted there, against the
    /// NumPy/SciPy reference. Every step is the same arithmetic (PCHIP, sum, division), so 1e-14 absorbs
    /// only a few roundings; `sum` goes through two spline evaluations.
    @Test func matchesTheReference() throws {
        let fixture: Fixture = try numericsFixture("basis.json")
        let marginals = try fixture.marginals.map {
            try SplineDistribution(knots: $0.knots, values: Self.levels, slopes: $0.slopes, epsilon: $0.epsilon)
        }
        let sum = try SplineDistribution(knots: fixture.sum.knots, values: Self.levels, slopes: fixture.sum.slopes,
                                         epsilon: fixture.sum.epsilon)
        let decomposition = try Decomposition(marginals: marginals, sum: sum)
        for r in 0..<fixture.rows {
            let z = SIMD3(fixture.z[3 * r], fixture.z[3 * r + 1], fixture.z[3 * r + 2])
            #expect(close(Decomposition.marginalSum(z, marginals: marginals), fixture.s[r], 1e-14), "row \(r)")
            let point = decomposition.decompose(z)
            #expect(close(point.sum, fixture.coordinates[3 * r], 1e-14), "row \(r) sum")
            #expect(close(point.u, fixture.coordinates[3 * r + 1], 1e-14), "row \(r) u")
            #expect(close(point.v, fixture.coordinates[3 * r + 2], 1e-14), "row \(r) v")
            // Back to the simplex weights: the inverse map, rounding only.
            let w = Decomposition.simplexWeights(u: point.u, v: point.v)
            for i in 0..<3 { #expect(close(w[i], fixture.weights[3 * r + i], 1e-14), "row \(r) w\(i)") }
        }
    }

    @Test func simplexCornersAndCentre() {
        let root3 = 3.0.squareRoot()
        #expect(Decomposition.simplexCoordinates(weights: SIMD3(1, 0, 0)) == (0, 0))
        #expect(Decomposition.simplexCoordinates(weights: SIMD3(0, 1, 0)) == (1, 0))
        let top = Decomposition.simplexCoordinates(weights: SIMD3(0, 0, 1))
        #expect(top.u == 0.5 && top.v == root3 / 2)
        let centre = Decomposition.simplexCoordinates(weights: SIMD3(1, 1, 1) / 3)
        #expect(close(centre.u, 0.5, 1e-16) && close(centre.v, root3 / 6, 1e-16))
        #expect(Decomposition.simplexWeights(u: 0, v: 0) == SIMD3(1, 0, 0))
        #expect(Decomposition.simplexWeights(u: 1, v: 0) == SIMD3(0, 1, 0))
    }

    /// (u, v) → w → (u, v) on seeded random simplex points: a round trip up to rounding (1e-15).
    @Test func inverseMapRoundTrips() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<500 {
            let raw = SIMD3(Double.random(in: 0.001...1, using: &generator), Double.random(in: 0.001...1, using: &generator),
                            Double.random(in: 0.001...1, using: &generator))
            let w = raw / (raw.x + raw.y + raw.z)
            let (u, v) = Decomposition.simplexCoordinates(weights: w)
            let back = Decomposition.simplexWeights(u: u, v: v)
            for i in 0..<3 { #expect(close(back[i], w[i], 1e-15)) }
        }
    }

    @Test func needsThreeMarginals() throws {
        let d = try SplineDistribution(knots: [0, 1], values: [0, 1], epsilon: 0.1)
        #expect(throws: CodebookRuntimeError.dimensionMismatch(what: "decomposition marginals", expected: 3, actual: 2)) {
            try Decomposition(marginals: [d, d], sum: d)
        }
    }

    /// Far outside every knot the marginals clamp, so the point is still on the simplex, never NaN.
    @Test func extremePointsStayFinite() throws {
        let d = try SplineDistribution(knots: [-1, 0, 1], values: [0, 0.5, 1], epsilon: 0.01)
        let decomposition = try Decomposition(marginals: [d, d, d], sum: try SplineDistribution(knots: [0, 1.5, 3], values: [0, 0.5, 1], epsilon: 0.01))
        for z in [SIMD3<Double>(-1e300, 1e300, 0), SIMD3(.infinity, -.infinity, 5), SIMD3(-0.0, 0, 0)] {
            let point = decomposition.decompose(z)
            #expect(point.sum.isFinite && point.u.isFinite && point.v.isFinite, "z = \(z)")
        }
    }
}
