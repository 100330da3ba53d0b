import CodebookRuntime
import Foundation
import LinearAlgebra

/// L2-penalized logistic regression, the optimum of scikit-learn's `LogisticRegression()`:
///
///     minimize  Σᵢ log(1 + exp(−ỹᵢ (w·xᵢ + b)))  +  ‖w‖² / (2C)        (ỹ = ±1)
///
/// a summed log-loss (sklearn minimizes the same objective divided by N), the intercept `b` unpenalized,
/// unweighted classes. The objective is strictly convex in `w` and the penalty keeps the optimum finite
/// even for perfectly separable data.
///
/// Solver: Newton's method on `(w, b)` from zero, the Hessian `Xᵀ·diag(p(1−p))·X + diag(1/C, …, 1/C, 0)`
/// formed and solved by Cholesky in a fixed order (`Reproducible`: the same bits on every CPU, where BLAS
/// and LAPACK kernels differ in the last bits), with a backtracking (Armijo) line search.
/// It stops when a full Newton step changes no coefficient by more than `1e-10·(1 + max|β|)`; Newton
/// converges quadratically there, so the result is the optimum to about machine precision, deterministic,
/// and typically reached in 5–15 iterations, even with hundreds of features (the probe). For more
/// features than samples, `Solver.dual` takes the same Newton steps through the `N × N` kernel instead
/// (`LogisticRegressionDual.swift`): 4–6× faster for a probe on all of MiniLM's layers (CompileBench).
///
/// sklearn's default solver (L-BFGS with `tol=1e-4` on the gradient of the N-scaled objective) stops
/// earlier: its coefficients differ from this optimum by up to about 1e-2 on separable data.
package enum LogisticRegression {
    /// At most this many Newton steps.
    package static let maximumIterations = 100

    /// Fits `labels` (`true` = positive) on `features` (`[N, p]`) with inverse regularization strength `c`.
    package static func fit(features: Matrix<Double>, labels: [Bool], c: Double = 1, solver: Solver = .primal,
                           what: String = "logistic regression") throws(CompilationError) -> LogisticModel {
        try fitPath(features: features, labels: labels, cs: [c], solver: solver, what: what)[0]
    }

    /// Fits `labels` on `features` at each C of `cs`, in that order, each fit starting from the previous
    /// one's optimum (the first from zero, so it is `fit`'s, bit for bit); the dual solver forms its
    /// kernel once for all. A path of increasing C is what cross-validation of C asks for, and a warm
    /// start leaves fewer Newton steps to take. Each optimum is reached to the same stopping rule as
    /// from zero, so it agrees with `fit`'s to that rule, not bit for bit.
    package static func fitPath(features: Matrix<Double>, labels: [Bool], cs: [Double], solver: Solver = .primal,
                               what: String = "logistic regression") throws(CompilationError) -> [LogisticModel] {
        let n = features.rows, p = features.columns
        guard labels.count == n else {
            throw .shapeMismatch(what: what, expected: "\(n) labels", actual: "\(labels.count)")
        }
        let positives = labels.filter { $0 }.count
        guard positives > 0, positives < n else {
            throw .missingClass(what: what, positives: positives, negatives: n - positives)
        }
        for c in cs {
            guard c > 0, c.isFinite else { throw .degenerate(what: what, reason: "C = \(c) must be positive and finite") }
        }
        if let index = features.elements.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(what: "\(what): features of sample \(index / max(p, 1))", index: index % max(p, 1))
        }

        var models: [LogisticModel] = []
        switch solver {
        case .primal:
            var beta = [Double](repeating: 0, count: p + 1)
            for c in cs {
                let problem = Problem(features: features, labels: labels, c: c)
                beta = try newton(from: beta, what: what, evaluate: problem.evaluate) { (beta: [Double], logits: [Double]) throws(CompilationError) in
                    try problem.newtonStep(beta, logits: logits, what: what)
                }
                models.append(LogisticModel(weights: Array(beta[0..<p]), bias: beta[p]))
            }
        case .dual:
            guard let first = cs.first else { return [] }
            let kernel = DualProblem(features: features, labels: labels, c: first)
            var theta = [Double](repeating: 0, count: n + 1)
            for c in cs {
                let problem = kernel.with(c: c)
                theta = try newton(from: theta, what: what, evaluate: problem.evaluate) {
                    (theta: [Double], products: DualProblem.Products) throws(CompilationError) in
                    try problem.newtonStep(theta, products: products, what: what)
                }
                models.append(LogisticModel(weights: problem.weights(theta[0..<n]), bias: theta[n]))
            }
        }
        return models
    }

    /// The first Newton step from zero, in `(w, b)` (for tests: both solvers take the same steps, so
    /// the dual's formula is checked where it matters, not only at the optimum both converge to).
    package static func firstNewtonStep(features: Matrix<Double>, labels: [Bool], c: Double = 1,
                                        solver: Solver) throws(CompilationError) -> [Double] {
        switch solver {
        case .primal:
            let problem = Problem(features: features, labels: labels, c: c), zero = [Double](repeating: 0, count: features.columns + 1)
            return try problem.newtonStep(zero, logits: problem.evaluate(zero).evaluation, what: "first Newton step").size
        case .dual:
            let problem = DualProblem(features: features, labels: labels, c: c), zero = [Double](repeating: 0, count: features.rows + 1)
            return try problem.newtonStep(zero, products: problem.evaluate(zero).evaluation, what: "first Newton step").size
        }
    }

    /// One Newton iteration at the current parameters: the step to subtract, the objective's gradient
    /// in the same coordinates (`gradient·step` is the decrease the line search asks for), and the
    /// step and coefficients in the model's own coordinates `(w, b)` for the stopping rule.
    struct NewtonStep {
        let step: [Double]
        let gradient: [Double]
        let size: [Double]
        let coefficients: [Double]
        var isConverged: Bool {
            let scale = 1 + (coefficients.map(abs).max() ?? 0)
            return (size.map(abs).max() ?? 0) <= 1e-10 * scale
        }
    }

    /// Newton's method from `start` with Armijo backtracking, until a full step changes no coefficient
    /// of `(w, b)` by more than `1e-10·(1 + max|β|)`; returns the parameters. `evaluate` gives the
    /// objective and what it was computed from (the logits: `N·p` multiply-adds, and for the dual `w`
    /// too), which the step at the same parameters (the accepted candidate's) reads instead of
    /// computing it again.
    private static func newton<Evaluation>(from start: [Double], what: String,
                                           evaluate: ([Double]) -> (value: Double, evaluation: Evaluation),
                                           step newtonStep: ([Double], Evaluation) throws(CompilationError) -> NewtonStep)
        throws(CompilationError) -> [Double] {
        var beta = start
        var (value, evaluation) = evaluate(beta)
        for iteration in 0..<maximumIterations {
            let newton = try newtonStep(beta, evaluation)
            let step = newton.step
            if newton.isConverged {
                for j in beta.indices { beta[j] -= step[j] }
                return beta
            }
            // Armijo backtracking; the slack of a few ulps of the objective lets rounding noise near the
            // optimum pass instead of stalling the search.
            let decrease = zip(newton.gradient, step).reduce(0.0) { $0 + $1.0 * $1.1 }
            let slack = 8 * Double.ulpOfOne * abs(value)
            var alpha = 1.0
            var accepted = false
            for _ in 0..<60 {
                let candidate = zip(beta, step).map { $0 - alpha * $1 }
                let (candidateValue, candidateEvaluation) = evaluate(candidate)
                if candidateValue <= value - 1e-4 * alpha * decrease + slack {
                    (beta, value, evaluation) = (candidate, candidateValue, candidateEvaluation)
                    accepted = true
                    break
                }
                alpha /= 2
            }
            guard accepted else {
                throw .noConvergence(what: "\(what): line search", iterations: iteration,
                                     gradientNorm: newton.gradient.map(abs).max() ?? 0)
            }
        }
        let gradient = try newtonStep(beta, evaluation).gradient
        throw .noConvergence(what: what, iterations: maximumIterations, gradientNorm: gradient.map(abs).max() ?? 0)
    }

    /// The objective `Σ log-loss + ‖w‖²/(2C)` of `model` on the data (for tests and diagnostics).
    package static func objective(_ model: LogisticModel, features: Matrix<Double>, labels: [Bool], c: Double = 1) -> Double {
        Problem(features: features, labels: labels, c: c).evaluate(model.weights + [model.bias]).value
    }

    /// The objective's gradient with respect to `(w, b)`: `[p + 1]`.
    package static func gradient(_ model: LogisticModel, features: Matrix<Double>, labels: [Bool], c: Double = 1) -> [Double] {
        let problem = Problem(features: features, labels: labels, c: c), beta = model.weights + [model.bias]
        return problem.gradientAndHessian(beta, logits: problem.logits(beta)).gradient
    }

    /// `Σᵢ log(1 + e^tᵢ) − yᵢ·tᵢ` of the logits `t` and targets `y` (1 or 0), summed in order: the
    /// objective's loss term, in both solvers.
    static func logLoss(logits: [Double], targets: [Double]) -> Double {
        var loss = 0.0
        for (t, y) in zip(logits, targets) { loss += softplus(t) - y * t }
        return loss
    }

    /// `log(1 + e^t)` without overflow or loss of precision for large `|t|`.
    static func softplus(_ t: Double) -> Double {
        max(t, 0) + Foundation.log1p(Foundation.exp(-abs(t)))
    }

    /// The data with a column of ones appended for the intercept.
    private struct Problem {
        let design: Matrix<Double>  // [N, p + 1]
        let targets: [Double]       // [N], 1 or 0
        let penalty: [Double]       // [p + 1]: 1/C for the weights, 0 for the intercept

        init(features: Matrix<Double>, labels: [Bool], c: Double) {
            let n = features.rows, p = features.columns
            var design = Matrix<Double>(zeros: n, p + 1)
            for r in 0..<n {
                for j in 0..<p { design.elements[r * (p + 1) + j] = features.elements[r * p + j] }
                design.elements[r * (p + 1) + p] = 1
            }
            self.design = design
            self.targets = labels.map { $0 ? 1 : 0 }
            self.penalty = Array(repeating: 1 / c, count: p) + [0]
        }

        /// `X·β`: `[N]`.
        func logits(_ beta: [Double]) -> [Double] { Reproducible.multiply(design, beta) }

        /// The objective at `beta`, and the logits it was computed from.
        func evaluate(_ beta: [Double]) -> (value: Double, evaluation: [Double]) {
            let t = logits(beta)
            let loss = LogisticRegression.logLoss(logits: t, targets: targets)
            var penaltyTerm = 0.0
            for j in beta.indices { penaltyTerm += penalty[j] * beta[j] * beta[j] }
            return (loss + penaltyTerm / 2, t)
        }

        /// At `beta`, whose logits are `t`.
        func gradientAndHessian(_ beta: [Double], logits t: [Double]) -> (gradient: [Double], hessian: Matrix<Double>) {
            let n = design.rows, columns = design.columns
            var gradient = (0..<columns).map { penalty[$0] * beta[$0] }
            var weighted = design  // rows scaled by sqrt(p(1 − p)), so that Hessian = weightedᵀ·weighted
            for r in 0..<n {
                let probability = LogisticModel.sigmoid(t[r])
                let residual = probability - targets[r]
                let curvature = (probability * LogisticModel.sigmoid(-t[r])).squareRoot()
                for j in 0..<columns {
                    let x = design.elements[r * columns + j]
                    gradient[j] += residual * x
                    weighted.elements[r * columns + j] = curvature * x
                }
            }
            var hessian = Reproducible.gram(weighted)  // [p + 1, p + 1]
            for j in 0..<columns { hessian[j, j] += penalty[j] }
            return (gradient, hessian)
        }

        /// Newton's step at `beta` (whose logits are `logits`): the Hessian's solve of the gradient, both in `(w, b)`.
        func newtonStep(_ beta: [Double], logits: [Double], what: String) throws(CompilationError) -> NewtonStep {
            let (gradient, hessian) = gradientAndHessian(beta, logits: logits)
            let step: [Double]
            do {
                step = try Reproducible.solvePositiveDefinite(hessian, gradient)
            } catch {
                throw .linearAlgebra(what: "\(what): Newton step", reason: "\(error)")
            }
            return NewtonStep(step: step, gradient: gradient, size: step, coefficients: beta)
        }
    }
}
