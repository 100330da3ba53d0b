import CodebookRuntime
import TestSupport
import Testing

@Suite struct PCHIPSplineTests {
    struct Case: Decodable {
        let name: String
        let knots: [Double]
        let values: [Double]
        let slopes: [Double]
        let points: [Double]
        let evaluated: [Double]
    }
    struct Fixture: Decodable { let cases: [Case] }

    /// Slopes and values against `scipy.interpolate.PchipInterpolator`. The slopes repeat SciPy's
    /// arithmetic step for step, so they are the same doubles; the values too (same coefficients, same
    /// evaluation order), which 1e-15 relative would also accept if a compiler reordered a sum.
    @Test(arguments: ["nonmonotone", "two_knots", "three_knots", "edge_clamp", "edge_sign", "monotone"])
    func matchesSciPy(name: String) throws {
        let fixture: Fixture = try numericsFixture("pchip.json")
        let c = try #require(fixture.cases.first { $0.name == name })
        #expect(PCHIPSpline.pchipSlopes(knots: c.knots, values: c.values) == c.slopes)
        let spline = try PCHIPSpline(knots: c.knots, values: c.values)
        #expect(spline.slopes == c.slopes)
        for (x, expected) in zip(c.points, c.evaluated) {
            #expect(close(spline(x), expected, 1e-15), "x = \(x): \(spline(x)) vs \(expected)")
        }
    }

    /// The cases exercise each rule of the slope formula; check that they really do.
    @Test func fixtureCoversEverySlopeRule() throws {
        let fixture: Fixture = try numericsFixture("pchip.json")
        let clamp = try #require(fixture.cases.first { $0.name == "edge_clamp" })
        let m0 = (clamp.values[1] - clamp.values[0]) / (clamp.knots[1] - clamp.knots[0])
        #expect(clamp.slopes[0] == 3 * m0)  // the 3·m clamp at the left end
        let sign = try #require(fixture.cases.first { $0.name == "edge_sign" })
        #expect(sign.slopes[0] == 0)  // the sign rule at the left end
        let nonmonotone = try #require(fixture.cases.first { $0.name == "nonmonotone" })
        #expect(nonmonotone.slopes[5] == 0 && nonmonotone.slopes[4] == 0)  // around the zero secant
    }

    /// Through the knots the interpolant reproduces the values and, with stored slopes, is the same spline.
    @Test func storedSlopesReproduceTheSpline() throws {
        let knots = [-1.0, 0.0, 0.5, 2.0, 3.5], values = [0.0, 0.1, 0.7, 0.8, 1.0]
        let fitted = try PCHIPSpline(knots: knots, values: values)
        let stored = try PCHIPSpline(knots: knots, values: values, slopes: fitted.slopes)
        #expect(fitted == stored)
        for (x, y) in zip(knots.dropLast(), values.dropLast()) { #expect(fitted(x) == y) }
        // The last knot is evaluated on the last interval at s = h: equal up to rounding.
        #expect(close(fitted(3.5), 1.0, 1e-15))
    }

    /// Monotone data give a monotone interpolant (PCHIP's point), checked on a fine grid.
    @Test func preservesMonotonicity() throws {
        var generator = SeededGenerator(seed: 3)
        var knots = [0.0], values = [0.0]
        for _ in 0..<20 {
            knots.append(knots.last! + Double.random(in: 0.001...2, using: &generator))
            values.append(values.last! + (Bool.random(using: &generator) ? 0 : Double.random(in: 0...1, using: &generator)))
        }
        let spline = try PCHIPSpline(knots: knots, values: values)
        var previous = -Double.infinity
        for i in 0...4000 {
            let value = spline(knots.first! + (knots.last! - knots.first!) * Double(i) / 4000)
            #expect(value >= previous - 1e-12, "step \(i)")  // 1e-12: rounding of the cubic near flat pieces
            previous = value
        }
    }

    @Test func specialValues() throws {
        let spline = try PCHIPSpline(knots: [-1, 0, 1], values: [0, 0.5, 1])
        #expect(spline(.nan).isNaN)
        #expect(spline(0.0) == 0.5)
        #expect(spline(-0.0) == 0.5)
    }

    @Test func refusesInvalidKnots() {
        #expect(throws: CodebookRuntimeError.self) { try PCHIPSpline(knots: [0], values: [0]) }
        #expect(throws: CodebookRuntimeError.self) { try PCHIPSpline(knots: [0, 1], values: [0]) }
        #expect(throws: CodebookRuntimeError.self) { try PCHIPSpline(knots: [0, 0], values: [0, 1]) }
        #expect(throws: CodebookRuntimeError.self) { try PCHIPSpline(knots: [1, 0], values: [0, 1]) }
        #expect(throws: CodebookRuntimeError.self) { try PCHIPSpline(knots: [0, .nan], values: [0, 1]) }
        #expect(throws: CodebookRuntimeError.self) { try PCHIPSpline(knots: [0, 1], values: [0, .infinity]) }
        #expect(throws: CodebookRuntimeError.self) { try PCHIPSpline(knots: [0, 1], values: [0, 1], slopes: [0]) }
        #expect(throws: CodebookRuntimeError.self) { try PCHIPSpline(knots: [0, 1], values: [0, 1], slopes: [0, .nan]) }
        // Knots one subnormal apart: the secant overflows (SciPy refuses these too).
        #expect(throws: CodebookRuntimeError.self) {
            try PCHIPSpline(knots: [0, Double.leastNonzeroMagnitude, 1], values: [0, 0.5, 1])
        }
    }
}
