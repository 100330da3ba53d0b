import CLAPACKE

/// Linear systems with a symmetric positive definite matrix (e.g. the Hessian of a ridge-penalized
/// log-likelihood), solved by Cholesky factorization with LAPACK's `dposv`.
public enum PositiveDefiniteSystem {
    /// The solution `x` of `A · x = b`; `a` is `[n, n]` symmetric (only its lower triangle is read),
    /// `b` has `n` entries. Throws `notPositiveDefinite` when the factorization breaks down and
    /// `nonFiniteInput` for NaN or infinite entries.
    public static func solve(_ a: Matrix<Double>, _ b: [Double]) throws -> [Double] {
        let n = a.rows
        precondition(a.columns == n && b.count == n,
                     "PositiveDefiniteSystem.solve: A is [\(a.rows), \(a.columns)], b has \(b.count) entries")
        guard a.elements.allSatisfy({ $0.isFinite }), b.allSatisfy({ $0.isFinite }) else {
            throw LinearAlgebraError.nonFiniteInput(routine: "dposv")
        }
        guard n > 0 else { return [] }
        var factor = a.elements  // dposv overwrites A with its Cholesky factor
        var x = b                // and b with the solution
        let info = factor.withUnsafeMutableBufferPointer { pa in
            x.withUnsafeMutableBufferPointer { px in
                LAPACKE_dposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), clapacke_int(n), 1,
                              pa.baseAddress, clapacke_int(n), px.baseAddress, 1)
            }
        }
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dposv", position: Int(-info)) }
        if info > 0 { throw LinearAlgebraError.notPositiveDefinite(routine: "dposv", order: Int(info)) }
        return x
    }
}
