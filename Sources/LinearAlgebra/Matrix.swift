/// A dense row-major matrix: element `(r, c)` is `elements[r * columns + c]`.
///
/// A plain value type; the BLAS and LAPACK wrappers take and return it so that raw pointers never
/// leave this module.
public struct Matrix<Scalar: BinaryFloatingPoint & Sendable>: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var elements: [Scalar]

    public init(rows: Int, columns: Int, elements: [Scalar]) {
        precondition(rows >= 0 && columns >= 0 && elements.count == rows * columns,
                     "Matrix: \(elements.count) elements do not fill [\(rows), \(columns)]")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    public init(zeros rows: Int, _ columns: Int) {
        self.init(rows: rows, columns: columns, elements: [Scalar](repeating: 0, count: rows * columns))
    }

    /// Builds a matrix from equally long rows.
    public init(_ rowArrays: [[Scalar]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "Matrix: rows of different lengths")
        self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
    }

    public subscript(row: Int, column: Int) -> Scalar {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }

    public func row(_ r: Int) -> ArraySlice<Scalar> {
        elements[(r * columns)..<((r + 1) * columns)]
    }

    public var transposed: Matrix {
        var result = Matrix(zeros: columns, rows)
        for r in 0..<rows {
            for c in 0..<columns { result.elements[c * rows + r] = elements[r * columns + c] }
        }
        return result
    }
}
