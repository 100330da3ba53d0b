import CBLAS

/// Row-major matrix products on OpenBLAS.
///
/// Speed note: OpenBLAS picks its kernels when the library loads, from the CPU it sees or from the
/// `OPENBLAS_CORETYPE` environment variable. See `README.md` ("Speed") for why the project's
/// commands run with `OPENBLAS_CORETYPE=SKYLAKEX` on AVX-512 machines.
public enum BLAS {
    /// How `gemm` reads an operand.
    public enum Operand: Sendable { case normal, transposed }

    /// `C = alpha · op(A) · op(B) + beta · C`, all row-major, single precision.
    /// `op(A)` is `[m, k]`, `op(B)` is `[k, n]`, `C` is `[m, n]`; `lda`, `ldb`, `ldc` are the row
    /// strides of the operands as stored.
    @inlinable
    public static func sgemm(
        _ transA: Operand, _ transB: Operand, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// `C = alpha · op(A) · op(B) + beta · C` in double precision (see `sgemm`).
    @inlinable
    public static func dgemm(
        _ transA: Operand, _ transB: Operand, m: Int, n: Int, k: Int,
        alpha: Double = 1, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double = 0, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_dgemm(CblasRowMajor, transA.cblas, transB.cblas, blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// `op(A) · op(B)` for `Matrix<Float>`.
    public static func multiply(_ a: Matrix<Float>, _ transA: Operand = .normal,
                                _ b: Matrix<Float>, _ transB: Operand = .normal) -> Matrix<Float> {
        let (m, k) = transA == .normal ? (a.rows, a.columns) : (a.columns, a.rows)
        let (kb, n) = transB == .normal ? (b.rows, b.columns) : (b.columns, b.rows)
        precondition(k == kb, "BLAS.multiply: inner dimensions \(k) and \(kb) differ")
        var c = Matrix<Float>(zeros: m, n)
        guard m > 0, n > 0, k > 0 else { return c }  // an empty operand: the product is zeros
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    sgemm(transA, transB, m: m, n: n, k: k, a: pa.baseAddress!, lda: max(a.columns, 1),
                          b: pb.baseAddress!, ldb: max(b.columns, 1), c: pc.baseAddress!, ldc: max(n, 1))
                }
            }
        }
        return c
    }

    /// `op(A) · op(B)` for `Matrix<Double>`.
    public static func multiply(_ a: Matrix<Double>, _ transA: Operand = .normal,
                                _ b: Matrix<Double>, _ transB: Operand = .normal) -> Matrix<Double> {
        let (m, k) = transA == .normal ? (a.rows, a.columns) : (a.columns, a.rows)
        let (kb, n) = transB == .normal ? (b.rows, b.columns) : (b.columns, b.rows)
        precondition(k == kb, "BLAS.multiply: inner dimensions \(k) and \(kb) differ")
        var c = Matrix<Double>(zeros: m, n)
        guard m > 0, n > 0, k > 0 else { return c }  // an empty operand: the product is zeros
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    dgemm(transA, transB, m: m, n: n, k: k, a: pa.baseAddress!, lda: max(a.columns, 1),
                          b: pb.baseAddress!, ldb: max(b.columns, 1), c: pc.baseAddress!, ldc: max(n, 1))
                }
            }
        }
        return c
    }

    /// The number of threads OpenBLAS uses (its default: one per core, or `OPENBLAS_NUM_THREADS`).
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(newValue)) }
    }

    /// The kernel family OpenBLAS chose at load time, e.g. "Haswell" or "SkylakeX".
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }
}

extension BLAS.Operand {
    @usableFromInline var cblas: CBLAS_TRANSPOSE { self == .normal ? CblasNoTrans : CblasTrans }
}
