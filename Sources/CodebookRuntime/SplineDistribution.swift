/// A one-dimensional distribution described by a monotone spline through its quantiles (SPEC §6):
/// knots `x_j` (sample quantiles), values `y_j` (their levels, `j/32` as compiled), PCHIP slopes.
///
/// - `cdf(x)`: the PCHIP through `(x_j, y_j)` inside the knots, clamped to `[ε, 1 − ε]`; `ε` below the
///   first knot and `1 − ε` above the last, so a score never reaches exactly 0 or 1 (`ε = 1/(2N)` for a
///   sample of `N`).
/// - `icdf(p)`: the PCHIP through `(y_j, x_j)`, unclamped; outside `[y_0, y_last]` the end pieces are
///   extrapolated, as SciPy's `PchipInterpolator` does.
package struct SplineDistribution: Sendable, Equatable {
    /// `F`: through `(knots, values)`.
    package let cdfSpline: PCHIPSpline
    /// `F⁻¹`: through `(values, knots)`, with its own PCHIP slopes.
    package let icdfSpline: PCHIPSpline
    /// The clamp: `cdf` stays within `[epsilon, 1 − epsilon]`.
    package let epsilon: Double

    package var knots: [Double] { cdfSpline.knots }
    package var values: [Double] { cdfSpline.values }
    /// The CDF's slopes at the knots (what `splines.json` stores).
    package var slopes: [Double] { cdfSpline.slopes }

    /// A distribution with SciPy's PCHIP slopes through `(knots, values)`.
    /// Both must be strictly increasing (so that the inverse exists) and `0 < epsilon < 0.5`.
    package init(knots: [Double], values: [Double], epsilon: Double) throws(CodebookRuntimeError) {
        try self.init(cdf: PCHIPSpline(knots: knots, values: values), epsilon: epsilon)
    }

    /// A distribution with stored CDF slopes (as read back from `splines.json`).
    package init(knots: [Double], values: [Double], slopes: [Double], epsilon: Double) throws(CodebookRuntimeError) {
        try self.init(cdf: PCHIPSpline(knots: knots, values: values, slopes: slopes), epsilon: epsilon)
    }

    private init(cdf: PCHIPSpline, epsilon: Double) throws(CodebookRuntimeError) {
        guard epsilon > 0, epsilon < 0.5 else {
            throw .invalidParameter(name: "spline epsilon", value: "\(epsilon)", expected: "0 < ε < 0.5")
        }
        for j in 1..<cdf.values.count where !(cdf.values[j] > cdf.values[j - 1]) {
            throw .invalidSpline(reason: "values not strictly increasing at \(j): \(cdf.values[j - 1]) then \(cdf.values[j])")
        }
        self.cdfSpline = cdf
        self.icdfSpline = try PCHIPSpline(knots: cdf.values, values: cdf.knots)
        self.epsilon = epsilon
    }

    /// `F(x)` in `[ε, 1 − ε]`; NaN for NaN.
    package func cdf(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        let knots = cdfSpline.knots
        if x < knots[0] { return epsilon }
        if x > knots[knots.count - 1] { return 1 - epsilon }
        return min(max(cdfSpline(x), epsilon), 1 - epsilon)
    }

    /// `F⁻¹(p)`.
    package func icdf(_ p: Double) -> Double {
        icdfSpline(p)
    }
}
