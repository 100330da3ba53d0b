import Foundation
import LinearAlgebra
import TestSupport
import Testing

/// The CPU-independent routines compile uses, against NumPy (the committed fixture) and against the
/// LAPACK/BLAS wrappers on seeded random matrices of compile's shapes.
struct ReproducibleTests {
    static func random(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix<Double> {
        var generator = SeededGenerator(seed: seed)  // the same matrices on every run and machine
        return Matrix(rows: rows, columns: columns,
                      elements: (0..<(rows * columns)).map { _ in Double.random(in: -1...1, using: &generator) })
    }

    @Test(arguments: ["tall", "wide", "rank2"])
    func svdMatchesNumPy(_ name: String) throws {
        let ref = LinearAlgebraTests.svdReference(name)
        let svd = try Reproducible.singularValueDecomposition(Matrix(ref.a))
        #expect(svd.singularValues.count == ref.s.count && svd.vt.rows == ref.s.count)
        // Both are backward stable: singular values agree to a few ε·σ₁ (1e-12 relative leaves room
        // for these sizes and still catches any wrong rotation).
        for (x, y) in zip(svd.singularValues, ref.s) { #expect(abs(x - y) <= 1e-12 * max(1, ref.s[0]), "\(name): σ \(x) vs \(y)") }
        // Vectors of distinct non-zero singular values are unique up to sign; rank2's zero ones are not.
        let k = ref.s.filter { $0 > 1e-8 * ref.s[0] }.count
        for i in 0..<k {
            let ours = Array(svd.vt.row(i)), theirs = ref.vt[i]
            let sign: Double = zip(ours, theirs).map { $0 * $1 }.reduce(0, +) < 0 ? -1 : 1
            for (x, y) in zip(ours, theirs) { #expect(abs(sign * x - y) <= 1e-10, "\(name): v\(i)") }
        }
    }

    /// Compile's shape: a population of a few thousand 64-level perturbations with a decaying spectrum,
    /// against LAPACK's dgesdd: singular values to ~ε·σ₁, top vectors up to sign, Vᵀ orthonormal.
    @Test(arguments: [(600, 64), (64, 64), (40, 64), (300, 7)])
    func svdMatchesLAPACK(_ rows: Int, _ columns: Int) throws {
        var a = Self.random(rows, columns, seed: UInt64(rows * 1000 + columns))
        for c in 0..<columns {  // column scales 1, 0.7, 0.49, …: distinct, well separated singular values
            let scale = Foundation.pow(0.7, Double(c))
            for r in 0..<rows { a[r, c] *= scale }
        }
        let ours = try Reproducible.singularValueDecomposition(a)
        let lapack = try SingularValueDecomposition(a)
        #expect(ours.singularValues.count == lapack.singularValues.count)
        let sigma1 = lapack.singularValues[0]
        for (x, y) in zip(ours.singularValues, lapack.singularValues) {
            // Two backward-stable SVDs: within a small multiple of ε·σ₁·√n.
            #expect(abs(x - y) <= 1e-13 * sigma1, "σ \(x) vs \(y)")
        }
        for i in 0..<3 {
            let x = Array(ours.vt.row(i)), y = Array(lapack.vt.row(i))
            let sign: Double = zip(x, y).map { $0 * $1 }.reduce(0, +) < 0 ? -1 : 1
            // Relative gaps σ_i/σ_{i+1} ≈ 1/0.7 keep these vectors well conditioned: 1e-11.
            for (p, q) in zip(x, y) { #expect(abs(sign * p - q) <= 1e-11, "v\(i)") }
        }
        for i in 0..<ours.vt.rows {
            for j in 0...i {
                let dot = zip(ours.vt.row(i), ours.vt.row(j)).map { $0 * $1 }.reduce(0, +)
                #expect(abs(dot - (i == j ? 1 : 0)) <= 1e-13, "Vᵀ rows \(i), \(j)")
            }
        }
    }

    /// The point of these routines: the bits do not depend on the machine. A digest of the results on
    /// fixed inputs, recorded once; any BLAS, thread or FMA in the path would move it on another CPU.
    @Test func resultsAreTheSameBitsEverywhere() throws {
        let a = Self.random(500, 64, seed: 7)
        let svd = try Reproducible.singularValueDecomposition(a)
        let gram = Reproducible.gram(Self.random(90, 33, seed: 8))
        var spd = gram
        for i in 0..<spd.rows { spd[i, i] += 1 }
        let solution = try Reproducible.solvePositiveDefinite(spd, (0..<33).map { Double($0) - 16 })
        let everything = svd.singularValues + svd.vt.elements + gram.elements + solution
        // FNV-1a over the bit patterns: any changed bit changes it.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for x in everything {
            var bits = x.bitPattern
            for _ in 0..<8 {
                hash = (hash ^ (bits & 0xff)) &* 0x100_0000_01b3
                bits >>= 8
            }
        }
        #expect(String(hash, radix: 16) == "9b5d3ff3cc1d54ca")
    }

    /// The blocked, vectorized kernels keep the textbook loops' order of roundings: the same bits, on
    /// shapes that leave partial panels, tiles and chunks (`CODEBOOK_GRAM_PANEL` 16, chunks of 128 rows;
    /// the Cholesky's panels of 32 columns, its tiles of 24 or 4 rows × 8 or 4 columns and its columns' vector
    /// blocks of 8 or 32 rows; `multiplyTransposed`'s 8 or 32 lanes), with zeros and values of every magnitude.
    /// The other-kernels run (`CODEBOOK_NO_AVX512=1`) checks the portable variants the same way.
    @Test(arguments: [(1, 1), (3, 2), (129, 5), (300, 17), (257, 33), (40, 64), (700, 101), (520, 203)])
    func kernelsKeepTheTextbookOrder(_ rows: Int, _ columns: Int) throws {
        var a = Self.random(rows, columns, seed: UInt64(rows * 7 + columns))
        for i in stride(from: 0, to: a.elements.count, by: 5) { a.elements[i] = 0 }
        for i in stride(from: 1, to: a.elements.count, by: 11) { a.elements[i] *= 1e8 }
        /// How many entries differ in any bit (a count, so a failure reads in one line).
        func differing(_ x: [Double], _ y: [Double]) -> Int {
            x.count == y.count ? zip(x, y).filter { $0.bitPattern != $1.bitPattern }.count : max(x.count, y.count)
        }
        let gram = Reproducible.gram(a)
        #expect(differing(gram.elements, TextbookOrder.gram(a).elements) == 0, "Gram entries that differ")

        var spd = gram  // positive definite: the Gram matrix plus a ridge (relative, for the 1e8 columns)
        for i in 0..<columns { spd[i, i] += 1e-3 * max(1, spd[i, i]) }
        let b = (0..<columns).map { Double($0 % 7) - 3 }
        let x = try Reproducible.solvePositiveDefinite(spd, b)
        #expect(differing(x, try TextbookOrder.solvePositiveDefinite(spd, b)) == 0, "solution entries that differ")
        // Factored once, solved twice: each solution is the one-shot solve's bits.
        let factor = try Reproducible.CholeskyFactor(spd)
        let c = b.map { $0 * $0 - 1 }
        #expect(differing(factor.solve(b), x) == 0, "factored solution entries that differ")
        #expect(differing(factor.solve(c), try Reproducible.solvePositiveDefinite(spd, c)) == 0, "second solution entries that differ")

        // `multiplyTransposed` is `multiply`'s bits: of the transposed matrix, and of a mirrored Gram matrix.
        var transposed = Matrix<Double>(zeros: columns, rows)
        for r in 0..<rows { for j in 0..<columns { transposed[j, r] = a[r, j] } }
        let y = (0..<rows).map { Double($0 % 5) - 2.5 + 1e-3 * Double($0) }
        #expect(differing(Reproducible.multiplyTransposed(a, y), Reproducible.multiply(transposed, y)) == 0, "Aᵀx entries that differ")
        #expect(differing(Reproducible.multiplyTransposed(spd, b), Reproducible.multiply(spd, b)) == 0, "Gram·x entries that differ")
        let (first, second) = Reproducible.multiplyTransposed(spd, b, c)
        #expect(differing(first, Reproducible.multiply(spd, b)) + differing(second, Reproducible.multiply(spd, c)) == 0,
                "paired Gram·x entries that differ")
    }

    @Test func degenerateShapes() throws {
        #expect(Reproducible.gram(Matrix<Double>(zeros: 0, 3)).elements == Array(repeating: 0, count: 9))
        #expect(Reproducible.gram(Matrix<Double>(zeros: 4, 0)).elements.isEmpty)
        #expect(try Reproducible.solvePositiveDefinite(Matrix<Double>(zeros: 0, 0), []).isEmpty)
        // Not positive definite at the third leading block, found in the same place as the textbook loop.
        let a = Matrix([[4, 2, 0], [2, 5, 3], [0, 3, 1]])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "Cholesky", order: 3)) {
            try Reproducible.solvePositiveDefinite(a, [1, 1, 1])
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "Cholesky", order: 3)) {
            try TextbookOrder.solvePositiveDefinite(a, [1, 1, 1])
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "Cholesky", order: 3)) { try Reproducible.CholeskyFactor(a) }
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "Cholesky")) { try Reproducible.CholeskyFactor(Matrix([[1, 0], [0, .infinity]])) }
        #expect(try Reproducible.CholeskyFactor(Matrix<Double>(zeros: 0, 0)).solve([]).isEmpty)
        #expect(Reproducible.multiplyTransposed(Matrix<Double>(zeros: 0, 3), []) == [0, 0, 0])
        #expect(Reproducible.multiplyTransposed(Matrix<Double>(zeros: 2, 0), [1, 2]).isEmpty)
    }

    @Test func multiplyMatchesBLAS() {
        let a = Self.random(57, 300, seed: 5)
        let x = (0..<300).map { Double($0 % 13) / 13 - 0.5 }
        let ours = Reproducible.multiply(a, x)
        let blas = BLAS.multiply(a, .normal, Matrix(rows: 300, columns: 1, elements: x), .normal)
        // Sums of 300 products of magnitude ≤ 0.5 in another order: within 1e-12.
        #expect(ours.count == 57)
        for (u, v) in zip(ours, blas.elements) { #expect(abs(u - v) <= 1e-12) }
        #expect(Reproducible.multiply(Matrix<Double>(zeros: 3, 0), []) == [0, 0, 0])
        #expect(Reproducible.multiply(Matrix<Double>(zeros: 0, 2), [1, 2]).isEmpty)
    }

    @Test func gramMatchesBLAS() {
        let a = Self.random(300, 41, seed: 3)
        let ours = Reproducible.gram(a)
        let blas = BLAS.multiply(a, .transposed, a, .normal)
        // Sums of 300 products of magnitude ≤ 1 in another order: within 1e-12.
        for (x, y) in zip(ours.elements, blas.elements) { #expect(abs(x - y) <= 1e-12) }
        for i in 0..<41 { for j in 0..<41 { #expect(ours[i, j] == ours[j, i]) } }
    }

    @Test func choleskyMatchesLAPACK() throws {
        var a = Reproducible.gram(Self.random(120, 30, seed: 4))
        for i in 0..<30 { a[i, i] += 0.5 }
        let b = (0..<30).map { Double($0 % 7) - 3 }
        let ours = try Reproducible.solvePositiveDefinite(a, b)
        let lapack = try PositiveDefiniteSystem.solve(a, b)
        // A well-conditioned system (the ridge term bounds the smallest eigenvalue by 0.5): 1e-11.
        for (x, y) in zip(ours, lapack) { #expect(abs(x - y) <= 1e-11 * max(1, abs(y))) }
    }

    @Test func choleskyRefusesWhatIsNotPositiveDefinite() {
        #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "Cholesky", order: 2)) {
            try Reproducible.solvePositiveDefinite(Matrix([[1, 2], [2, 1]]), [1, 1])
        }
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "Cholesky")) {
            try Reproducible.solvePositiveDefinite(Matrix([[1, 0], [0, .nan]]), [1, 1])
        }
    }

    @Test func svdOfEdgeCases() throws {
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "Jacobi SVD")) {
            try Reproducible.singularValueDecomposition(Matrix([[1, .infinity], [0, 1]]))
        }
        #expect(try Reproducible.singularValueDecomposition(Matrix<Double>(zeros: 0, 4)).singularValues.isEmpty)
        let zero = try Reproducible.singularValueDecomposition(Matrix<Double>(zeros: 5, 3))
        #expect(zero.singularValues == [0, 0, 0])
    }
}
