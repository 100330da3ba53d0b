import CodebookRuntime
import Testing

@Suite struct StandardNormalTests {
    struct Fixture: Decodable {
        struct Table: Decodable { let p: [Double]; let ppf: [Double]; let exact: [Double] }
        let levels: Table
        let extra: Table
        let dense: Table
    }

    /// Within `ulps` of the correctly rounded Φ⁻¹(p) (mpmath, 400 digits), and within `ulps + 2` of SciPy's
    /// `ndtri`, which is itself up to 2 ulps off (measured: 1.9 ulp at p = 0.075). AS 241 plus one Halley
    /// step measures ≤ 1 ulp at the 64 levels and ≤ 2 ulps over random probabilities (the rounding of
    /// erf/erfc inside the step).
    private func check(_ table: Fixture.Table, ulps: Double, _ computed: (Int) -> Double) {
        for i in table.p.indices {
            let value = computed(i)
            #expect(abs(value - table.exact[i]) <= ulps * table.exact[i].ulp,
                    "p = \(table.p[i]): \(value) vs exact \(table.exact[i])")
            #expect(abs(value - table.ppf[i]) <= (ulps + 2) * table.ppf[i].ulp,
                    "p = \(table.p[i]): \(value) vs SciPy \(table.ppf[i])")
        }
    }

    @Test func matchesAtThePerturbationLevels() throws {
        let fixture: Fixture = try numericsFixture("normal_quantiles.json")
        #expect(fixture.levels.p == ICDFPerturbation.probabilities)
        check(fixture.levels, ulps: 1) { ICDFPerturbation.normalQuantiles[$0] }
    }

    /// All three branches of AS 241 (centre, tail r ≤ 5, far tail down to 1e-300).
    @Test func matchesInEveryBranch() throws {
        let fixture: Fixture = try numericsFixture("normal_quantiles.json")
        check(fixture.extra, ulps: 2) { StandardNormal.quantile(fixture.extra.p[$0]) }
    }

    /// 150 uniform and 50 log-uniform (1e-300…0.1) random probabilities.
    @Test func matchesOnRandomProbabilities() throws {
        let fixture: Fixture = try numericsFixture("normal_quantiles.json")
        check(fixture.dense, ulps: 2) { StandardNormal.quantile(fixture.dense.p[$0]) }
    }

    @Test func specialValues() {
        #expect(StandardNormal.quantile(0.5) == 0)
        #expect(StandardNormal.quantile(0) == -.infinity)
        #expect(StandardNormal.quantile(1) == .infinity)
        #expect(StandardNormal.quantile(-0.0) == -.infinity)
        #expect(StandardNormal.quantile(.nan).isNaN)
        #expect(StandardNormal.quantile(1.5).isNaN)
        #expect(StandardNormal.quantile(-0.1).isNaN)
        #expect(StandardNormal.quantile(Double.leastNonzeroMagnitude).isFinite)
    }

    /// Φ⁻¹(1 − p) = −Φ⁻¹(p) exactly where 1 − p is exact (the levels are dyadic): the perturbation of a
    /// symmetric distribution is then exactly antisymmetric.
    @Test func isAntisymmetric() {
        for (k, p) in ICDFPerturbation.probabilities.enumerated() {
            #expect(StandardNormal.quantile(1 - p) == -StandardNormal.quantile(p), "level \(k)")
        }
    }
}
