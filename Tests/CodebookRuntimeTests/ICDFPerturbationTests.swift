import CodebookRuntime
import TestSupport
import Testing

@Suite struct ICDFPerturbationTests {
    struct Case: Decodable {
        let name: String
        let hidden: [Double]
        let perturbation: [Double]
    }
    struct Fixture: Decodable { let cases: [Case] }

    static let caseNames = ["d1", "d2", "d3", "d3_ties", "constant384", "signed_zeros", "integers_ties384",
                            "normal384", "heavy576", "outlier576", "large_offset384"]

    /// Against NumPy/SciPy (float64 from the same float32 inputs): `np.quantile(x, p, method="hazen") −
    /// norm.ppf(p)`. The Double result differs only by the summation order of the mean and std (NumPy sums
    /// pairwise): ~1e-15 on standardized values up to ~25, so 1e-12 leaves a wide margin. The Float result
    /// is the Double one rounded, within the SPEC's 1e-6.
    @Test(arguments: caseNames)
    func matchesNumPy(name: String) throws {
        let fixture: Fixture = try numericsFixture("icdf_perturbation.json")
        let c = try #require(fixture.cases.first { $0.name == name })
        let hidden = c.hidden.map { Float($0) }
        #expect(hidden.map(Double.init) == c.hidden, "fixture values are float32")
        let calculator = try ICDFPerturbation(dimension: hidden.count)

        let double = try calculator.perturbation(of: hidden)
        #expect(double.count == ICDFPerturbation.levels)
        for k in 0..<ICDFPerturbation.levels {
            #expect(close(double[k], c.perturbation[k], 1e-12), "level \(k): \(double[k]) vs \(c.perturbation[k])")
        }

        var scratch = ICDFPerturbation.Scratch()
        var single = [Float](repeating: .nan, count: ICDFPerturbation.levels)
        try hidden.withUnsafeBufferPointer { input in
            try single.withUnsafeMutableBufferPointer { output in
                try calculator.perturbation(of: input, into: output, scratch: &scratch)
            }
        }
        for k in 0..<ICDFPerturbation.levels {
            #expect(single[k] == Float(double[k]), "level \(k)")
            #expect(close(Double(single[k]), c.perturbation[k], 1e-6), "level \(k)")
        }
    }

    /// A constant hidden state (std 0) standardizes to zeros: P = −Φ⁻¹(p), never NaN.
    @Test(arguments: [1, 2, 384])
    func constantHiddenStateGivesMinusTheNormalQuantiles(dimension: Int) throws {
        let calculator = try ICDFPerturbation(dimension: dimension)
        for value: Float in [0, -0.0, 3.5, -1e30] {
            let p = try calculator.perturbation(of: [Float](repeating: value, count: dimension))
            #expect(p == ICDFPerturbation.normalQuantiles.map { -$0 }, "value \(value)")
        }
    }

    @Test func refusesNaNAndInfinity() throws {
        let calculator = try ICDFPerturbation(dimension: 4)
        for bad: Float in [.nan, .infinity, -.infinity] {
            #expect(throws: CodebookRuntimeError.nonFiniteInput(what: "hidden state")) {
                try calculator.perturbation(of: [1, bad, 2, 3])
            }
        }
    }

    @Test func refusesWrongLengths() throws {
        let calculator = try ICDFPerturbation(dimension: 4)
        #expect(throws: CodebookRuntimeError.dimensionMismatch(what: "hidden state", expected: 4, actual: 3)) {
            try calculator.perturbation(of: [1, 2, 3])
        }
        var scratch = ICDFPerturbation.Scratch()
        var output = [Float](repeating: 0, count: 10)
        #expect(throws: CodebookRuntimeError.dimensionMismatch(what: "perturbation output", expected: 64, actual: 10)) {
            try [Float](repeating: 1, count: 4).withUnsafeBufferPointer { input in
                try output.withUnsafeMutableBufferPointer { try calculator.perturbation(of: input, into: $0, scratch: &scratch) }
            }
        }
        #expect(throws: CodebookRuntimeError.self) { try ICDFPerturbation(dimension: 0) }
    }

    /// The fast path (sort the raw Floats, standardize only the needed order statistics) against the
    /// definition (standardize every value, sort, NumPy's Hazen quantile), on seeded random vectors with
    /// and without ties, one scratch buffer reused across all of them and across dimensions.
    @Test func fastPathEqualsTheDefinition() throws {
        var generator = SeededGenerator(seed: 42)
        var scratch = ICDFPerturbation.Scratch()
        for dimension in [1, 2, 3, 5, 63, 64, 65, 384, 576] {
            let calculator = try ICDFPerturbation(dimension: dimension)
            for trial in 0..<6 {
                let hidden: [Float] = (0..<dimension).map { _ in
                    trial % 2 == 0 ? Float.random(in: -4...4, using: &generator)
                                   : Float(Int.random(in: -2...2, using: &generator))  // heavy ties
                }
                var fast = [Double](repeating: 0, count: ICDFPerturbation.levels)
                try hidden.withUnsafeBufferPointer { input in
                    try fast.withUnsafeMutableBufferPointer { try calculator.perturbation(of: input, into: $0, scratch: &scratch) }
                }
                // Same operations on the same doubles: exactly equal.
                #expect(fast == naivePerturbation(hidden), "d = \(dimension), trial \(trial)")
            }
        }
    }

    /// Scaling by a power of two is exact in floating point and cancels in the standardization.
    @Test func isInvariantToExactRescaling() throws {
        var generator = SeededGenerator(seed: 7)
        let calculator = try ICDFPerturbation(dimension: 384)
        let hidden = (0..<384).map { _ in Float.random(in: -3...5, using: &generator) }
        #expect(try calculator.perturbation(of: hidden.map { $0 * 8 }) == calculator.perturbation(of: hidden))
    }

    /// The definition, written plainly.
    private func naivePerturbation(_ hidden: [Float]) -> [Double] {
        let h = hidden.map(Double.init)
        let mean = h.reduce(0, +) / Double(h.count)
        let std = (h.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(h.count)).squareRoot()
        let x = std > 0 ? h.map { ($0 - mean) / std }.sorted() : [Double](repeating: 0, count: h.count)
        return zip(ICDFPerturbation.probabilities, ICDFPerturbation.normalQuantiles).map { p, normal in
            EmpiricalQuantile.quantile(sorted: x, probability: p, method: .hazen) - normal
        }
    }
}
