/// The order of roundings `Reproducible`'s kernels must keep, as the plain loops compile ran before
/// they were blocked and vectorized: what their bits are defined by. The tests check the kernels
/// against these bit for bit, and `make bench` measures them against these.
package enum TextbookOrder {
    /// `Aᵀ·A`, each row of `a` added into the upper triangle in turn, then mirrored.
    package static func gram(_ a: Matrix<Double>) -> Matrix<Double> {
        let n = a.rows, p = a.columns
        var g = Matrix<Double>(zeros: p, p)
        a.elements.withUnsafeBufferPointer { x in
            g.elements.withUnsafeMutableBufferPointer { out in
                for r in 0..<n {
                    let row = x.baseAddress! + r * p
                    for i in 0..<p {
                        let xi = row[i]
                        if xi == 0 { continue }  // adding xi·x_j = ±0 would change nothing
                        let target = out.baseAddress! + i * p
                        for j in i..<p { target[j] += xi * row[j] }
                    }
                }
                for i in 0..<p {
                    for j in 0..<i { out[i * p + j] = out[j * p + i] }
                }
            }
        }
        return g
    }

    /// The solution of `a·x = b` by the row-by-row Cholesky loop and two triangular solves.
    package static func solvePositiveDefinite(_ a: Matrix<Double>, _ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        let n = a.rows
        precondition(a.columns == n && b.count == n,
                     "Reproducible.solvePositiveDefinite: A is [\(a.rows), \(a.columns)], b has \(b.count) entries")
        guard a.elements.allSatisfy({ $0.isFinite }), b.allSatisfy({ $0.isFinite }) else {
            throw .nonFiniteInput(routine: "Cholesky")
        }
        var l = a.elements  // the factor L overwrites the lower triangle, row by row
        var failedOrder: Int?
        l.withUnsafeMutableBufferPointer { l in
            for i in 0..<n {
                for j in 0...i {
                    var sum = l[i * n + j]
                    for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                    if i == j {
                        guard sum > 0 else { failedOrder = i + 1; return }
                        l[i * n + i] = sum.squareRoot()
                    } else {
                        l[i * n + j] = sum / l[j * n + j]
                    }
                }
            }
        }
        if let failedOrder { throw .notPositiveDefinite(routine: "Cholesky", order: failedOrder) }
        var x = b
        for i in 0..<n {  // L·y = b
            var sum = x[i]
            for k in 0..<i { sum -= l[i * n + k] * x[k] }
            x[i] = sum / l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {  // Lᵀ·x = y
            var sum = x[i]
            for k in (i + 1)..<n { sum -= l[k * n + i] * x[k] }
            x[i] = sum / l[i * n + i]
        }
        return x
    }
}
