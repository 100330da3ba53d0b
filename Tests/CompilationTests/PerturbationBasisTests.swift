import Compilation
import LinearAlgebra
import TestSupport
import Testing

@Suite struct PerturbationBasisTests {
    struct Fixture: Decodable {
        let rows: Int
        let columns: Int
        let population: [Double]
        let mean: [Double]
        let basis: [Double]
        let singular_values: [Double]
        let z: [Double]
    }

    /// Against `np.linalg.svd` on a 200×64 population with well-separated top singular values. Both are
    /// LAPACK SVDs of the same matrix (dgesdd); singular vectors agree to ~ε·σ₁/gap ≈ 1e-14 here, so 1e-10
    /// is a wide margin that still catches a wrong sign, order or centering.
    @Test func matchesNumPy() throws {
        let fixture: Fixture = try numericsFixture("basis.json")
        let population = fixtureMatrix(fixture.population, rows: fixture.rows, columns: fixture.columns)
        let basis = try PerturbationBasis.fit(population: population)
        #expect(basis.mean.count == 64)
        for c in 0..<64 { #expect(close(basis.mean[c], fixture.mean[c], 1e-13), "mean \(c)") }
        #expect(basis.singularValues.count == 64)
        for (i, s) in fixture.singular_values.enumerated() {
            #expect(close(basis.singularValues[i], s, 1e-12), "σ\(i)")
        }
        for i in 0..<3 {
            for c in 0..<64 { #expect(close(basis.components[i, c], fixture.basis[i * 64 + c], 1e-10), "V[\(i), \(c)]") }
        }
        let z = basis.project(population)
        for r in 0..<fixture.rows {
            for i in 0..<3 { #expect(close(z[r][i], fixture.z[3 * r + i], 1e-10), "z[\(r), \(i)]") }
            if r < 5 { #expect(close(basis.project(population.row(r)).x, z[r].x, 1e-12), "single row \(r)") }
        }
    }

    /// Each basis vector's largest-magnitude component is positive, whatever the input's sign.
    @Test func signConventionIsIndependentOfInputSign() throws {
        let fixture: Fixture = try numericsFixture("basis.json")
        let population = fixtureMatrix(fixture.population, rows: fixture.rows, columns: fixture.columns)
        var negated = population
        negated.elements = population.elements.map { -$0 }
        let basis = try PerturbationBasis.fit(population: population)
        let flipped = try PerturbationBasis.fit(population: negated)
        for i in 0..<3 {
            let row = Array(basis.components.row(i))
            let largest = row.indices.max { abs(row[$0]) < abs(row[$1]) }!
            #expect(row[largest] > 0)
            for c in 0..<64 { #expect(close(flipped.components[i, c], row[c], 1e-10)) }
        }
    }

    @Test func refusesRankDeficientPopulations() {
        // 3 rows: centered, they span at most 2 directions.
        let three = Matrix<Double>([[1, 2, 3, 4], [2, 1, 0, 5], [0, 0, 1, 1]])
        #expect(throws: CompilationError.rankDeficient(samples: 3, rank: 2, required: 3)) {
            try PerturbationBasis.fit(population: three)
        }
        // 10 rows on a plane through the mean: rank 2.
        let planar = Matrix<Double>((0..<10).map { i in
            let a = Double(i), b = Double(i * i % 7)
            return [a, b, a + b, a - b, 2 * a, 0]
        })
        #expect(throws: CompilationError.rankDeficient(samples: 10, rank: 2, required: 3)) {
            try PerturbationBasis.fit(population: planar)
        }
        // Identical rows: rank 0.
        let constant = Matrix<Double>(Array(repeating: [0.5, 0.25, 1, 2], count: 6))
        #expect(throws: CompilationError.rankDeficient(samples: 6, rank: 0, required: 3)) {
            try PerturbationBasis.fit(population: constant)
        }
        var withNaN = Matrix<Double>(zeros: 5, 4)
        withNaN[3, 2] = .nan
        #expect(throws: CompilationError.nonFiniteValue(what: "population row 3", index: 2)) {
            try PerturbationBasis.fit(population: withNaN)
        }
    }
}
