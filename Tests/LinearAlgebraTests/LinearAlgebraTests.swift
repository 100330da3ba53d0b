import Foundation
import LinearAlgebra
import TestSupport
import Testing

/// The BLAS and LAPACK wrappers against NumPy (scripts/fixtures/make_linear_algebra.py).
struct LinearAlgebraTests {
    struct Reference: Decodable {
        struct Product: Decodable { let a: [[Double]]; let b: [[Double]] }
        struct SGEMM: Decodable { let a: [[Double]]; let b: [[Double]]; let ab: [[Double]] }
        struct DGEMM: Decodable { let a: [[Double]]; let b: [[Double]]; let c: [[Double]] }
        struct SVD: Decodable { let a: [[Double]]; let s: [Double]; let vt: [[Double]]; let u: [[Double]] }
        let sgemm: SGEMM
        let dgemm_at_b: DGEMM
        let svd_tall: SVD
        let svd_wide: SVD
        let svd_rank2: SVD
    }

    static let reference: Reference = {
        do {
            let data = try Data(contentsOf: Fixtures.url("linear-algebra/reference.json"))
            return try JSONDecoder().decode(Reference.self, from: data)
        } catch {
            fatalError("linear-algebra fixture: \(error)")
        }
    }()

    /// One of the SVD fixtures by name: "tall", "wide" or "rank2".
    static func svdReference(_ name: String) -> Reference.SVD {
        switch name {
        case "tall": reference.svd_tall
        case "wide": reference.svd_wide
        default: reference.svd_rank2
        }
    }

    static func floats(_ rows: [[Double]]) -> Matrix<Float> { Matrix(rows.map { $0.map(Float.init) }) }

    @Test func sgemmMatchesNumPyForEveryOperandLayout() {
        let ref = Self.reference.sgemm
        let a = Self.floats(ref.a), b = Self.floats(ref.b), expected = Self.floats(ref.ab)
        // The same product, with each operand stored as given or stored transposed and read back
        // through BLAS's transpose flag.
        let products = [
            BLAS.multiply(a, .normal, b, .normal),
            BLAS.multiply(a.transposed, .transposed, b, .normal),
            BLAS.multiply(a, .normal, b.transposed, .transposed),
            BLAS.multiply(a.transposed, .transposed, b.transposed, .transposed),
        ]
        for c in products {
            #expect(c.rows == 5 && c.columns == 3)
            // Float32 products of 7 terms of magnitude ~1: a few ulps of ~4 — 1e-5 is ample and
            // still catches any wrong index or operand order.
            for (x, y) in zip(c.elements, expected.elements) { #expect(abs(x - y) <= 1e-5) }
        }
    }

    @Test func dgemmMatchesNumPyWithATransposedOperand() {
        let ref = Self.reference.dgemm_at_b
        let c = BLAS.multiply(Matrix(ref.a), .transposed, Matrix(ref.b), .normal)
        let expected = Matrix(ref.c)
        #expect(c.rows == expected.rows && c.columns == expected.columns)
        // Double precision, 4 terms: agreement to 1e-13 (rounding order may differ from NumPy's).
        for (x, y) in zip(c.elements, expected.elements) { #expect(abs(x - y) <= 1e-13) }
    }

    @Test(arguments: ["tall", "wide", "rank2"])
    func svdMatchesNumPy(_ name: String) throws {
        let ref = Self.svdReference(name)
        let a = Matrix(ref.a)
        let svd = try SingularValueDecomposition(a)
        #expect(svd.singularValues.count == ref.s.count)
        // Singular values are unique: LAPACK and NumPy (also LAPACK, gesdd) agree to rounding.
        for (x, y) in zip(svd.singularValues, ref.s) { #expect(abs(x - y) <= 1e-10 * max(1, ref.s[0])) }
        // Singular vectors are unique up to sign for distinct, non-zero singular values: compare
        // each row of Vᵀ to NumPy's up to sign. (rank2's zero singular values have arbitrary vectors.)
        let k = ref.s.filter { $0 > 1e-8 * ref.s[0] }.count
        for i in 0..<k {
            let ours = Array(svd.vt.row(i)), theirs = ref.vt[i]
            let sign: Double = zip(ours, theirs).map { $0 * $1 }.reduce(0, +) < 0 ? -1 : 1
            for (x, y) in zip(ours, theirs) { #expect(abs(sign * x - y) <= 1e-9) }
        }
        // And the factors rebuild A.
        var us = svd.u
        for r in 0..<us.rows { for c in 0..<us.columns { us[r, c] *= svd.singularValues[c] } }
        let rebuilt = BLAS.multiply(us, .normal, svd.vt, .normal)
        for (x, y) in zip(rebuilt.elements, a.elements) { #expect(abs(x - y) <= 1e-10) }
    }

    @Test func svdRejectsNonFiniteInput() {
        let a = Matrix<Double>([[1, .nan], [0, 1]])
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dgesdd")) { try SingularValueDecomposition(a) }
    }

    @Test func emptyProductsAreEmpty() throws {
        let a = Matrix<Double>(zeros: 0, 3), b = Matrix<Double>(zeros: 3, 2)
        #expect(BLAS.multiply(a, .normal, b, .normal) == Matrix<Double>(zeros: 0, 2))
        let svd = try SingularValueDecomposition(Matrix<Double>(zeros: 0, 4))
        #expect(svd.singularValues.isEmpty)
    }
}
