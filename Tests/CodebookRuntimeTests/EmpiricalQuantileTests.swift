import CodebookRuntime
import Testing

@Suite struct EmpiricalQuantileTests {
    struct Case: Decodable {
        let name: String
        let sample: [Double]
        let q: [Double]
        let linear: [Double]
        let hazen: [Double]
    }
    struct Fixture: Decodable { let cases: [Case] }

    /// The quantile code repeats NumPy's arithmetic operation for operation, so the results are the
    /// same doubles, ties, constant samples and ±0 included (compared with `==`, where -0 == +0).
    @Test(arguments: ["single", "pair", "ties", "constant", "random37", "random384"])
    func matchesNumPy(name: String) throws {
        let fixture: Fixture = try numericsFixture("quantiles.json")
        let c = try #require(fixture.cases.first { $0.name == name })
        let sorted = c.sample.sorted()
        for (i, q) in c.q.enumerated() {
            #expect(EmpiricalQuantile.quantile(sorted: sorted, probability: q, method: .linear) == c.linear[i], "linear q = \(q)")
            #expect(EmpiricalQuantile.quantile(sorted: sorted, probability: q, method: .hazen) == c.hazen[i], "hazen q = \(q)")
        }
    }

    @Test func hazenPositionsClampAtTheEnds() {
        // n = 4: position n·p − 0.5; p = 0.1 → −0.1 (clamped to the first), p = 0.95 → 3.3 (the last).
        let first = EmpiricalQuantile.position(count: 4, probability: 0.1, method: .hazen)
        #expect(first.lower == 0 && first.upper == 0)
        let last = EmpiricalQuantile.position(count: 4, probability: 0.95, method: .hazen)
        #expect(last.lower == 3 && last.upper == 3)
        let middle = EmpiricalQuantile.position(count: 4, probability: 0.5, method: .hazen)
        #expect(middle.lower == 1 && middle.upper == 2 && middle.gamma == 0.5)
    }

    @Test func lerpIsExactAtBothEnds() {
        #expect(EmpiricalQuantile.lerp(0.1, 0.7, 0) == 0.1)
        #expect(EmpiricalQuantile.lerp(0.1, 0.7, 1) == 0.7)
        #expect(EmpiricalQuantile.lerp(2, 2, 0.3) == 2)
    }
}
