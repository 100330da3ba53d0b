/// Empirical quantiles of sorted data, computed step for step as NumPy's `np.quantile` does
/// (`numpy/lib/_function_base_impl.py`: `_compute_virtual_index`, `_get_indexes`, `_get_gamma`,
/// `_lerp`), so that the results agree to the last bit rather than to a tolerance.
///
/// Both methods interpolate linearly between the order statistics around a "virtual index" `v`
/// (0-based) and clamp `v` to `[0, n − 1]`:
/// - `linear` (NumPy's default, Hyndman & Fan type 7): `v = (n − 1)·q`;
/// - `hazen` (type 5): `v = n·q + 0.5 − 1`, i.e. the position `n·q − 0.5`.
package enum EmpiricalQuantile {
    package enum Method: Sendable {
        case linear
        case hazen
    }

    /// Where quantile `q` of `n` sorted values lies: the two order statistics to interpolate between
    /// and the weight `gamma` of the upper one.
    package struct Position: Sendable, Equatable {
        package var lower: Int
        package var upper: Int
        package var gamma: Double
    }

    /// The interpolation position of quantile `q` (in [0, 1]) among `count` (≥ 1) sorted values.
    package static func position(count: Int, probability q: Double, method: Method) -> Position {
        precondition(count >= 1, "EmpiricalQuantile.position: no values")
        let n = Double(count)
        let virtualIndex: Double
        switch method {
        case .linear: virtualIndex = (n - 1) * q
        // NumPy: n * q + (alpha + q * (1 - alpha - beta)) - 1 with alpha = beta = 1/2.
        case .hazen: virtualIndex = n * q + (0.5 + q * 0.0) - 1
        }
        var previous = virtualIndex.rounded(.down)
        var lower: Int
        var upper: Int
        if virtualIndex >= n - 1 {
            lower = count - 1
            upper = count - 1
            previous = -1  // NumPy's index -1 (the last element), which enters gamma as -1
        } else if virtualIndex < 0 {
            lower = 0
            upper = 0
            previous = 0
        } else {
            lower = Int(previous)
            upper = lower + 1
        }
        return Position(lower: lower, upper: upper, gamma: virtualIndex - previous)
    }

    /// NumPy's `_lerp`: `a + (b − a)·t`, computed from `b`'s side when `t ≥ 0.5` so that `t = 1`
    /// gives `b` exactly.
    package static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let difference = b - a
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t
    }

    /// Quantile `q` of `sorted` (ascending, non-empty, finite).
    package static func quantile(sorted: [Double], probability q: Double, method: Method) -> Double {
        let position = position(count: sorted.count, probability: q, method: method)
        return lerp(sorted[position.lower], sorted[position.upper], position.gamma)
    }
}
