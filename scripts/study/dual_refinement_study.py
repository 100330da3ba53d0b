#!/usr/bin/env python3
"""The dual Newton step of compile's multi-layer probe, on SmolLM2's 31 layers: why one fit stalls, and a fix.

`LogisticRegression.Solver.dual`, meant for the multi-layer probe of docs/multilayer-study.md, took the
Newton step `(I/C + S·K)⁻¹ z` by Woodbury's identity alone: `C (z − C·Q·M⁻¹·Q·K·z)`, `M = I + C·Q·K·Q`,
`Q = diag(√s)`. When `C·s·K` is large (C = 1, 17,856 features) the subtraction cancels most digits, the
computed step stays above the stopping rule's 1e-10 and Newton runs out of its 100 iterations: a compile
with the multi-layer probe stopped that way on SmolLM2's `violated_vs_expected`, and two of MiniLM's
behaviors stalled the same way on activations extracted with other CPU kernels. The solver now refines
each solve once (LogisticRegressionDual.swift); that fixes this replay, but MiniLM's two fits still
stalled with it in Swift (docs/multilayer-study.md). This script replays the same
Newton method, stopping rule and Armijo search in NumPy/SciPy on that contrast's train rows (contrast +
background, a random 4/5 of them as one fold: not compile's folds, the same sizes), the C path 0.001, 0.01,
0.1, 1 warm-started as compile runs it, with and without one step of iterative refinement of each solve
(the residual `z − (u/C + s·K·u)` solved again with the same factor and added).

Result (one run, this machine): without refinement C 0.001, 0.01, 0.1 converge in 9, 7, 9 iterations and
C = 1 does not converge in 100; with one refinement step, 9, 7, 9 and 17 iterations, all converged.

Input: the 31-layer `hidden_mean` cache that scripts/study/smollm2_layers_study.py writes under --data
(catalog_{hidden,cond,split,conds}.npy). About 2 minutes on one core (OPENBLAS_NUM_THREADS=1).
    python scripts/study/dual_refinement_study.py [/tmp/codebook-study-cache/smollm2-layers]
"""
import os
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import sys, time
import numpy as np
from scipy.linalg import cho_factor, cho_solve
from scipy.special import expit

D = sys.argv[1] if len(sys.argv) > 1 else "/tmp/codebook-study-cache/smollm2-layers"
conds = list(np.load(f"{D}/catalog_conds.npy")); cond = np.load(f"{D}/catalog_cond.npy"); split = np.load(f"{D}/catalog_split.npy")
H = np.load(f"{D}/catalog_hidden.npy", mmap_mode="r")
pos, neg = conds.index("violated"), conds.index("expected")
tr = split == 0
P = np.where(tr & (cond == pos))[0]; N = np.where(tr & (cond == neg))[0]
others = [c for c in range(len(conds)) if c not in (pos, neg)]
B = np.concatenate([np.where(tr & (cond == c))[0][::len(others)] for c in others])
idx = np.concatenate([P, N, B]); y = np.r_[np.ones(len(P)), np.zeros(len(N) + len(B))]
rng = np.random.default_rng(0); keep = np.sort(rng.permutation(len(idx))[: int(0.8 * len(idx))])
idx, y = idx[keep], y[keep]
X = np.asarray(H[idx], dtype=np.float64).reshape(len(idx), -1)
mu, sd = X.mean(0), X.std(0); sd[np.ptp(X, 0) == 0] = 1; X = (X - mu) / sd
n, p = X.shape
print(f"N {n}, p {p}", flush=True)
t0 = time.time(); K = X @ X.T; print(f"K in {time.time()-t0:.1f} s", flush=True)

def softplus(t): return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))

def fit(C, theta, refine):
    a, b = theta[:n].copy(), theta[n]
    def obj(a, b):
        ka = K @ a; t = ka + b
        return np.sum(softplus(t) - y * t) + a @ ka / (2 * C)
    val = obj(a, b)
    for it in range(100):
        ka = K @ a; t = ka + b; pr = expit(t); r = pr - y; s = pr * expit(-t); q = np.sqrt(s)
        g = r + a / C; gb = r.sum()
        M = np.eye(n) + C * q[:, None] * K * q[None, :]
        F = cho_factor(M, lower=True)
        def solve(z):
            u = C * (z - C * q * cho_solve(F, q * (K @ z)))
            for _ in range(refine):  # iterative refinement on (I/C + S K) u = z
                res = z - (u / C + s * (K @ u))
                u = u + C * (res - C * q * cho_solve(F, q * (K @ res)))
            return u
        u, v = solve(g), solve(s)
        ku, kv = K @ u, K @ v
        db = (gb - s @ ku) / (s.sum() - s @ kv); da = u - db * v
        w = X.T @ a; dw = X.T @ da
        if max(np.abs(dw).max(), abs(db)) <= 1e-10 * (1 + max(np.abs(w).max(), abs(b))):
            return np.r_[a - da, b - db], it + 1, True
        dec = (K @ g) @ da + gb * db; slack = 8 * np.finfo(float).eps * abs(val)
        al = 1.0
        for _ in range(60):
            a2, b2 = a - al * da, b - al * db; v2 = obj(a2, b2)
            if v2 <= val - 1e-4 * al * dec + slack: a, b, val = a2, b2, v2; break
            al /= 2
        else:
            return np.r_[a, b], it + 1, False
    return np.r_[a, b], 100, False

for refine in (0, 1):
    theta = np.zeros(n + 1); t0 = time.time()
    for C in (0.001, 0.01, 0.1, 1.0):
        theta, its, ok = fit(C, theta, refine)
        print(f"refine {refine}, C {C}: {its} iterations, {'converged' if ok else 'NOT converged'} ({time.time()-t0:.0f} s)", flush=True)
