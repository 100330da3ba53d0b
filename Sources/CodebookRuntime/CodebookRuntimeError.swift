/// Errors of the runtime's numerics: each case says which input was wrong and how.
public enum CodebookRuntimeError: Error, CustomStringConvertible, Equatable {
    /// A hidden state, a point or a parameter had a NaN or an infinity where only finite numbers make sense.
    case nonFiniteInput(what: String)
    /// A buffer had the wrong length.
    case dimensionMismatch(what: String, expected: Int, actual: Int)
    /// Spline knots, values or slopes that cannot describe a monotone spline.
    case invalidSpline(reason: String)
    /// A parameter outside its domain (e.g. a spline epsilon outside (0, 0.5)).
    case invalidParameter(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case let .nonFiniteInput(what):
            return "\(what) has a NaN or infinite value"
        case let .dimensionMismatch(what, expected, actual):
            return "\(what): expected \(expected) values, got \(actual)"
        case let .invalidSpline(reason):
            return "invalid spline: \(reason)"
        case let .invalidParameter(name, value, expected):
            return "\(name) = \(value): expected \(expected)"
        }
    }
}
