/// Errors of the compile stage's fitting: each case names the quantity that could not be fitted and why.
/// `what` is a short description the caller can make specific (e.g. "z[2] of the population",
/// "train scores of harmful_vs_harmless").
package enum CompilationError: Error, CustomStringConvertible, Equatable {
    /// A statistic needs more samples than it got.
    case tooFewSamples(what: String, count: Int, required: Int)
    /// A NaN (or, where noted, an infinity) in the input.
    case nonFiniteValue(what: String, index: Int)
    /// A binary task without one of its two classes.
    case missingClass(what: String, positives: Int, negatives: Int)
    /// Buffers whose lengths or shapes do not fit together.
    case shapeMismatch(what: String, expected: String, actual: String)
    /// The centered population spans fewer than 3 directions, so a 3-D basis is not defined.
    case rankDeficient(samples: Int, rank: Int, required: Int)
    /// Both classes are constant and equal in a coordinate, or their means coincide where a direction is needed.
    case degenerate(what: String, reason: String)
    /// An iterative solver stopped without meeting its convergence criterion.
    case noConvergence(what: String, iterations: Int, gradientNorm: Double)
    /// A fitted spline could not be built (e.g. ties at 0 spread by subnormal steps).
    case spline(what: String, reason: String)
    /// A LAPACK failure below the fitting code.
    case linearAlgebra(what: String, reason: String)
    /// The artifacts folder cannot be written.
    case cannotWrite(path: String, reason: String)
    /// An input beside the activations (`--groups`) cannot be read.
    case cannotRead(path: String, reason: String)

    package var description: String {
        switch self {
        case let .tooFewSamples(what, count, required):
            return "\(what): \(count) samples, at least \(required) needed"
        case let .nonFiniteValue(what, index):
            return "\(what): value \(index) is NaN or infinite"
        case let .missingClass(what, positives, negatives):
            return "\(what): needs both classes, got \(positives) positive and \(negatives) negative samples"
        case let .shapeMismatch(what, expected, actual):
            return "\(what): expected \(expected), got \(actual)"
        case let .rankDeficient(samples, rank, required):
            return "the centered population of \(samples) perturbations has rank \(rank); a basis needs rank \(required)"
        case let .degenerate(what, reason):
            return "\(what): \(reason)"
        case let .noConvergence(what, iterations, gradientNorm):
            return "\(what): no convergence after \(iterations) iterations (gradient norm \(gradientNorm))"
        case let .spline(what, reason):
            return "\(what): \(reason)"
        case let .linearAlgebra(what, reason):
            return "\(what): \(reason)"
        case let .cannotWrite(path, reason):
            return "--out: cannot write \(path): \(reason)"
        case let .cannotRead(path, reason):
            return "\(path): \(reason)"
        }
    }
}
