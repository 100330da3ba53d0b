/// A point of the codebook's decomposed space: how unusual the perturbation is overall (`sum`) and where
/// its mass lies among the three basis directions (`u`, `v` on the 2-simplex drawn as a triangle).
package struct CodebookCoordinates: Sendable, Equatable, Hashable {
    package var sum: Double
    package var u: Double
    package var v: Double

    package init(sum: Double, u: Double, v: Double) {
        self.sum = sum
        self.u = u
        self.v = v
    }

    /// `(sum, u, v)` as a vector (the classifiers' feature order).
    package var vector: SIMD3<Double> { SIMD3(sum, u, v) }
}

/// The decomposition `z → (sum, u, v)` of SPEC §6:
/// `c_i = F_i(z_i)`; `s = c_1 + c_2 + c_3`; `sum = F_sum(s)`; `w = c / s` (a point of the 2-simplex);
/// `u = w_2 + w_3 / 2`; `v = (√3/2)·w_3`. Because every `F_i` is clamped to `[ε, 1 − ε]`, `s > 0` always.
package struct Decomposition: Sendable, Equatable {
    /// `F_1`, `F_2`, `F_3`: one distribution per coordinate of `z`.
    package let marginals: [SplineDistribution]
    /// `F_sum`, fitted on the population's `s`.
    package let sum: SplineDistribution

    package init(marginals: [SplineDistribution], sum: SplineDistribution) throws(CodebookRuntimeError) {
        guard marginals.count == 3 else {
            throw .dimensionMismatch(what: "decomposition marginals", expected: 3, actual: marginals.count)
        }
        self.marginals = marginals
        self.sum = sum
    }

    /// `c = (F_1(z_1), F_2(z_2), F_3(z_3))`, each in `[ε_i, 1 − ε_i]`.
    package static func marginalCDFs(_ z: SIMD3<Double>, marginals: [SplineDistribution]) -> SIMD3<Double> {
        precondition(marginals.count == 3, "marginalCDFs: 3 marginals needed, got \(marginals.count)")
        return SIMD3(marginals[0].cdf(z.x), marginals[1].cdf(z.y), marginals[2].cdf(z.z))
    }

    /// `s = c_1 + c_2 + c_3`, the statistic `F_sum` is fitted on.
    package static func marginalSum(_ z: SIMD3<Double>, marginals: [SplineDistribution]) -> Double {
        let c = marginalCDFs(z, marginals: marginals)
        return c.x + c.y + c.z
    }

    /// `z → (sum, u, v)`.
    package func decompose(_ z: SIMD3<Double>) -> CodebookCoordinates {
        let c = Self.marginalCDFs(z, marginals: marginals)
        let s = c.x + c.y + c.z
        let (u, v) = Self.simplexCoordinates(weights: c / s)
        return CodebookCoordinates(sum: sum.cdf(s), u: u, v: v)
    }

    /// The triangle coordinates of simplex weights `w`: `u = w_2 + w_3/2`, `v = (√3/2)·w_3`.
    /// The corners `e_1, e_2, e_3` land on `(0, 0)`, `(1, 0)`, `(1/2, √3/2)`.
    package static func simplexCoordinates(weights w: SIMD3<Double>) -> (u: Double, v: Double) {
        (w.y + w.z / 2, (3.0.squareRoot() / 2) * w.z)
    }

    /// The inverse map `(u, v) → w`: `w_3 = 2v/√3`, `w_2 = u − w_3/2`, `w_1 = 1 − w_2 − w_3`.
    package static func simplexWeights(u: Double, v: Double) -> SIMD3<Double> {
        let w3 = 2 * v / 3.0.squareRoot()
        let w2 = u - w3 / 2
        return SIMD3(1 - w2 - w3, w2, w3)
    }
}
