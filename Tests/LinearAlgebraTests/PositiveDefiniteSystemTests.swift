import LinearAlgebra
import Testing

@Suite struct PositiveDefiniteSystemTests {
    /// A small SPD system with a known solution: A = Mᵀ·M + I, b = A·x.
    @Test func solvesAKnownSystem() throws {
        let m = Matrix<Double>([[2, -1, 0.5], [0.25, 3, 1], [1, 0, -2], [0.5, 0.5, 0.5]])
        var a = BLAS.multiply(m, .transposed, m)
        for i in 0..<3 { a[i, i] += 1 }
        let x = [1.5, -2.0, 0.25]
        let b = (0..<3).map { r in (0..<3).reduce(0.0) { $0 + a[r, $1] * x[$1] } }
        let solved = try PositiveDefiniteSystem.solve(a, b)
        // A has condition number < 100: the solution is good to far better than 1e-12.
        for i in 0..<3 { #expect(abs(solved[i] - x[i]) < 1e-12) }
    }

    @Test func refusesAnIndefiniteMatrix() throws {
        let a = Matrix<Double>([[1, 2], [2, 1]])  // eigenvalues 3 and −1
        #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dposv", order: 2)) {
            try PositiveDefiniteSystem.solve(a, [1, 1])
        }
    }

    @Test func refusesNaN() throws {
        let a = Matrix<Double>([[1, 0], [0, .nan]])
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dposv")) {
            try PositiveDefiniteSystem.solve(a, [1, 1])
        }
    }
}
