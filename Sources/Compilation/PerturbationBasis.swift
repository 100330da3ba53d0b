import LinearAlgebra

/// The codebook's 3-D basis (SPEC §6): the population mean and the top three right singular vectors of
/// the centered population, `z = (P − mean) · V3ᵀ`.
package struct PerturbationBasis: Sendable, Equatable {
    /// The number of basis directions.
    package static let rank = 3

    /// `mean(P)` over the population's rows: `[levels]`.
    package let mean: [Double]
    /// `V3`: `[3, levels]`, rows are unit right singular vectors, each signed so that its
    /// largest-magnitude component (the first one on a tie, as `np.argmax`) is positive.
    package let components: Matrix<Double>
    /// All singular values of the centered population, descending: `[min(N, levels)]`.
    package let singularValues: [Double]

    /// Fits the basis on `population` (`[N, levels]`, one perturbation per row) with an SVD that gives
    /// the same bits on every CPU (`Reproducible`), so the artifacts do too.
    ///
    /// Throws `rankDeficient` when the centered population has fewer than 3 singular values above
    /// NumPy's `matrix_rank` tolerance `σ_max · max(N, levels) · ε` (so at least 4 rows are needed):
    /// then some of the three directions would be arbitrary (numerical noise), not properties of the data.
    package static func fit(population: Matrix<Double>) throws(CompilationError) -> PerturbationBasis {
        let n = population.rows, levels = population.columns
        guard levels >= rank else {
            throw .shapeMismatch(what: "population", expected: "at least \(rank) columns", actual: "\(levels)")
        }
        if let index = population.elements.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(what: "population row \(index / levels)", index: index % levels)
        }
        guard n > rank else { throw .rankDeficient(samples: n, rank: max(n - 1, 0), required: rank) }

        var mean = [Double](repeating: 0, count: levels)
        for r in 0..<n {
            for c in 0..<levels { mean[c] += population.elements[r * levels + c] }
        }
        for c in 0..<levels { mean[c] /= Double(n) }
        let centered = center(population, mean: mean)

        let svd: (singularValues: [Double], vt: Matrix<Double>)
        do {
            svd = try Reproducible.singularValueDecomposition(centered)
        } catch {
            throw .linearAlgebra(what: "SVD of the centered population", reason: "\(error)")
        }
        let s = svd.singularValues
        let tolerance = (s.first ?? 0) * Double(max(n, levels)) * Double.ulpOfOne
        let numericalRank = s.filter { $0 > tolerance }.count
        guard numericalRank >= rank else { throw .rankDeficient(samples: n, rank: numericalRank, required: rank) }

        var components = Matrix<Double>(zeros: rank, levels)
        for i in 0..<rank {
            let row = Array(svd.vt.row(i))
            var largest = 0
            for c in 1..<levels where abs(row[c]) > abs(row[largest]) { largest = c }
            let sign: Double = row[largest] < 0 ? -1 : 1
            for c in 0..<levels { components[i, c] = sign * row[c] }
        }
        return PerturbationBasis(mean: mean, components: components, singularValues: s)
    }

    package init(mean: [Double], components: Matrix<Double>, singularValues: [Double]) {
        precondition(components.rows == Self.rank && components.columns == mean.count,
                     "PerturbationBasis: components [\(components.rows), \(components.columns)] for \(mean.count) levels")
        self.mean = mean
        self.components = components
        self.singularValues = singularValues
    }

    /// `z = (p − mean) · V3ᵀ` for one perturbation `p` (`[levels]`).
    package func project(_ perturbation: some Collection<Double>) -> SIMD3<Double> {
        precondition(perturbation.count == mean.count,
                     "PerturbationBasis.project: \(perturbation.count) values for \(mean.count) levels")
        var z = SIMD3<Double>()
        for (c, value) in perturbation.enumerated() {
            let centered = value - mean[c]
            z.x += centered * components[0, c]
            z.y += centered * components[1, c]
            z.z += centered * components[2, c]
        }
        return z
    }

    /// `Z = (P − mean) · V3ᵀ` for every row of `perturbations` (`[N, levels]`), row by row in the order
    /// of `project(_:)` for one row (no BLAS: the same bits on every CPU).
    package func project(_ perturbations: Matrix<Double>) -> [SIMD3<Double>] {
        precondition(perturbations.columns == mean.count,
                     "PerturbationBasis.project: \(perturbations.columns) columns for \(mean.count) levels")
        return (0..<perturbations.rows).map { project(perturbations.row($0)) }
    }

    private static func center(_ matrix: Matrix<Double>, mean: [Double]) -> Matrix<Double> {
        var centered = matrix
        let columns = matrix.columns
        for r in 0..<matrix.rows {
            for c in 0..<columns { centered.elements[r * columns + c] -= mean[c] }
        }
        return centered
    }
}
