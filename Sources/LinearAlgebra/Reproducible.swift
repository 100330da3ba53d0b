import CKernels

/// Linear algebra whose results are the same bits on every x86-64 machine.
///
/// Why: compile's artifacts are checksummed, versioned by their checksum and compared byte for byte, so
/// they must not depend on the CPU. OpenBLAS and LAPACK pick their kernels at run time (AVX-512, AVX2,
/// SSE; threads that split sums), and each kernel rounds differently: the same activations gave
/// `basis.safetensors` and `config.json` that differed in their last bits on an Intel and an AMD CPU.
///
/// These routines fix the order of every sum and run on one thread. Swift compiles for baseline x86-64
/// and neither contracts `a * b + c` into an FMA nor reassociates floating-point sums; the C kernels of
/// `gram`, the Cholesky and `multiplyTransposed` forbid contraction too, and their vector lanes round as
/// scalars do. So the same inputs give the same bits on any x86-64 CPU. (Square roots are exact IEEE
/// operations; no transcendental function is used here.) The sizes are small — a 64-column population,
/// a few hundred probe features, the dual solver's systems of a fold's two thousand prompts — but the
/// Newton step is taken thousands of times per compile, so those kernels are blocked and vectorized
/// (`TextbookOrder` keeps the plain loops whose bits they reproduce).
///
/// The LAPACK wrappers (`SingularValueDecomposition`, `PositiveDefiniteSystem`) stay as the tests'
/// independent reference for these.
public enum Reproducible {
    /// `Aᵀ·A` (`[p, p]`) of a finite `a` (`[n, p]`): every entry `Σᵣ a[r, i]·a[r, j]`, each product
    /// rounded, then added in ascending `r`. It is the probe's Newton Hessian (`LogisticRegression`),
    /// most of compile's time, so it runs in C (`codebook_gram`): blocked for the caches and AVX-512
    /// where the CPU has it, with the same order of additions and so the same bits everywhere.
    public static func gram(_ a: Matrix<Double>) -> Matrix<Double> {
        let n = a.rows, p = a.columns
        var g = Matrix<Double>(zeros: p, p)
        guard n > 0, p > 0 else { return g }
        let padded = codebook_gram_padded(p)
        var packed = [Double](repeating: 0, count: padded * min(n, Int(CODEBOOK_GRAM_CHUNK)))
        var accumulators = [Double](repeating: 0, count: padded * padded)
        a.elements.withUnsafeBufferPointer { a in
            g.elements.withUnsafeMutableBufferPointer { g in
                codebook_gram(a.baseAddress!, n, p, g.baseAddress!, &packed, &accumulators)
            }
        }
        return g
    }

    /// The solution `x` of `A·x = b` for a symmetric positive definite `a` (`[n, n]`, only its lower
    /// triangle is read), by Cholesky factorization `A = L·Lᵀ` and two triangular solves: the Newton
    /// step of every probe fit, so in C (`codebook_cholesky_solve`), each entry's chain of roundings in
    /// the textbook order.
    public static func solvePositiveDefinite(_ a: Matrix<Double>, _ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        let n = a.rows
        precondition(a.columns == n && b.count == n,
                     "Reproducible.solvePositiveDefinite: A is [\(a.rows), \(a.columns)], b has \(b.count) entries")
        guard a.elements.allSatisfy({ $0.isFinite }), b.allSatisfy({ $0.isFinite }) else {
            throw .nonFiniteInput(routine: "Cholesky")
        }
        guard n > 0 else { return [] }
        var x = b
        var factor = [Double](repeating: 0, count: n * n)
        let failedOrder = a.elements.withUnsafeBufferPointer { a in
            codebook_cholesky_solve(a.baseAddress!, n, &x, &factor)
        }
        if failedOrder != 0 { throw .notPositiveDefinite(routine: "Cholesky", order: Int(failedOrder)) }
        return x
    }

    /// `A·x` (`[m]`) of `a` (`[m, n]`): every entry `Σⱼ a[r, j]·x[j]`, each product rounded, then added
    /// in ascending `j` (the logistic regressions' logits and the dual solver's kernel products).
    public static func multiply(_ a: Matrix<Double>, _ x: some Collection<Double>) -> [Double] {
        let rows = a.rows, columns = a.columns
        let x = Array(x)
        precondition(x.count == columns, "Reproducible.multiply: A is [\(rows), \(columns)], x has \(x.count) entries")
        return a.elements.withUnsafeBufferPointer { a in
            (0..<rows).map { r in
                var t = 0.0
                for j in 0..<columns { t += a[r * columns + j] * x[j] }
                return t
            }
        }
    }

    /// `Aᵀ·x` (`[n]`) of `a` (`[m, n]`): every entry `Σᵣ a[r, j]·x[r]`, each product rounded, then added
    /// in ascending `r`, in C (`codebook_multiply_transposed`: the entries are independent chains, so they
    /// run as vector lanes along `a`'s rows). It is `multiply`'s bits where `a` is the transpose of
    /// `multiply`'s matrix, or that matrix itself when it is symmetric (a Gram matrix, which `gram`
    /// mirrors): the dual solver's products, taken several times per Newton step.
    public static func multiplyTransposed(_ a: Matrix<Double>, _ x: some Collection<Double>) -> [Double] {
        let rows = a.rows, columns = a.columns
        let x = Array(x)
        precondition(x.count == rows, "Reproducible.multiplyTransposed: A is [\(rows), \(columns)], x has \(x.count) entries")
        var y = [Double](repeating: 0, count: columns)
        guard rows > 0, columns > 0 else { return y }
        a.elements.withUnsafeBufferPointer { a in
            y.withUnsafeMutableBufferPointer { y in codebook_multiply_transposed(a.baseAddress!, rows, columns, x, y.baseAddress!) }
        }
        return y
    }

    /// `(Aᵀ·x, Aᵀ·w)`, each `multiplyTransposed`'s bits, in one pass over `a`: the dual Newton step
    /// solves two systems side by side, and its kernel is larger than the caches.
    public static func multiplyTransposed(_ a: Matrix<Double>, _ x: [Double], _ w: [Double]) -> ([Double], [Double]) {
        let rows = a.rows, columns = a.columns
        precondition(x.count == rows && w.count == rows,
                     "Reproducible.multiplyTransposed: A is [\(rows), \(columns)], x and w have \(x.count) and \(w.count) entries")
        var y = [Double](repeating: 0, count: columns), z = y
        guard rows > 0, columns > 0 else { return (y, z) }
        a.elements.withUnsafeBufferPointer { a in
            y.withUnsafeMutableBufferPointer { y in
                z.withUnsafeMutableBufferPointer { z in
                    codebook_multiply_transposed_pair(a.baseAddress!, rows, columns, x, w, y.baseAddress!, z.baseAddress!)
                }
            }
        }
        return (y, z)
    }

    /// The Cholesky factor `A = L·Lᵀ` of a symmetric positive definite `a`, for solving several systems
    /// with one matrix (the dual Newton step of `LogisticRegression` solves two): each solution is the
    /// bits `solvePositiveDefinite` gives for it.
    public struct CholeskyFactor: Sendable {
        public let order: Int
        /// `L`, column-major.
        private let factor: [Double]

        /// Factors `a` (`[n, n]`, only its lower triangle is read).
        public init(_ a: Matrix<Double>) throws(LinearAlgebraError) {
            let n = a.rows
            precondition(a.columns == n, "Reproducible.CholeskyFactor: A is [\(a.rows), \(a.columns)]")
            guard a.elements.allSatisfy({ $0.isFinite }) else { throw .nonFiniteInput(routine: "Cholesky") }
            var factor = [Double](repeating: 0, count: n * n)
            let failedOrder = n == 0 ? 0 : a.elements.withUnsafeBufferPointer { a in
                codebook_cholesky_factor(a.baseAddress!, n, &factor)
            }
            if failedOrder != 0 { throw .notPositiveDefinite(routine: "Cholesky", order: Int(failedOrder)) }
            order = n
            self.factor = factor
        }

        /// The solution `x` of `A·x = b`.
        public func solve(_ b: [Double]) -> [Double] {
            precondition(b.count == order, "Reproducible.CholeskyFactor: b has \(b.count) entries for order \(order)")
            guard order > 0 else { return [] }
            var x = b
            factor.withUnsafeBufferPointer { codebook_cholesky_substitute($0.baseAddress!, order, &x) }
            return x
        }
    }

    /// The singular values of `a` (`[m, n]`) and its right singular vectors: `k = min(m, n)` values in
    /// descending order, `vt` `[k, n]` with the matching unit vectors as rows (each vector's sign is
    /// whatever the iteration gives; callers that need a sign convention apply it).
    ///
    /// Method: for a tall matrix, Householder QR first (`A = Q·R`, `R` `[n, n]` has the same singular
    /// values and right singular vectors), then one-sided Jacobi (Hestenes) rotations on the columns
    /// of `R` until every pair is orthogonal to `√n·ε` relative, accumulating the rotations in `V`
    /// (LAPACK `dgesvj`'s criterion). Both steps are backward stable, so the singular values are
    /// accurate to about `ε·σ₁` absolute, as `dgesdd`'s; small ones even relatively, where `R` allows.
    public static func singularValueDecomposition(_ a: Matrix<Double>) throws(LinearAlgebraError) -> (singularValues: [Double], vt: Matrix<Double>) {
        let m = a.rows, n = a.columns, k = min(m, n)
        guard a.elements.allSatisfy({ $0.isFinite }) else { throw .nonFiniteInput(routine: "Jacobi SVD") }
        guard k > 0 else { return ([], Matrix(zeros: 0, n)) }

        // Columns to orthogonalize, column-major: `length` entries each.
        var length = m
        var columns = [Double](repeating: 0, count: m * n)
        for r in 0..<m {
            for c in 0..<n { columns[c * m + r] = a.elements[r * n + c] }
        }
        if m > n {
            columns = householderR(columnMajor: columns, rows: m, columns: n)
            length = n
        }

        var v = [Double](repeating: 0, count: n * n)  // column-major, starts as the identity
        for i in 0..<n { v[i * n + i] = 1 }
        let tolerance = Double(length).squareRoot() * Double.ulpOfOne
        let maximumSweeps = 100
        var converged = false
        columns.withUnsafeMutableBufferPointer { w in
            v.withUnsafeMutableBufferPointer { v in
                for _ in 0..<maximumSweeps {
                    var rotated = false
                    for p in 0..<(n - 1) {
                        for q in (p + 1)..<n {
                            let wp = w.baseAddress! + p * length, wq = w.baseAddress! + q * length
                            var alpha = 0.0, beta = 0.0, gamma = 0.0
                            for i in 0..<length {
                                alpha += wp[i] * wp[i]
                                beta += wq[i] * wq[i]
                                gamma += wp[i] * wq[i]
                            }
                            guard alpha > 0, beta > 0, abs(gamma) > tolerance * (alpha * beta).squareRoot() else { continue }
                            // The rotation that makes columns p and q orthogonal: t = tan θ, the smaller
                            // root of t² + 2ζt − 1 = 0 (Rutishauser's formulas).
                            let zeta = (beta - alpha) / (2 * gamma)
                            let t = abs(zeta) > 1e100
                                ? 1 / (2 * zeta)
                                : (zeta >= 0 ? 1 : -1) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                            let c = 1 / (1 + t * t).squareRoot(), s = c * t
                            for i in 0..<length {
                                let x = wp[i], y = wq[i]
                                wp[i] = c * x - s * y
                                wq[i] = s * x + c * y
                            }
                            let vp = v.baseAddress! + p * n, vq = v.baseAddress! + q * n
                            for i in 0..<n {
                                let x = vp[i], y = vq[i]
                                vp[i] = c * x - s * y
                                vq[i] = s * x + c * y
                            }
                            rotated = true
                        }
                    }
                    if !rotated { converged = true; return }
                }
            }
        }
        guard converged else { throw .noConvergence(routine: "Jacobi SVD", info: maximumSweeps) }

        // σ_j = ‖w_j‖; sorted descending, ties in column order (a stable sort).
        let norms = (0..<n).map { j in
            var sum = 0.0
            for i in 0..<length { sum += columns[j * length + i] * columns[j * length + i] }
            return sum.squareRoot()
        }
        let order = (0..<n).sorted { norms[$0] > norms[$1] || (norms[$0] == norms[$1] && $0 < $1) }.prefix(k)
        var vt = Matrix<Double>(zeros: k, n)
        for (row, j) in order.enumerated() {
            for c in 0..<n { vt[row, c] = v[j * n + c] }
        }
        return (order.map { norms[$0] }, vt)
    }

    /// `R` (`[n, n]`, column-major, zeros below the diagonal) of the Householder QR of a column-major
    /// `[rows, columns]` matrix with `rows > columns`.
    private static func householderR(columnMajor input: [Double], rows m: Int, columns n: Int) -> [Double] {
        var a = input
        a.withUnsafeMutableBufferPointer { a in
            for k in 0..<n {
                let x = a.baseAddress! + k * m
                var norm = 0.0
                for i in k..<m { norm += x[i] * x[i] }
                norm = norm.squareRoot()
                if norm == 0 { continue }  // the column is already zero below (and on) the diagonal
                // v = x − α·e_k with α = −sign(x_k)·‖x‖ (no cancellation); vᵀv = 2‖x‖(‖x‖ + |x_k|).
                let alpha = x[k] >= 0 ? -norm : norm
                let head = x[k] - alpha
                let vtv = 2 * norm * (norm + abs(x[k]))
                for j in (k + 1)..<n {
                    let y = a.baseAddress! + j * m
                    var dot = head * y[k]
                    for i in (k + 1)..<m { dot += x[i] * y[i] }
                    let factor = 2 * dot / vtv
                    y[k] -= factor * head
                    for i in (k + 1)..<m { y[i] -= factor * x[i] }
                }
                x[k] = alpha
            }
        }
        var r = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            for i in 0...j { r[j * n + i] = a[j * m + i] }
        }
        return r
    }
}
