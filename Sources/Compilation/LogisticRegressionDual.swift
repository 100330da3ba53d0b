import CodebookRuntime
import LinearAlgebra

extension LogisticRegression {
    /// How `fit` takes its Newton steps. Both reach the same optimum (to the stopping rule's 1e-10).
    package enum Solver: Sendable {
        /// In `(w, b)`: the `(p + 1)²` Hessian, formed (`N·p²/2` multiply-adds) and factored (`p³/6`).
        case primal
        /// In the span of the samples, for more features than samples (a probe on several layers'
        /// states at once: thousands of features, two thousand prompts): every iterate of Newton's
        /// method from zero is `w = Xᵀα`, since each gradient `Xᵀ(r + α/C)` is, so the step is solved
        /// through the `N × N` kernel `K = X·Xᵀ` (formed once, `N²·p/2`) with an `N × N` Cholesky
        /// (`N³/6`) per iteration instead of the `p × p` one.
        case dual
    }

    /// The objective and Newton step of `fit` in the dual parameters `θ = (α, b)`, `w = Xᵀα`:
    ///
    ///     f(α, b) = Σᵢ log(1 + exp(tᵢ)) − yᵢ tᵢ  +  αᵀKα / (2C),    t = Kα + b
    ///
    /// The primal Newton step `H·(Δw, Δb) = (g_w, g_b)`, with `H = [A, Xᵀs; sᵀX, Σs]`,
    /// `A = I/C + Xᵀ·diag(s)·X`, `s = p(1 − p)`, `g_w = Xᵀ(r + α/C)`, `r = p − y`, `g_b = Σr`, is
    /// `Δw = XᵀΔα` because `A⁻¹Xᵀ = Xᵀ(I/C + diag(s)·K)⁻¹`, and
    ///
    ///     (I/C + SK)⁻¹ z = C (z − C·Q·M⁻¹·Q·K·z),    Q = diag(√s),  M = I + C·Q·K·Q
    ///
    /// (Woodbury's identity; `M` is symmetric with eigenvalues ≥ 1, so its Cholesky is well conditioned
    /// even where `s` underflows to 0). With `u = (I/C + SK)⁻¹(r + α/C)` and `v = (I/C + SK)⁻¹s`, the
    /// intercept's row gives `Δb = (g_b − sᵀKu) / (Σs − sᵀKv)` and `Δα = u − Δb·v`: one factor of `M`,
    /// two solves. Every sum runs in a fixed order (`Reproducible`), so the bits are the same on every CPU.
    struct DualProblem {
        let kernel: Matrix<Double>      // K = X·Xᵀ, [N, N]
        let transposed: Matrix<Double>  // Xᵀ, [p, N]: w = Xᵀα
        let targets: [Double]           // [N], 1 or 0
        let c: Double

        init(features: Matrix<Double>, labels: [Bool], c: Double) {
            let n = features.rows, p = features.columns
            var transposed = Matrix<Double>(zeros: p, n)
            for r in 0..<n {
                for j in 0..<p { transposed.elements[j * n + r] = features.elements[r * p + j] }
            }
            self.transposed = transposed
            kernel = Reproducible.gram(transposed)
            targets = labels.map { $0 ? 1 : 0 }
            self.c = c
        }

        private init(kernel: Matrix<Double>, transposed: Matrix<Double>, targets: [Double], c: Double) {
            (self.kernel, self.transposed, self.targets, self.c) = (kernel, transposed, targets, c)
        }

        /// The same data and kernel at another C.
        func with(c: Double) -> DualProblem {
            DualProblem(kernel: kernel, transposed: transposed, targets: targets, c: c)
        }

        var count: Int { targets.count }

        /// `K·z`.
        func kernelTimes(_ z: some Collection<Double>) -> [Double] { Reproducible.multiply(kernel, z) }

        /// `w = Xᵀα`.
        func weights(_ alpha: some Collection<Double>) -> [Double] { Reproducible.multiply(transposed, alpha) }

        func objective(_ theta: [Double]) -> Double {
            let n = count
            let alpha = theta[0..<n], b = theta[n]
            let kAlpha = kernelTimes(alpha)
            var loss = 0.0, penalty = 0.0
            for i in 0..<n {
                let t = kAlpha[i] + b
                loss += LogisticRegression.softplus(t) - targets[i] * t
                penalty += alpha[i] * kAlpha[i]
            }
            return loss + penalty / (2 * c)
        }

        func newtonStep(_ theta: [Double], what: String) throws(CompilationError) -> NewtonStep {
            let n = count
            let alpha = Array(theta[0..<n]), b = theta[n]
            let kAlpha = kernelTimes(alpha)
            var residual = [Double](repeating: 0, count: n), curvature = residual, root = residual
            for i in 0..<n {
                let t = kAlpha[i] + b
                let probability = LogisticModel.sigmoid(t)
                residual[i] = probability - targets[i]
                curvature[i] = probability * LogisticModel.sigmoid(-t)
                root[i] = curvature[i].squareRoot()
            }
            let g = (0..<n).map { residual[$0] + alpha[$0] / c }  // g_w = Xᵀg
            let gb = residual.reduce(0, +)

            var m = Matrix<Double>(zeros: n, n)
            for i in 0..<n {
                for j in 0..<n { m.elements[i * n + j] = c * root[i] * kernel.elements[i * n + j] * root[j] }
                m.elements[i * n + i] += 1
            }
            let factor: Reproducible.CholeskyFactor
            do {
                factor = try Reproducible.CholeskyFactor(m)
            } catch {
                throw .linearAlgebra(what: "\(what): dual Newton step", reason: "\(error)")
            }
            func woodbury(_ z: [Double]) -> [Double] {  // (I/C + SK)⁻¹ z, by Woodbury's identity
                let kz = kernelTimes(z)
                let inner = factor.solve((0..<n).map { root[$0] * kz[$0] })
                return (0..<n).map { c * (z[$0] - c * root[$0] * inner[$0]) }
            }
            // Woodbury's subtraction cancels digits where C·s·K is large (weak regularization, many
            // features), enough that Newton may never meet its stopping rule. One step of iterative
            // refinement, the residual solved with the same factor, restores them in the NumPy replay of
            // SmolLM2's stalled fit (scripts/study/dual_refinement_study.py); two MiniLM fits on other
            // kernels' activations still stalled with it (docs/multilayer-study.md): not the whole cure.
            func solve(_ z: [Double]) -> [Double] {
                let u = woodbury(z)
                let ku = kernelTimes(u)
                let residual = (0..<n).map { z[$0] - (u[$0] / c + curvature[$0] * ku[$0]) }
                let correction = woodbury(residual)
                return (0..<n).map { u[$0] + correction[$0] }
            }
            let u = solve(g), v = solve(curvature)
            let ku = kernelTimes(u), kv = kernelTimes(v)
            var sKu = 0.0, sKv = 0.0
            for i in 0..<n {
                sKu += curvature[i] * ku[i]
                sKv += curvature[i] * kv[i]
            }
            let schur = curvature.reduce(0, +) - sKv
            guard schur > 0, schur.isFinite else {
                throw .linearAlgebra(what: "\(what): dual Newton step", reason: "the intercept's Schur complement is \(schur), not positive")
            }
            let db = (gb - sKu) / schur
            let da = (0..<n).map { u[$0] - db * v[$0] }
            // The objective's gradient in (α, b) is (K·g, g_b); the stopping rule reads (Δw, Δb) and (w, b).
            return NewtonStep(step: da + [db], gradient: kernelTimes(g) + [gb],
                              size: weights(da) + [db], coefficients: weights(alpha) + [b])
        }
    }
}
