import Foundation
import TestSupport

/// Reads a JSON fixture written by `scripts/fixtures/make_numerics.py`.
func numericsFixture<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
    try Fixtures.decode("numerics/\(name)")
}

import LinearAlgebra

/// A `[rows, columns]` matrix from a row-major fixture array.
func fixtureMatrix(_ values: [Double], rows: Int, columns: Int) -> Matrix<Double> {
    Matrix(rows: rows, columns: columns, elements: values)
}

/// Rows of 3 as points.
func fixturePoints(_ values: [Double]) -> [SIMD3<Double>] {
    stride(from: 0, to: values.count, by: 3).map { SIMD3(values[$0], values[$0 + 1], values[$0 + 2]) }
}
