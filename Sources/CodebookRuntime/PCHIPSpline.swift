/// A monotone piecewise cubic Hermite interpolant, evaluated exactly as SciPy's
/// `scipy.interpolate.PchipInterpolator` (`scipy/interpolate/_cubic.py`):
///
/// - slopes (`PchipInterpolator._find_derivatives`, Fritsch–Carlson): at an interior knot the weighted
///   harmonic mean of the neighbouring secants `m_{k−1}`, `m_k` with weights `w1 = 2h_k + h_{k−1}`,
///   `w2 = h_k + 2h_{k−1}`, or 0 where the secants change sign or either is 0; at the two ends the
///   one-sided three-point formula of `_edge_case` (0 when its sign differs from the first secant's,
///   `3·m` when the secants change sign and it exceeds `3·|m|`); with two knots both slopes are the secant;
/// - polynomial coefficients per interval as `CubicHermiteSpline.__init__` computes them, evaluated as
///   `PPoly` does (`c3 + c2·s + c1·s² + c0·s³`, `s = x − x_i`), extrapolating the end pieces outside the
///   knots. The tests compare slopes and values with SciPy's.
package struct PCHIPSpline: Sendable, Equatable {
    /// `x_j`, strictly increasing, finite.
    package let knots: [Double]
    /// `y_j`, finite.
    package let values: [Double]
    /// The derivative at each knot.
    package let slopes: [Double]
    /// Per interval `i`: the local polynomial `c.x·s³ + c.y·s² + c.z·s + c.w`, `s = x − x_i`.
    private let coefficients: [SIMD4<Double>]  // [knots.count − 1]

    /// The PCHIP interpolant through `(knots, values)`.
    package init(knots: [Double], values: [Double]) throws(CodebookRuntimeError) {
        try Self.validate(knots: knots, values: values)
        try self.init(validatedKnots: knots, values: values, slopes: Self.pchipSlopes(knots: knots, values: values))
    }

    /// The cubic Hermite interpolant with the given slopes (e.g. read back from `splines.json`).
    package init(knots: [Double], values: [Double], slopes: [Double]) throws(CodebookRuntimeError) {
        try Self.validate(knots: knots, values: values)
        guard slopes.count == knots.count else {
            throw .invalidSpline(reason: "\(knots.count) knots but \(slopes.count) slopes")
        }
        try self.init(validatedKnots: knots, values: values, slopes: slopes)
    }

    private init(validatedKnots knots: [Double], values: [Double], slopes: [Double]) throws(CodebookRuntimeError) {
        if let j = slopes.firstIndex(where: { !$0.isFinite }) {
            // Knots a few subnormals apart (e.g. ties at 0 spread by nextUp) make secants overflow.
            throw .invalidSpline(reason: "slope \(j) is \(slopes[j]) (knots too close together for finite secants)")
        }
        var coefficients = [SIMD4<Double>]()
        coefficients.reserveCapacity(knots.count - 1)
        for i in 0..<(knots.count - 1) {
            let h = knots[i + 1] - knots[i]
            let secant = (values[i + 1] - values[i]) / h
            let t = (slopes[i] + slopes[i + 1] - 2 * secant) / h
            let c = SIMD4(t / h, (secant - slopes[i]) / h - t, slopes[i], values[i])
            guard c.x.isFinite, c.y.isFinite else {
                throw .invalidSpline(reason: "interval \(i) [\(knots[i]), \(knots[i + 1])] is too narrow for finite coefficients")
            }
            coefficients.append(c)
        }
        self.knots = knots
        self.values = values
        self.slopes = slopes
        self.coefficients = coefficients
    }

    private static func validate(knots: [Double], values: [Double]) throws(CodebookRuntimeError) {
        guard knots.count >= 2 else { throw .invalidSpline(reason: "\(knots.count) knots; at least 2 needed") }
        guard values.count == knots.count else {
            throw .invalidSpline(reason: "\(knots.count) knots but \(values.count) values")
        }
        if let j = knots.firstIndex(where: { !$0.isFinite }) { throw .invalidSpline(reason: "knot \(j) is \(knots[j])") }
        if let j = values.firstIndex(where: { !$0.isFinite }) { throw .invalidSpline(reason: "value \(j) is \(values[j])") }
        for j in 1..<knots.count where !(knots[j] > knots[j - 1]) {
            throw .invalidSpline(reason: "knots not strictly increasing at \(j): \(knots[j - 1]) then \(knots[j])")
        }
    }

    /// SciPy's PCHIP slopes for strictly increasing, finite `knots` (at least 2) and finite `values`.
    package static func pchipSlopes(knots x: [Double], values y: [Double]) -> [Double] {
        let n = x.count
        precondition(n >= 2 && y.count == n, "pchipSlopes: needs at least 2 knots and as many values")
        let h = (0..<(n - 1)).map { x[$0 + 1] - x[$0] }
        let m = (0..<(n - 1)).map { (y[$0 + 1] - y[$0]) / h[$0] }
        if n == 2 { return [m[0], m[0]] }

        var d = [Double](repeating: 0, count: n)
        for k in 1..<(n - 1) {
            let (m0, m1) = (m[k - 1], m[k])
            if sign(m1) != sign(m0) || m1 == 0 || m0 == 0 { continue }
            let w1 = 2 * h[k] + h[k - 1]
            let w2 = h[k] + 2 * h[k - 1]
            let harmonicMean = (w1 / m0 + w2 / m1) / (w1 + w2)
            d[k] = 1.0 / harmonicMean
        }
        d[0] = edgeSlope(h0: h[0], h1: h[1], m0: m[0], m1: m[1])
        d[n - 1] = edgeSlope(h0: h[n - 2], h1: h[n - 3], m0: m[n - 2], m1: m[n - 3])
        return d
    }

    /// `PchipInterpolator._edge_case`: the one-sided three-point estimate, kept shape-preserving.
    private static func edgeSlope(h0: Double, h1: Double, m0: Double, m1: Double) -> Double {
        let d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1)
        if sign(d) != sign(m0) { return 0 }
        if sign(m0) != sign(m1) && abs(d) > 3 * abs(m0) { return 3 * m0 }
        return d
    }

    /// NumPy's `np.sign`: −1, 0 or 1 (0 for ±0).
    private static func sign(_ value: Double) -> Double {
        value > 0 ? 1 : (value < 0 ? -1 : 0)
    }

    /// The interpolant at `x`; outside the knots the end polynomials are extrapolated (SciPy's default);
    /// NaN for NaN.
    package func callAsFunction(_ x: Double) -> Double {
        guard !x.isNaN else { return .nan }
        let i = interval(containing: x)
        let c = coefficients[i]
        // PPoly's evaluate_poly1: the sum of c_k · s^k from the constant term up.
        let s = x - knots[i]
        var result = 0.0
        var power = 1.0
        result += c.w * power
        power *= s
        result += c.z * power
        power *= s
        result += c.y * power
        power *= s
        result += c.x * power
        return result
    }

    /// SciPy's `find_interval`: the `i` with `knots[i] ≤ x < knots[i + 1]`, the last interval for
    /// `x ≥ knots.last`, the first for `x < knots.first`.
    private func interval(containing x: Double) -> Int {
        var low = 0
        var high = knots.count - 2
        if x >= knots[high] { return high }
        // Invariant: the answer lies in low...high and knots[high] > x.
        while low < high {
            let middle = (low + high + 1) / 2
            if knots[middle] <= x { low = middle } else { high = middle - 1 }
        }
        return low
    }
}
