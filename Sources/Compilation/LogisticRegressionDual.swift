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
    /// (evaluated as `‖w‖²` and `X·w + b`, see `weightsAndLogits`).
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
        let features: Matrix<Double>    // X, [N, p]: w = Xᵀα
        let transposed: Matrix<Double>  // Xᵀ, [p, N]: the logits X·w, and K
        let kernel: Matrix<Double>      // K = X·Xᵀ, [N, N]
        let targets: [Double]           // [N], 1 or 0
        let c: Double

        init(features: Matrix<Double>, labels: [Bool], c: Double) {
            let n = features.rows, p = features.columns
            var transposed = Matrix<Double>(zeros: p, n)
            for r in 0..<n {
                for j in 0..<p { transposed.elements[j * n + r] = features.elements[r * p + j] }
            }
            self.features = features
            self.transposed = transposed
            kernel = Reproducible.gram(transposed)
            targets = labels.map { $0 ? 1 : 0 }
            self.c = c
        }

        private init(features: Matrix<Double>, transposed: Matrix<Double>, kernel: Matrix<Double>, targets: [Double], c: Double) {
            (self.features, self.transposed, self.kernel, self.targets, self.c) = (features, transposed, kernel, targets, c)
        }

        /// The same data and kernel at another C.
        func with(c: Double) -> DualProblem {
            DualProblem(features: features, transposed: transposed, kernel: kernel, targets: targets, c: c)
        }

        var count: Int { targets.count }

        // The products below are `Reproducible.multiply`'s bits (each entry's sum in ascending order)
        // through `multiplyTransposed`, whose lanes run along rows: `K` is mirrored, so `Kᵀ = K`; `Xᵀα`
        // reads `X`, `X·w` reads `Xᵀ`.

        /// `K·z` and `K·w`, in one pass over `K`.
        func kernelTimes(_ z: [Double], _ w: [Double]) -> ([Double], [Double]) { Reproducible.multiplyTransposed(kernel, z, w) }

        /// `w = Xᵀα`.
        func weights(_ alpha: some Collection<Double>) -> [Double] { Reproducible.multiplyTransposed(features, alpha) }

        /// `w = Xᵀα` and the logits `t = X·w + b`. Not `t = Kα + b`: near the optimum `Kα` sums terms
        /// thousands of times larger than `t` (`K`'s entries are ~p, `α ≈ −C·r`), and its rounding, ~1e-10,
        /// is the size of the stopping rule's step, so Newton stalled there (two of MiniLM's multi-layer
        /// fits on other kernels' activations). Through `w` the sums are the primal's. `2·N·p` instead of `N²`.
        func weightsAndLogits(_ theta: [Double]) -> (weights: [Double], logits: [Double]) {
            let n = count
            let w = weights(theta[0..<n])
            return (w, Reproducible.multiplyTransposed(transposed, w).map { $0 + theta[n] })
        }

        /// `w` and the logits at some `θ`.
        typealias Products = (weights: [Double], logits: [Double])

        /// The objective at `theta`, and the products it was computed from.
        func evaluate(_ theta: [Double]) -> (value: Double, evaluation: Products) {
            let (w, t) = weightsAndLogits(theta)
            var penalty = 0.0
            for x in w { penalty += x * x }
            return (LogisticRegression.logLoss(logits: t, targets: targets) + penalty / (2 * c), (w, t))
        }

        /// The Newton step at `theta`, whose `w` and logits are `products`.
        func newtonStep(_ theta: [Double], products: Products, what: String) throws(CompilationError) -> NewtonStep {
            let n = count
            let alpha = Array(theta[0..<n]), b = theta[n]
            let (w, logits) = products
            var residual = [Double](repeating: 0, count: n), curvature = residual, root = residual
            for i in 0..<n {
                let t = logits[i]
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
            // Both systems side by side, so each pass over `K` (larger than the caches) serves two
            // products: `kernelTimes(z, w)`. Every product is the one a single solve would take.
            func woodbury(_ z: [Double], _ kz: [Double]) -> [Double] {  // (I/C + SK)⁻¹ z, by Woodbury's identity
                let inner = factor.solve((0..<n).map { root[$0] * kz[$0] })
                return (0..<n).map { c * (z[$0] - c * root[$0] * inner[$0]) }
            }
            func refinementResidual(_ z: [Double], _ u: [Double], _ ku: [Double]) -> [Double] {  // z − (I/C + SK)u
                (0..<n).map { z[$0] - (u[$0] / c + curvature[$0] * ku[$0]) }
            }
            // Woodbury's subtraction cancels digits where C·s·K is large (weak regularization, many
            // features); one step of iterative refinement, the residual solved with the same factor,
            // restores them (the NumPy replay of SmolLM2's stalled fit: scripts/study/dual_refinement_study.py).
            let (kg, ks) = kernelTimes(g, curvature)
            let u0 = woodbury(g, kg), v0 = woodbury(curvature, ks)
            let (ku0, kv0) = kernelTimes(u0, v0)
            let ru = refinementResidual(g, u0, ku0), rv = refinementResidual(curvature, v0, kv0)
            let (kru, krv) = kernelTimes(ru, rv)
            let du = woodbury(ru, kru), dv = woodbury(rv, krv)
            let u = (0..<n).map { u0[$0] + du[$0] }, v = (0..<n).map { v0[$0] + dv[$0] }
            let (ku, kv) = kernelTimes(u, v)
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
            return NewtonStep(step: da + [db], gradient: kg + [gb],
                              size: weights(da) + [db], coefficients: w + [b])
        }
    }
}
