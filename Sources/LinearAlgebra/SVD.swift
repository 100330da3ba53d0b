import CLAPACKE

/// Errors of the LAPACK layer: each carries the routine and its `info` code.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable {
    /// `info < 0`: argument `-info` had an illegal value (a bug here, never the user's input).
    case illegalArgument(routine: String, position: Int)
    /// `info > 0`: the routine did not converge.
    case noConvergence(routine: String, info: Int)
    /// The input had a NaN or an infinity, which LAPACK's SVD cannot take.
    case nonFiniteInput(routine: String)
    /// `info > 0` of a Cholesky routine: the leading minor of this order is not positive definite.
    case notPositiveDefinite(routine: String, order: Int)

    public var description: String {
        switch self {
        case let .illegalArgument(routine, position):
            return "\(routine): argument \(position) had an illegal value"
        case let .noConvergence(routine, info):
            return "\(routine): did not converge (info \(info))"
        case let .nonFiniteInput(routine):
            return "\(routine): the matrix has NaN or infinite entries"
        case let .notPositiveDefinite(routine, order):
            return "\(routine): the matrix is not positive definite (leading minor of order \(order))"
        }
    }
}

/// The thin singular value decomposition `A = U · diag(S) · Vᵀ` of an `[m, n]` matrix,
/// `k = min(m, n)`: `u` is `[m, k]`, `singularValues` has `k` entries in descending order,
/// `vt` is `[k, n]` (its rows are the right singular vectors).
public struct SingularValueDecomposition: Sendable {
    public let u: Matrix<Double>
    public let singularValues: [Double]
    public let vt: Matrix<Double>

    /// Computes the decomposition with LAPACK's divide-and-conquer `dgesdd`.
    public init(_ a: Matrix<Double>) throws {
        let m = a.rows, n = a.columns, k = min(m, n)
        guard a.elements.allSatisfy({ $0.isFinite }) else { throw LinearAlgebraError.nonFiniteInput(routine: "dgesdd") }
        var work = a.elements  // dgesdd overwrites its input
        var s = [Double](repeating: 0, count: k)
        var u = Matrix<Double>(zeros: m, k)
        var vt = Matrix<Double>(zeros: k, n)
        if k > 0 {
            let info = work.withUnsafeMutableBufferPointer { pa in
                s.withUnsafeMutableBufferPointer { ps in
                    u.elements.withUnsafeMutableBufferPointer { pu in
                        vt.elements.withUnsafeMutableBufferPointer { pvt in
                            LAPACKE_dgesdd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "S")), clapacke_int(m), clapacke_int(n),
                                           pa.baseAddress, clapacke_int(n), ps.baseAddress,
                                           pu.baseAddress, clapacke_int(k), pvt.baseAddress, clapacke_int(n))
                        }
                    }
                }
            }
            if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dgesdd", position: Int(-info)) }
            if info > 0 { throw LinearAlgebraError.noConvergence(routine: "dgesdd", info: Int(info)) }
        }
        self.u = u
        self.singularValues = s
        self.vt = vt
    }
}
